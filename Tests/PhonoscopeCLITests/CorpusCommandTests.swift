import Foundation
import Testing

/// `phonoscope corpus ...` end to end: byte-identical synthesis, resuming, bad input.
struct CorpusCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: ["en", "de"])
    func synthReproducesTheFixtureByteForByte(_ language: String) throws {
        let directory = try TemporaryDirectory()
        let out = directory.path("corpus")
        let result = try CommandRunner.run([
            "corpus", "synth", "--language", language, "--count", "4", "--seed", "1", "-o", out,
            "--sentences", Self.repository.appendingPathComponent("Corpora/text/\(language).txt").path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("4/4"))
        let fixture = Self.repository.appendingPathComponent("Tests/CorpusTests/Fixtures/\(language)")
        for file in try files(fixture.path) where file != "README.md" {
            let ours = try Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent(file))
            let theirs = try Data(contentsOf: fixture.appendingPathComponent(file))
            #expect(ours == theirs, "\(file) differs from the fixture")
        }
        // A rerun resumes: nothing left to do, same manifest.
        let again = try CommandRunner.run([
            "corpus", "synth", "--language", language, "--count", "4", "--seed", "1", "-o", out,
            "--sentences", Self.repository.appendingPathComponent("Corpora/text/\(language).txt").path,
        ])
        #expect(again.status == 0)
        #expect(again.standardError.contains("4/4"))
        let stats = try CommandRunner.run(["corpus", "stats", out])
        #expect(stats.status == 0 && stats.standardOutput.contains("test-voices"))
    }

    func files(_ root: String) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root)
        var list: [String] = []
        while let item = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + item, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                list.append(item)
            }
        }
        return list.sorted()
    }

    @Test func badInputIsRefusedWithAClearMessage() throws {
        let directory = try TemporaryDirectory()
        let cases: [([String], [String])] = [
            (["corpus", "synth", "--language", "fr", "--count", "3", "-o", directory.path("a")], ["fr", "en", "de"]),
            (["corpus", "synth", "--language", "en", "--count", "0", "-o", directory.path("b")], ["--count 0"]),
            (
                [
                    "corpus", "synth-one", "--job",
                    #"{"id":"x","text":"hi","language":"en","voice":"xx-nope","wordsPerMinute":170,"pitch":50,"split":"train"}"#,
                    "-o", directory.path("c"),
                ],
                ["xx-nope"]
            ),
            (["corpus", "stats", directory.path("nothing")], ["manifest.jsonl", "no such file"]),
        ]
        for (arguments, mentions) in cases {
            let result = try CommandRunner.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            for mention in mentions {
                #expect(result.standardError.contains(mention), "\(arguments): \(result.standardError)")
            }
        }
        // A directory with other content is refused unless --force, and keeps its content.
        let foreign = directory.url.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        let refused = try CommandRunner.run([
            "corpus", "synth", "--language", "en", "--count", "2", "-o", foreign.path,
            "--sentences", Self.repository.appendingPathComponent("Corpora/text/en.txt").path,
        ])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("--force"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: foreign.path) == ["notes.txt"])
    }
}

/// `phonoscope corpus show`.
struct CorpusShowCommandTests {
    @Test func drawsAnUtteranceOrNamesTheMissingID() throws {
        let directory = try TemporaryDirectory()
        let corpus = CorpusCommandTests.repository.appendingPathComponent("Tests/CorpusTests/Fixtures/de").path
        let figure = directory.path("utterance.png")
        let result = try CommandRunner.run(["corpus", "show", "de-00001", "--corpus", corpus, "-o", figure])
        #expect(result.status == 0, "\(result.standardError)")
        let data = try Data(contentsOf: URL(fileURLWithPath: figure))
        #expect(Array(data.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        let missing = try CommandRunner.run([
            "corpus", "show", "de-99999", "--corpus", corpus, "-o", directory.path("x.png"),
        ])
        #expect(missing.status != 0 && missing.standardError.contains("de-99999"))
        let badFormat = try CommandRunner.run([
            "corpus", "show", "de-00001", "--corpus", corpus, "-o", directory.path("x.gif"),
        ])
        #expect(badFormat.status != 0 && badFormat.standardError.contains(".png"))
        #expect(try directory.contents() == ["utterance.png"])
    }
}
