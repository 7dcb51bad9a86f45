import ArgumentParser
import Foundation
import Reports

/// `phonoscope notebook ...`: executable Markdown notebooks.
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Run executable Markdown notebooks (Notebooks-md/) and check them as doctests.",
        subcommands: [NotebookRunCommand.self]
    )
}

/// `phonoscope notebook run FILE.md... [--check] [--quick]`.
struct NotebookRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Execute the phonoscope blocks of Markdown notebooks and record their output below each block.",
        discussion: """
            A notebook is Markdown. Each fenced block whose info string is `phonoscope`
            holds phonoscope commands (one per line, `\\` continues a line, `#` starts a
            comment); they run in order from the repository root, and what they print goes
            into the file below the block between <!-- phonoscope:output --> and <!--
            phonoscope:end -->, followed by the figures (.png, .svg, .pdf) their arguments
            name under $OUT. $OUT is the notebook's output folder, NAME/ beside NAME.md;
            sizes are variables declared as

              <!-- notebook
              COUNT: 400, quick 24
              -->

            Tags after `phonoscope`: `no-check` (recorded, never compared: timings),
            `fails` (the command must fail; its error message is recorded).

            --check runs everything into a temporary $OUT and fails (exit 1) when a
            block's output differs from the recorded one, naming the line. --quick uses
            the quick values, never writes the notebook, and with --check compares the
            blocks whose output cannot depend on those values (CI runs `--quick --check`).

            Examples:
              phonoscope notebook run Notebooks-md/01-audio-front-end.md
              phonoscope notebook run --check Notebooks-md/*.md
              phonoscope notebook run --quick --check Notebooks-md/*.md
            """)

    @Argument(help: "Markdown notebooks.")
    var notebooks: [String]

    @Flag(help: "Compare the outputs with the recorded ones instead of writing them; exit 1 when one differs.")
    var check = false

    @Flag(help: "Use the notebooks' quick values and a temporary $OUT; never write the notebooks.")
    var quick = false

    @Option(help: "Where the commands run (default: the nearest folder above the notebook with Package.swift).")
    var root: String?

    func validate() throws {
        for notebook in notebooks {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: notebook, isDirectory: &isDirectory), !isDirectory.boolValue
            else {
                throw ValidationError("notebook \(notebook) not found: give Markdown files (e.g. Notebooks-md/*.md)")
            }
            guard notebook.hasSuffix(".md") else {
                throw ValidationError("notebook \(notebook) is not a Markdown file (.md)")
            }
        }
        if let root {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--root \(root) is not a directory")
            }
        }
    }

    func run() throws {
        var failures = 0
        for notebook in notebooks {
            let url = URL(fileURLWithPath: notebook).standardizedFileURL
            let base = root.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? Self.root(above: url)
            let runner = NotebookRunner(notebook: url, root: base, quick: quick, check: check)
            Console.warn("\(notebook): running" + (quick ? " (quick)" : ""))
            let started = Date()
            let report = try runner.run(execute: Self.execute) { Console.warn($0) }
            let seconds = DemoRunner.formatSeconds(Date().timeIntervalSince(started))
            for difference in report.differences { Console.warn("  differs: \(difference)") }
            for (location, reason) in report.notCompared { Console.warn("  not compared: \(location) (\(reason))") }
            var line = "\(notebook): \(report.blocks) blocks, \(report.commands) commands in \(seconds)"
            if check { line += "; \(report.compared) compared, \(report.differences.count) differ" }
            if report.wrote { line += "; outputs written" }
            print(line)
            failures += report.differences.count
        }
        if failures > 0 {
            Console.warn("\(failures) block(s) differ from their recorded output")
            throw ExitCode(1)
        }
    }

    /// The nearest folder above `notebook` with a Package.swift, else the notebook's folder.
    static func root(above notebook: URL) -> URL {
        var directory = notebook.deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        return notebook.deletingLastPathComponent()
    }

    /// `phonoscope ARGS` as a fresh process in `directory`.
    static func execute(_ arguments: [String], in directory: URL) throws -> NotebookRunner.CommandResult {
        let result = try ProcessCapture.run(ProjectFiles.executable, arguments, in: directory)
        return NotebookRunner.CommandResult(
            status: result.status, standardOutput: result.standardOutput, standardError: result.standardError)
    }
}
