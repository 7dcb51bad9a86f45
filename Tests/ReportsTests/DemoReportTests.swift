import Foundation
import Testing

@testable import Reports

/// The report from a fabricated demo directory (no models run): tables, links, errors.
struct DemoReportTests {
    static let options = DemoOptions(
        count: 24, seed: 1, quick: true, models: ["en": "/models/en-small", "de": "/models/de-small"])

    static func write(_ text: String, _ path: String, in directory: URL) throws {
        let url = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// A demo directory with every JSON the report reads and some of the figures.
    static func fabricate() throws -> URL {
        let directory = try HTMLPageTests.temporaryDirectory()
        let runner = DemoRunner(directory: directory, options: options, force: false)
        _ = try runner.prepare()
        for language in DemoOptions.languages {
            try write(
                #"{"id":"x","split":"test","duration":2.5}"# + "\n", "\(language)-corpus/manifest.jsonl",
                in: directory)
            for split in DemoPlan.splits(quick: true) {
                try write(
                    #"{"cer":0.05,"wer":0.2,"ctc_loss":"Infinity","utterances":3,"skipped_too_short":1}"#,
                    "\(language)-evaluate/\(split).json", in: directory)
            }
            try write(
                #"{"aligned":3,"utterances":4,"events":90,"events_in_segment":0.8,"median_offset_ms":12.5,"#
                    + #""p90_offset_ms":40,"coverage":0.97,"by_class":{"<nasal>":{"events":9}}}"#,
                "\(language)-align/scores.json", in: directory)
            try write(#"{"items":250,"grid":[16,16],"cells_used":200}"#, "\(language)-som/som.json", in: directory)
            try write(
                #"{"profiles":[{"layers":[{"index":9,"name":"conv9","silhouette":0.1,"groups":30}]}]}"#,
                "\(language)-cluster/scores.json", in: directory)
            try write("png", "\(language)-erp/conv9-lines.png", in: directory)
        }
        try write("x", "en-nap/en.naps", in: directory)
        try write("x", "de-nap/de.naps", in: directory)
        try write(
            #"{"shared":["s","t"],"only_first":["ð"],"only_second":["ç"],"figures":["similarity.png"],"#
                + #""layers":[{"index":1,"name":"conv1","rsa":0.2,"cka":0.5}],"#
                + #""claims":[{"claim":"early <layers> alike","evidence":"RSA & CKA","reproduced":true}]}"#,
            "compare/comparison.json", in: directory)
        try write("# x", "compare/summary.md", in: directory)
        try write("png", "compare/similarity.png", in: directory)
        return directory
    }

    @Test func pageLinksOnlyExistingRelativeFiguresAndEscapesData() throws {
        let directory = try Self.fabricate()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = try DemoReport(directory: directory).write()
        let html = try String(contentsOf: directory.appendingPathComponent("index.html"), encoding: .utf8)
        let sources = HTMLPageTests.imageSources(html)
        #expect(sources.sorted() == ["compare/similarity.png", "de-erp/conv9-lines.png", "en-erp/conv9-lines.png"])
        for source in sources {
            #expect(!source.hasPrefix("/"))
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(source).path))
        }
        #expect(missing.contains("en-som/filters.png"))
        #expect(!html.lowercased().contains("http"))
        #expect(html.contains("early &lt;layers&gt; alike"))
        #expect(html.contains("RSA &amp; CKA"))
        #expect(html.contains("&lt;nasal&gt;"))
        #expect(html.contains("5.00 %"))
        #expect(html.contains("phonoscope evaluate --model /models/en-small --corpus en-corpus --split test --json"))
        let summary = try String(contentsOf: directory.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(summary.contains("| en-small | test | 3 | 5.00 % | 20.00 % |"))
    }

    @Test func missingOutputsAreNamed() throws {
        let directory = try Self.fabricate()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("de-som/som.json"))
        try FileManager.default.removeItem(at: directory.appendingPathComponent("compare/comparison.json"))
        #expect(
            throws: ReportError.missingFiles(
                directory: directory.path, files: ["de-som/som.json", "compare/comparison.json"])
        ) {
            try DemoReport(directory: directory).write()
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("index.html").path))
    }

    @Test func runnerSkipsFinishedStagesAndRefusesForeignDirectories() throws {
        let directory = try HTMLPageTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let stages = [
            DemoStage(name: "a", title: "A", commands: [DemoStep(["x"], standardOutput: "a/out.json")], outputs: []),
            DemoStage(name: "b", title: "B", commands: [DemoStep(["fail"])], outputs: []),
        ]
        let runner = DemoRunner(directory: directory, options: Self.options, force: false)
        #expect(try runner.prepare())
        var lines: [String] = []
        #expect(throws: ReportError.self) {
            try runner.run(
                stages: stages, keepFinished: true,
                execute: { step, _ in
                    if step.arguments == ["fail"] {
                        throw ReportError.stageFailed(stage: "b", command: "x", status: 1, message: "")
                    }
                    return Data("{}".utf8)
                }, log: { lines.append($0) })
        }
        #expect(runner.isDone(stages[0]) && !runner.isDone(stages[1]))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("a/out.json").path))
        var ran: [[String]] = []
        let outcomes = try runner.run(
            stages: stages, keepFinished: try runner.prepare(),
            execute: { step, _ in
                ran.append(step.arguments)
                return Data()
            }, log: { lines.append($0) })
        #expect(ran == [["fail"]])
        #expect(outcomes["a"] == .skipped)
        #expect(lines.contains { $0.contains("a: skipped") })

        let foreign = try HTMLPageTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: foreign) }
        try Data().write(to: foreign.appendingPathComponent("thesis.tex"))
        #expect(throws: ReportError.foreignDirectory(path: foreign.path, examples: ["thesis.tex"])) {
            try DemoRunner(directory: foreign, options: Self.options, force: false).prepare()
        }
        #expect(try DemoRunner(directory: foreign, options: Self.options, force: true).prepare() == false)
        var other = Self.options
        other.seed = 2
        #expect(throws: ReportError.self) {
            try DemoRunner(directory: directory, options: other, force: false).prepare()
        }
    }
}
