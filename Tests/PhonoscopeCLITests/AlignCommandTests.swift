import Foundation
import Phonetics
import Testing

/// `phonoscope align` with the shipped English model on the corpus fixture's recordings:
/// utterances that cannot be aligned are reported, counted and skipped; the rest get TextGrids
/// and scores.
struct AlignCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let standardCases: [(recording: Int, text: String?, alignment: String?)] = [
        (0, nil, nil), (1, nil, nil),
        (2, nil, nil),  // 0.67 s: shorter than the receptive field
        (3, String(repeating: "abcdefghij ", count: 16), nil),  // 176 letters in 1.8 s
        (0, "rock ' roll", nil),  // a word the G2P cannot read
        (1, " ", nil),  // empty transcript
        (1, nil, "alignments/renamed.TextGrid"),  // tiers with other names
    ]

    /// A corpus of the fixture's four recordings, with edited transcripts and TextGrids. (A
    /// manifest with characters outside its language's letters is refused as a whole, by the
    /// manifest reader; a German corpus can hold letters the English model lacks.)
    func corpus(
        in directory: TemporaryDirectory, language: String = "en",
        cases: [(recording: Int, text: String?, alignment: String?)] = standardCases
    ) throws -> String {
        let fixture = Self.repository.appendingPathComponent("Tests/CorpusTests/Fixtures/en")
        let root = directory.url.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for folder in ["audio", "alignments"] {
            try FileManager.default.copyItem(
                at: fixture.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        // A TextGrid whose tiers have other names.
        let original = try String(
            contentsOf: fixture.appendingPathComponent("alignments/en-00001.TextGrid"), encoding: .utf8)
        try original.replacingOccurrences(of: "name = \"phones\"", with: "name = \"segments\"")
            .write(to: root.appendingPathComponent("alignments/renamed.TextGrid"), atomically: true, encoding: .utf8)
        let recordings = try String(contentsOf: fixture.appendingPathComponent("manifest.jsonl"), encoding: .utf8)
            .split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        var manifest = Data()
        for (index, item) in cases.enumerated() {
            var entry = recordings[item.recording]
            entry["id"] = String(format: "u%02d", index)
            entry["split"] = "test"
            entry["language"] = language
            if let text = item.text { entry["text"] = text }
            if let alignment = item.alignment { entry["alignment"] = alignment }
            manifest += try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]) + Data("\n".utf8)
        }
        try manifest.write(to: root.appendingPathComponent("manifest.jsonl"))
        return root.path
    }

    @Test func alignsWhatItCanAndReportsTheRest() throws {
        let directory = try TemporaryDirectory()
        let corpus = try corpus(in: directory)
        let out = directory.path("aligned")
        let model = Self.repository.appendingPathComponent("Corpora/models/en-small").path
        let result = try CommandRunner.run([
            "align", "--model", model, "--corpus", corpus, "-o", out, "--evaluate", "--json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(summary["utterances"] as? Int == 7)
        #expect(summary["aligned"] as? Int == 3)
        #expect(summary["failed"] as? Int == 4)
        let failures = try #require(summary["failures"] as? [[String: String]])
        let reasons = Dictionary(uniqueKeysWithValues: failures.map { ($0["id"]!, $0["reason"]!) })
        #expect(reasons["u02"]?.contains("receptive field") == true, "\(reasons)")
        #expect(reasons["u03"]?.contains("too short for the transcript") == true, "\(reasons)")
        #expect(reasons["u04"]?.contains("no pronunciation for \"'\"") == true, "\(reasons)")
        #expect(reasons["u05"]?.contains("empty") == true, "\(reasons)")
        // The renamed tiers: aligned, but not scored, and the message names the tiers.
        let notScored = try #require(summary["evaluation_failures"] as? [[String: String]])
        #expect(notScored.map { $0["id"] } == ["u06"])
        #expect(notScored.first?["reason"]?.contains("phones") == true, "\(notScored)")
        for key in [
            "events_in_segment", "median_offset_ms", "p90_offset_ms", "boundaries_within_20ms",
            "boundaries_within_40ms",
            "coverage",
        ] {
            #expect(summary[key] is Double, "\(key): \(String(describing: summary[key]))")
        }
        let byClass = try #require(summary["by_class"] as? [String: [String: Any]])
        #expect(byClass["vowel"]?["events_in_segment"] is Double)
        // Three aligned "any tool ..." / "if mathematically ..." utterances: most phonemes found.
        #expect((summary["coverage"] as? Double ?? 0) > 0.8)
        let grid = try TextGrid(contentsOf: URL(fileURLWithPath: out + "/textgrids/u01.TextGrid"))
        #expect(grid.tiers.map(\.name) == ["words", "letters", "phones"])
        #expect(try grid.tier("words").labelled.map(\.label).prefix(2) == ["if", "mathematically"])
        #expect(FileManager.default.fileExists(atPath: out + "/textgrids/u02.TextGrid") == false)
        let events = try String(contentsOf: URL(fileURLWithPath: out + "/events.jsonl"), encoding: .utf8)
        #expect(events.split(separator: "\n").count == 3)
    }

    /// A German transcript for an English model: the model cannot spell ü.
    @Test func lettersOutsideTheModelsAlphabetFailThatUtterance() throws {
        let directory = try TemporaryDirectory()
        let corpus = try corpus(in: directory, language: "de", cases: [(0, "über alles", nil), (1, "mit dem", nil)])
        let model = Self.repository.appendingPathComponent("Corpora/models/en-small").path
        let result = try CommandRunner.run([
            "align", "--model", model, "--corpus", corpus, "-o", directory.path("out"), "--json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(summary["aligned"] as? Int == 1 && summary["failed"] as? Int == 1)
        let failures = try #require(summary["failures"] as? [[String: String]])
        #expect(failures.first?["id"] == "u00" && failures.first?["reason"]?.contains("ü") == true, "\(failures)")
    }

    @Test func badOptionsAreRefused() throws {
        let directory = try TemporaryDirectory()
        let corpus = try corpus(in: directory)
        let model = Self.repository.appendingPathComponent("Corpora/models/en-small").path
        for (arguments, mention) in [
            (["--split", "nosuchsplit"], "nosuchsplit"),
            (["--limit=-1"], "--limit -1"),
            (["--calibrate", "test", "--calibration", "x.json"], "--calibrate"),
            (["--scores", directory.path("missing.json")], "missing.json"),
        ] {
            let result = try CommandRunner.run(
                ["align", "--model", model, "--corpus", corpus, "-o", directory.path("out")] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.standardError.contains(mention), "\(arguments): \(result.standardError)")
        }
    }
}
