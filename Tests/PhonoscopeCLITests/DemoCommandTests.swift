import Foundation
import Testing

/// `phonoscope demo --quick` end to end, its resumption, and `phonoscope report`.
struct DemoCommandTests {
    /// Every `src="..."` of a page.
    static func imageSources(_ html: String) -> [String] {
        html.components(separatedBy: "<img src=\"").dropFirst().compactMap { $0.split(separator: "\"").first }
            .map(String.init)
    }

    @Test func quickDemoWritesTheReportAndARerunSkipsFinishedStages() throws {
        let directory = try TemporaryDirectory()
        let output = directory.path("demo")
        let first = try CommandRunner.run(["demo", "-o", output, "--quick"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardError.contains("en-nap: done in"))
        #expect(first.standardError.contains("compare: done in"))
        let html = try String(contentsOfFile: "\(output)/index.html", encoding: .utf8)
        let sources = Self.imageSources(html)
        #expect(sources.count >= 20)
        for source in sources {
            #expect(!source.hasPrefix("/") && !source.contains(":"), "\(source)")
            #expect(FileManager.default.fileExists(atPath: "\(output)/\(source)"), "\(source)")
        }
        #expect(!html.lowercased().contains("http"))
        #expect(!html.contains("Figure not found"))
        for text in [
            "CER", "events in their true segment", "silhouette", "The papers&#39; claims", "phonoscope compare",
        ] {
            #expect(html.contains(text), "\(text)")
        }
        let summary = try String(contentsOfFile: "\(output)/summary.md", encoding: .utf8)
        #expect(summary.contains("| en-small | test |"))
        #expect(summary.contains("| de-small |"))
        #expect(summary.contains("RSA"))

        // An interrupted run: one stage's marker gone, so only that stage runs again.
        try FileManager.default.removeItem(atPath: "\(output)/de-som/.done")
        let started = Date()
        let again = try CommandRunner.run(["demo", "-o", output, "--quick"])
        #expect(again.status == 0, "\(again.standardError)")
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(again.standardError.contains("en-nap: skipped"))
        #expect(again.standardError.contains("de-som: done in"))
        #expect(again.standardError.components(separatedBy: "skipped").count - 1 == 16)

        // Other options on the same directory are refused.
        let other = try CommandRunner.run(["demo", "-o", output, "--quick", "--seed", "2"])
        #expect(other.status != 0)
        #expect(other.standardError.contains("--seed 1"))

        // The report alone, from the outputs; and naming what is missing.
        try FileManager.default.removeItem(atPath: "\(output)/index.html")
        let report = try CommandRunner.run(["report", "-o", output])
        #expect(report.status == 0, "\(report.standardError)")
        #expect(FileManager.default.fileExists(atPath: "\(output)/index.html"))

        // In a real browser (headless Chromium): every figure loads and decodes, the console
        // stays silent; the screenshot is kept as an artefact in test-artifacts/.
        let browser = try CommandRunner.run(["report", "-o", output, "--check-browser"])
        #expect(browser.status == 0, "\(browser.standardOutput)\n\(browser.standardError)")
        #expect(
            browser.standardOutput.contains("\(sources.count) of \(sources.count) figures load, 0 console messages"))
        let screenshot = try Data(contentsOf: URL(fileURLWithPath: "\(output)/screenshot.png"))
        #expect(screenshot.count > 50_000 && screenshot.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let artefacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../test-artifacts"
        ).standardizedFileURL
        try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
        try screenshot.write(to: artefacts.appendingPathComponent("report-screenshot.png"))
        // A figure that exists but does not decode is named.
        let figure = try #require(sources.first { $0.hasPrefix("en-erp/") })
        try Data("not a PNG".utf8).write(to: URL(fileURLWithPath: "\(output)/\(figure)"))
        let corrupt = try CommandRunner.run(["report", "-o", output, "--check-browser"])
        #expect(corrupt.status == 1)
        #expect(corrupt.standardError.contains("figure does not load: \(output)/\(figure)"), "\(corrupt.standardError)")

        try FileManager.default.removeItem(atPath: "\(output)/de-cluster/scores.json")
        let broken = try CommandRunner.run(["report", "-o", output])
        #expect(broken.status != 0)
        #expect(broken.standardError.contains("de-cluster/scores.json"))
    }

    @Test func foreignDirectoriesAreRefusedWithoutForce() throws {
        let directory = try TemporaryDirectory()
        try Data("notes".utf8).write(to: directory.url.appendingPathComponent("notes.txt"))
        let result = try CommandRunner.run(["demo", "-o", directory.url.path, "--quick"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("notes.txt"))
        #expect(result.standardError.contains("--force"))
        #expect(try directory.contents() == ["notes.txt"])
    }

    @Test func missingModelsSayHowToTrainThem() throws {
        let directory = try TemporaryDirectory()
        let result = try CommandRunner.run([
            "demo", "-o", directory.path("out"), "--quick", "--models", directory.path("no-models"),
        ])
        #expect(result.status != 0)
        #expect(result.standardError.contains("en-small"))
        #expect(result.standardError.contains("bash Scripts/train_models.sh"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("out")))
    }

    @Test func reportRefusesADirectoryThatNoDemoMade() throws {
        let directory = try TemporaryDirectory()
        let result = try CommandRunner.run(["report", "-o", directory.url.path])
        #expect(result.status != 0)
        #expect(result.standardError.contains("demo.json"))
    }
}
