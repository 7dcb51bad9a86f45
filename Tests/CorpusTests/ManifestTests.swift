import AudioFeatures
import Foundation
import Phonetics
import Testing

@testable import Corpus

/// manifest.jsonl: round trip, errors with line numbers, and reading any audio format or rate.
struct ManifestTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func entry(_ id: String, text: String = "hello there", audio: String? = nil) -> CorpusEntry {
        CorpusEntry(
            id: id, audio: audio ?? "\(id).wav", alignment: nil, text: text, language: "en", voice: "speaker1",
            split: "train", duration: 1)
    }

    func write(_ lines: [String]) throws -> URL {
        let url = directory.appendingPathComponent(Manifest.fileName)
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func roundTripsWithSortedKeys() throws {
        let entries = [entry("a"), entry("b", text: "it's fine")]
        let url = directory.appendingPathComponent(Manifest.fileName)
        try Manifest.write(entries, to: url)
        #expect(try Manifest.read(url, checkFiles: false) == entries)
        let firstLine = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")[0]
        #expect(firstLine.hasPrefix("{\"audio\":\"a.wav\",\"duration\":1,\"id\":\"a\""))
    }

    @Test func errorsNameTheLine() throws {
        let good = String(decoding: try JSONEncoder().encode(entry("a")), as: UTF8.self)
        var url = try write([good, "", "{not json"])
        #expect(throws: CorpusError.manifestLine(path: url.path, line: 3, reason: "not a JSON object")) {
            _ = try Manifest.read(url, checkFiles: false)
        }
        url = try write([good, "{\"id\": \"b\"}"])
        do {
            _ = try Manifest.read(url, checkFiles: false)
            Issue.record("a line without keys was accepted")
        } catch let error as CorpusError {
            #expect(error.description.contains(":2:") && error.description.contains("missing key"))
        }
        url = try write([good, good])
        #expect(throws: CorpusError.duplicateID(path: url.path, line: 2, id: "a")) {
            _ = try Manifest.read(url, checkFiles: false)
        }
        let shouting = String(decoding: try JSONEncoder().encode(entry("c", text: "Hello")), as: UTF8.self)
        url = try write([shouting])
        #expect(
            throws: CorpusError.invalidTranscript(
                path: url.path, line: 1, id: "c", character: "H", offset: 0, language: "en")
        ) {
            _ = try Manifest.read(url, checkFiles: false)
        }
        url = try write([good])
        #expect(
            throws: CorpusError.missingFile(
                path: url.path, line: 1, id: "a", file: directory.appendingPathComponent("a.wav").path)
        ) {
            _ = try Manifest.read(url)
        }
    }

    @Test func readsAnyFormatAndRate() throws {
        let samples = (0..<22050).map { i in Float(sin(Double(i) * 0.1) * 0.3) }
        try AudioFile.write(
            AudioSignal(samples: samples, sampleRate: 22050), to: directory.appendingPathComponent("a.wav"))
        try AudioFile.write(
            AudioSignal(samples: samples, sampleRate: 44100), to: directory.appendingPathComponent("b.flac"))
        _ = try write([
            String(decoding: try JSONEncoder().encode(entry("a")), as: UTF8.self),
            String(decoding: try JSONEncoder().encode(entry("b", audio: "b.flac")), as: UTF8.self),
        ])
        let corpus = try SpeechCorpus(directory: directory)
        for entry in corpus.entries {
            let signal = try corpus.signal(for: entry)
            #expect(signal.sampleRate == 16000)
        }
        #expect(try corpus.signal(for: corpus.entry(id: "a")).samples.count == 16000)
        #expect(try corpus.signal(for: corpus.entry(id: "b")).samples.count == 8000)
        #expect(throws: CorpusError.unknownUtterance(id: "zz", corpus: directory.path)) {
            _ = try corpus.entry(id: "zz")
        }
    }
}
