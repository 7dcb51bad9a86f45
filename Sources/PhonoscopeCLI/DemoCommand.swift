import ArgumentParser
import Foundation
import Reports

/// `phonoscope demo -o DIR`: the whole story of the shipped English and German models, as a
/// static report in DIR/index.html.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole analysis of the shipped English and German models and write DIR/index.html.",
        discussion: """
            Per language: synthesise an evaluation corpus, draw an utterance and its
            features, score recognition (CER, WER) on every split, derive phoneme events
            from the model's CTC path and score them, record NAPs (and GradNAPs) of all
            layers, draw ERP figures, map conv1's filters with a SOM and cluster the
            phonemes per layer; then compare English with German. DIR/index.html (static,
            offline) shows every figure with an explanation, the numbers as tables and the
            command that reproduces it; DIR/summary.md has the key numbers.

            Each stage writes DIR/STAGE/ and marks it finished with DIR/STAGE/.done, so
            rerunning the same command after an interruption skips the finished stages. A
            directory with other content is refused unless --force (which also redoes
            every stage).

            Examples:
              phonoscope demo -o demo-output
              phonoscope demo -o ci-demo --quick
            """)

    @Option(name: .shortAndLong, help: "Output directory (created if missing).")
    var output: String

    @Option(help: "Utterances synthesised per language (default 200; 24 with --quick).")
    var count: Int?

    @Option(help: "Seed of the corpora (seed 1 with at most 480 utterances: sentences the models never trained on).")
    var seed: UInt64 = 1

    @Option(help: "Folder with the models en-small and de-small (default: the shipped Corpora/models).")
    var models: String?

    @Flag(help: "Write into a directory with other content, and redo every stage.")
    var force = false

    @Flag(help: "Small and fast (CI): 24 utterances, layers 0, 1, 9, 11 only, no GradNAPs.")
    var quick = false

    func run() throws {
        let count = self.count ?? (quick ? DemoOptions.quickCount : DemoOptions.defaultCount)
        guard count >= 8 else {
            throw ReportError.invalidOption(name: "--count", value: String(count), valid: "at least 8 utterances")
        }
        let directory = URL(fileURLWithPath: output).standardizedFileURL
        let options = DemoOptions(count: count, seed: seed, quick: quick, models: try Self.modelPaths(models))
        let runner = DemoRunner(directory: directory, options: options, force: force)
        let keep = try runner.prepare()
        let stages = DemoPlan.stages(options)
        let started = Date()
        Console.warn("phonoscope demo: \(stages.count) stages in \(output) (\(options.flags))")
        let executable = ProjectFiles.executable
        try runner.run(
            stages: stages, keepFinished: keep,
            execute: { step, directory in
                try Self.execute(
                    step, in: directory, executable: executable, stage: Self.stageName(of: step, in: stages))
            },
            log: { Console.warn($0) })
        let missing = try DemoReport(directory: directory, options: options).write()
        if !missing.isEmpty { Console.warn("figures not found: " + missing.joined(separator: ", ")) }
        print(
            "\(output)/index.html and \(output)/summary.md written in "
                + DemoRunner.formatSeconds(Date().timeIntervalSince(started)))
    }

    static func stageName(of step: DemoStep, in stages: [DemoStage]) -> String {
        stages.first { $0.commands.contains(step) }?.name ?? "demo"
    }

    /// The shipped models (absolute paths), or a clear error saying how to train them.
    static func modelPaths(_ folder: String?) throws -> [String: String] {
        var paths: [String: String] = [:]
        for language in DemoOptions.languages {
            let name = "\(language)-small"
            let candidate: URL?
            let searched: String
            if let folder {
                candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
                searched = "\(folder)/\(name)"
            } else {
                candidate = ProjectFiles.locate("Corpora/models/\(name)")
                searched = "Corpora/models/\(name) above \(ProjectFiles.executable.path) and in the source tree"
            }
            guard let url = candidate?.standardizedFileURL,
                ["config.json", "model.safetensors"].allSatisfy({
                    FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path)
                })
            else {
                throw ReportError.missingModel(name: name, searched: searched + " (config.json + model.safetensors)")
            }
            paths[language] = url.path
        }
        return paths
    }

    /// Runs `phonoscope ARGS` in the demo directory: a fresh process per command (eSpeak NG and
    /// OpenBLAS keep per-process state), standard error to DIR/logs/STAGE.log, standard output
    /// returned.
    static func execute(_ step: DemoStep, in directory: URL, executable: URL, stage: String) throws -> Data {
        let logs = directory.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let log = logs.appendingPathComponent("\(stage).log")
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        logHandle.seekToEndOfFile()
        logHandle.write(Data(("$ " + step.commandLine + "\n").utf8))
        let outputURL = logs.appendingPathComponent(".\(stage).stdout-\(getpid()).partial")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let outputHandle = try FileHandle(forWritingTo: outputURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = step.arguments
        process.currentDirectoryURL = directory
        process.standardOutput = outputHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try? outputHandle.close()
        let output = try Data(contentsOf: outputURL)
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            let tail = text.split(separator: "\n").suffix(6).joined(separator: "\n")
            throw ReportError.stageFailed(
                stage: stage, command: step.commandLine, status: process.terminationStatus, message: tail)
        }
        return output
    }
}
