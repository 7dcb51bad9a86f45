import Foundation
import Testing

@testable import Reports

/// Notebooks: the command words, parsing, recording outputs, the doctest and quick mode,
/// against a fake `phonoscope` that echoes its arguments.
struct NotebookTests {
    static func words(_ line: String, _ variables: [String: String] = [:]) throws -> [String] {
        try CommandWords.split(line, variables: variables) { "test" }.words
    }

    @Test func commandWordsFollowShellQuoting() throws {
        #expect(try Self.words("phonoscope speak \"a b\" -o x.wav") == ["phonoscope", "speak", "a b", "-o", "x.wav"])
        #expect(try Self.words("a 'it''s' \"q\\\"x\" b\\ c") == ["a", "its", "q\"x", "b c"])
        #expect(
            try Self.words("a '$OUT' \"$OUT/x\" ${OUT}y $N", ["OUT": "o", "N": "3"]) == ["a", "$OUT", "o/x", "oy", "3"])
        #expect(try Self.words("  spaced    words  ") == ["spaced", "words"])
        #expect(try Self.words("empty '' \"\"") == ["empty", "", ""])
        let used = try CommandWords.split("x $A ${B} '$C'", variables: ["A": "1", "B": "2", "C": "3"]) { "t" }.used
        #expect(used == ["A", "B"])
    }

    @Test func commandWordsRejectWhatTheyCannotRun() {
        for (line, problem) in [
            ("a $MISSING", "unknown variable $MISSING (defined: $OUT)"), ("a 'open", "' quote is not closed"),
            ("a \"open", "\" quote is not closed"), ("a | b", "`|` outside quotes"), ("a > f", "`>` outside quotes"),
            ("a $", "without a variable name"), ("a ${X", "no closing brace"),
        ] {
            #expect(throws: NotebookError.self) { try Self.words(line, ["OUT": "o"]) }
            do {
                _ = try Self.words(line, ["OUT": "o"])
            } catch {
                #expect("\(error)".contains(problem), "\(line): \(error)")
                #expect("\(error)".hasPrefix("test: "))
            }
        }
    }

    static let sample = """
        # Title

        <!-- notebook
        COUNT: 400, quick 24
        SEED: 7
        -->

        Some text.

        ```sh
        echo not run
        ```

        ```phonoscope
        # a comment
        phonoscope echo $COUNT \\
          --seed $SEED
        phonoscope echo plain
        ```

        More text.

        ```phonoscope no-check fails
        phonoscope echo $OUT/figure.png
        ```
        """

    @Test func parsesVariablesBlocksAndTags() throws {
        let notebook = try Notebook(text: Self.sample, path: "n.md")
        #expect(
            notebook.variables == [
                .init(name: "COUNT", full: "400", quick: "24"), .init(name: "SEED", full: "7", quick: "7"),
            ])
        #expect(notebook.blocks.count == 2)
        #expect(notebook.blocks[0].line == 14)
        #expect(
            notebook.blocks[0].commands.map(\.text) == [
                "phonoscope echo $COUNT  --seed $SEED", "phonoscope echo plain",
            ])
        #expect(notebook.blocks[0].commands.map(\.line) == [16, 18])
        #expect(notebook.blocks[0].recorded == nil)
        #expect(notebook.blocks[1].tags == ["no-check", "fails"])
        #expect(notebook.values(quick: true) == ["COUNT": "24", "SEED": "7"])
    }

    @Test func recordingIsIdempotentAndKeepsTheProse() throws {
        let notebook = try Notebook(text: Self.sample, path: "n.md")
        let once = notebook.replacingOutputs([["```text", "400", "```"], ["x"]])
        let parsed = try Notebook(text: once, path: "n.md")
        #expect(parsed.blocks[0].recorded == ["```text", "400", "```"])
        #expect(parsed.blocks[1].recorded == ["x"])
        #expect(parsed.replacingOutputs([["```text", "400", "```"], ["x"]]) == once)
        #expect(parsed.replacingOutputs([nil, nil]) == once)
        #expect(once.contains("More text.\n\n```phonoscope no-check fails"))
        #expect(
            once.contains("```\n\n<!-- phonoscope:output -->\n```text\n400\n```\n<!-- phonoscope:end -->\n\nMore text.")
        )
    }

    @Test func syntaxErrorsNameTheLine() {
        for (text, problem) in [
            ("```phonoscope\nls -l\n```", "n.md:2: `ls -l`: a phonoscope block holds only phonoscope commands"),
            ("```phonoscope\n```", "n.md:1: the phonoscope block is empty"),
            ("text\n```phonoscope\nphonoscope x", "n.md:2: the ``` block is not closed"),
            ("```phonoscope slow\nphonoscope x\n```", "n.md:1: unknown block tag `slow` (valid: fails, no-check)"),
            ("```phonoscope\nphonoscope x \\\n```", "n.md:2: the command's last line ends with a backslash"),
            ("<!-- notebook\nCOUNT 3\n-->", "n.md:2: `COUNT 3`: expected NAME: VALUE"),
            ("<!-- notebook\nOUT: x\n-->", "OUT is the notebook's output folder"),
            ("<!-- notebook\nA: 1\nA: 2\n-->", "variable A is declared twice"),
            (
                "```phonoscope\nphonoscope x\n```\n<!-- phonoscope:output -->\nx",
                "n.md:4: <!-- phonoscope:output --> has no"
            ),
            ("<!-- phonoscope:output -->", "n.md:1: an output region that follows no phonoscope block"),
        ] {
            do {
                _ = try Notebook(text: text, path: "n.md")
                Issue.record("accepted: \(text)")
            } catch {
                #expect("\(error)".contains(problem), "\(error)")
            }
        }
    }

    /// A fake phonoscope: `echo WORDS` prints them (and writes any .png word as a file),
    /// `fail` exits 2 with a message.
    static func fake(_ arguments: [String], _ directory: URL) throws -> NotebookRunner.CommandResult {
        if arguments.first == "fail" {
            return .init(
                status: 2, standardOutput: "", standardError: "Error: bad value \(arguments.dropFirst().joined())\n")
        }
        for word in arguments where word.hasSuffix(".png") {
            let url = word.hasPrefix("/") ? URL(fileURLWithPath: word) : directory.appendingPathComponent(word)
            try Data("png".utf8).write(to: url)
        }
        return .init(
            status: 0, standardOutput: arguments.dropFirst().joined(separator: " ") + "\n", standardError: "progress\n")
    }

    static func makeRoot(_ notebook: String) throws -> (root: URL, file: URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("notebook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("Notebooks-md"), withIntermediateDirectories: true)
        let file = root.appendingPathComponent("Notebooks-md/demo.md")
        try Data(notebook.utf8).write(to: file)
        return (root, file)
    }

    static let runnable = """
        <!-- notebook
        COUNT: 400, quick 24
        -->

        ```phonoscope
        phonoscope echo corpus $COUNT -o $OUT/corpus
        ```

        ```phonoscope
        phonoscope echo stats $OUT/corpus/manifest.jsonl
        ```

        ```phonoscope
        phonoscope echo plot --plot $OUT/figure.png
        ```

        ```phonoscope fails
        phonoscope fail 7
        ```
        """

    @Test func aFullRunRecordsOutputsAndFiguresAndTheCheckPasses() throws {
        let (root, file) = try Self.makeRoot(Self.runnable)
        defer { try? FileManager.default.removeItem(at: root) }
        var logged: [String] = []
        let report = try NotebookRunner(notebook: file, root: root, quick: false, check: false)
            .run(execute: Self.fake) { logged.append($0) }
        #expect(report.wrote && report.blocks == 4 && report.commands == 4)
        #expect(logged.count == 4)
        let text = try String(contentsOf: file, encoding: .utf8)
        // Paths under $OUT are shown as $OUT, figures linked relative to the notebook.
        #expect(text.contains("```text\ncorpus 400 -o $OUT/corpus\n```"))
        #expect(text.contains("```text\nplot --plot $OUT/figure.png\n```\n\n![figure.png](demo/figure.png)"))
        #expect(text.contains("```text\nError: bad value 7\n(exit status 2)\n```"))
        #expect(
            FileManager.default.fileExists(atPath: root.appendingPathComponent("Notebooks-md/demo/figure.png").path))
        #expect(
            FileManager.default.fileExists(
                atPath: root.appendingPathComponent("Notebooks-md/demo/.phonoscope-notebook").path))

        // The doctest passes on an unchanged notebook and leaves the file alone.
        let checked = try NotebookRunner(notebook: file, root: root, quick: false, check: true).run(execute: Self.fake)
        { _ in }
        #expect(checked.compared == 4 && checked.differences.isEmpty && !checked.wrote)
        #expect(try String(contentsOf: file, encoding: .utf8) == text)

        // A changed output is found and named by its line.
        try Data(text.replacingOccurrences(of: "corpus 400 -o", with: "corpus 401 -o").utf8).write(to: file)
        let changed = try NotebookRunner(notebook: file, root: root, quick: false, check: true).run(execute: Self.fake)
        { _ in }
        #expect(changed.differences.count == 1)
        #expect(
            "\(changed.differences[0])"
                == "Notebooks-md/demo.md:5: output line 2 was `corpus 401 -o $OUT/corpus`, is now `corpus 400 -o $OUT/corpus`"
        )
    }

    @Test func quickModeComparesOnlyWhatCannotDependOnTheQuickValues() throws {
        let (root, file) = try Self.makeRoot(Self.runnable)
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try NotebookRunner(notebook: file, root: root, quick: false, check: false).run(execute: Self.fake) { _ in }
        let recorded = try String(contentsOf: file, encoding: .utf8)
        let report = try NotebookRunner(notebook: file, root: root, quick: true, check: true).run(execute: Self.fake) {
            _ in
        }
        #expect(!report.wrote)
        #expect(try String(contentsOf: file, encoding: .utf8) == recorded)
        #expect(report.compared == 2 && report.differences.isEmpty)
        #expect(report.notCompared.map(\.location) == ["Notebooks-md/demo.md:5", "Notebooks-md/demo.md:15"])
        #expect(report.notCompared[0].reason == "uses $COUNT")
        #expect(report.notCompared[1].reason == "reads $OUT/corpus/manifest.jsonl, made with quick sizes")
        // The quick run's $OUT was temporary: the full run's figure folder is untouched.
        let figures = try FileManager.default.contentsOfDirectory(
            atPath: root.appendingPathComponent("Notebooks-md/demo").path)
        #expect(Set(figures) == [".phonoscope-notebook", "figure.png"])
    }

    @Test func failuresStopTheRunAndNameTheCommand() throws {
        let (root, file) = try Self.makeRoot("```phonoscope\nphonoscope fail now\n```\n")
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            _ = try NotebookRunner(notebook: file, root: root, quick: false, check: false).run(execute: Self.fake) {
                _ in
            }
            Issue.record("a failing command passed")
        } catch {
            #expect(
                "\(error)"
                    == "Notebooks-md/demo.md:2: `phonoscope fail now` failed (exit status 2):\nError: bad value now")
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "```phonoscope\nphonoscope fail now\n```\n")

        try Data("```phonoscope fails\nphonoscope echo fine\n```\n".utf8).write(to: file)
        #expect(throws: NotebookError.self) {
            _ = try NotebookRunner(notebook: file, root: root, quick: false, check: false).run(execute: Self.fake) {
                _ in
            }
        }

    }

    @Test func figuresACommandWroteAreLinkedNamedOnesFirst() throws {
        let (root, _) = try Self.makeRoot("")
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("Notebooks-md/demo")
        try FileManager.default.createDirectory(
            at: out.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("old".utf8).write(to: out.appendingPathComponent("kept.png"))
        let before = NotebookRunner.figureDates(under: out)
        for name in ["sub/b.png", "sub/a.png", "z.png", "other.svg", "table.txt", "unit.flac", "sub/corpus.flac"] {
            try Data("x".utf8).write(to: out.appendingPathComponent(name))
            Thread.sleep(forTimeInterval: 0.01)
        }
        let written = NotebookRunner.figures(
            written: before, under: out, named: ["Notebooks-md/demo/z.png", "Notebooks-md/demo/sub/b.png"],
            outValue: "Notebooks-md/demo")
        #expect(written == ["z.png", "sub/b.png", "sub/a.png", "other.svg"])
        // Unchanged files are not linked again.
        #expect(
            NotebookRunner.figures(
                written: NotebookRunner.figureDates(under: out), under: out, named: [], outValue: "x"
            ).isEmpty)
    }

    @Test func aFailedRunKeepsThePreviousOutputs() throws {
        let good = "```phonoscope\nphonoscope echo --plot $OUT/figure.png\n```\n"
        let (root, file) = try Self.makeRoot(good)
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try NotebookRunner(notebook: file, root: root, quick: false, check: false).run(execute: Self.fake) { _ in }
        let folder = root.appendingPathComponent("Notebooks-md/demo")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("figure.png").path))
        try Data((good + "\n```phonoscope\nphonoscope fail later\n```\n").utf8).write(to: file)
        #expect(throws: NotebookError.self) {
            _ = try NotebookRunner(notebook: file, root: root, quick: false, check: false).run(execute: Self.fake) {
                _ in
            }
        }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("figure.png").path))
        let left = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Notebooks-md").path)
        #expect(left.sorted() == ["demo", "demo.md"])
    }

    @Test func aForeignOutputFolderIsRefused() throws {
        let (root, file) = try Self.makeRoot("```phonoscope\nphonoscope echo x\n```\n")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("Notebooks-md/demo")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        do {
            _ = try NotebookRunner(notebook: file, root: root, quick: false, check: false).run(execute: Self.fake) {
                _ in
            }
            Issue.record("a foreign folder was emptied")
        } catch {
            #expect("\(error)".contains("Notebooks-md/demo exists and is not a notebook output folder"))
        }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("notes.txt").path))
    }

    @Test func longOutputsAreCut() throws {
        let runner = NotebookRunner(
            notebook: URL(fileURLWithPath: "/r/Notebooks-md/n.md"), root: URL(fileURLWithPath: "/r"), quick: false,
            check: false)
        let printed = (1...70).map { "line \($0) /r/Notebooks-md/n/x /r/y \u{1B}[1mbold\u{1B}[0m" }.joined(
            separator: "\n")
        let region = runner.render(
            printed, figures: [], out: URL(fileURLWithPath: "/r/Notebooks-md/n"), outValue: "Notebooks-md/n")
        #expect(region.count == NotebookRunner.maximumLines + 3)
        #expect(region[1] == "line 1 $OUT/x y bold")
        #expect(region[region.count - 2] == "... (10 more lines)")
    }
}
