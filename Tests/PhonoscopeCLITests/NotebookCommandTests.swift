import Foundation
import Testing

/// `phonoscope notebook run` on a small notebook through the real executable: recording,
/// the doctest passing and failing, a failing command, and bad arguments.
struct NotebookCommandTests {
    static let notebook = """
        # A test notebook

        <!-- notebook
        WORD: knight, quick night
        -->

        ```phonoscope
        phonoscope nw "k n i g h t" "n aɪ t"
        ```

        ```phonoscope
        phonoscope g2p --language en "the $WORD"
        ```

        ```phonoscope fails
        phonoscope nw "a" "b" --gap-open -1
        ```

        """

    @Test func recordsChecksAndFindsAChangedOutput() throws {
        let directory = try TemporaryDirectory()
        let file = directory.path("test.md")
        try Data(Self.notebook.utf8).write(to: URL(fileURLWithPath: file))
        let run = try CommandRunner.run(["notebook", "run", file, "--root", directory.url.path])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("3 blocks, 3 commands"))
        let recorded = try String(contentsOfFile: file, encoding: .utf8)
        #expect(recorded.contains("<!-- phonoscope:output -->\n```text\nk n i g h  t\n"))
        #expect(recorded.contains("the\tð ə\t(cmudict)\nknight\tn aɪ t\t(cmudict)"))
        #expect(recorded.contains("Error: --gap-open given alone"))
        #expect(recorded.contains("(exit status 64)"))

        let check = try CommandRunner.run(["notebook", "run", "--check", file, "--root", directory.url.path])
        #expect(check.status == 0, "\(check.standardError)")
        #expect(check.standardOutput.contains("3 compared, 0 differ"))
        // Quick: the g2p block uses $WORD, whose quick value differs, so it is not compared.
        let quick = try CommandRunner.run(["notebook", "run", "--quick", "--check", file, "--root", directory.url.path])
        #expect(quick.status == 0, "\(quick.standardError)")
        #expect(quick.standardOutput.contains("2 compared, 0 differ"))
        #expect(
            quick.standardError.contains("not compared: \(file):11 (uses $WORD)")
                || quick.standardError.contains("(uses $WORD)"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == recorded)

        try Data(recorded.replacingOccurrences(of: "knight\tn aɪ t", with: "knight\tn ɪ t").utf8).write(
            to: URL(fileURLWithPath: file))
        let changed = try CommandRunner.run(["notebook", "run", "--check", file, "--root", directory.url.path])
        #expect(changed.status == 1)
        #expect(
            changed.standardError.contains("output line 3 was `knight\tn ɪ t\t(cmudict)`"), "\(changed.standardError)")
    }

    @Test func aFailingCommandStopsTheRunAndNamesTheLine() throws {
        let directory = try TemporaryDirectory()
        let file = directory.path("broken.md")
        let text = "Intro\n\n```phonoscope\nphonoscope features \(directory.path("missing.flac")) -o x.npy\n```\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let run = try CommandRunner.run(["notebook", "run", file])
        #expect(run.status != 0)
        #expect(run.standardError.contains("broken.md:4: `phonoscope features"), "\(run.standardError)")
        #expect(run.standardError.contains("missing.flac: no such file"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == text)
    }

    @Test func badArgumentsAreNamed() throws {
        let missing = try CommandRunner.run(["notebook", "run", "/nonexistent/n.md"])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("notebook /nonexistent/n.md not found"))
        let directory = try TemporaryDirectory()
        let text = directory.path("n.txt")
        try Data("x".utf8).write(to: URL(fileURLWithPath: text))
        let notMarkdown = try CommandRunner.run(["notebook", "run", text])
        #expect(notMarkdown.standardError.contains("is not a Markdown file (.md)"))
    }
}
