import AudioFeatures
import Foundation
import Phonetics
import Testing

@testable import Corpus

/// Synthesis into a directory: files, true TextGrids, resuming, refusing foreign directories.
/// These run the worker in this process; byte-identical reruns need one process per utterance
/// and are checked end to end in PhonoscopeCLITests.
struct SynthesisTests {
    let directory: URL
    static let sentences = [
        "the cat sat on the mat", "school is out for summer", "what a wonderful world this is",
        "some people never learn anything", "my dog likes long walks in the park", "it is raining again today",
    ]

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("synth-\(UUID().uuidString)")
    }

    @Test func writesAudioTextGridsAndManifest() throws {
        let synthesizer = try CorpusSynthesizer(
            language: .en, sentences: Self.sentences, count: 5, seed: 2, directory: directory)
        let entries = try synthesizer.run(
            force: false, workerCount: 1, worker: { try UtteranceSynthesis.synthesize($0, into: directory) },
            progress: { _, _ in })
        #expect(entries.count == 5)
        let corpus = try SpeechCorpus(directory: directory)
        #expect(corpus.entries == entries)
        for entry in corpus.entries {
            let signal = try corpus.signal(for: entry)
            #expect(abs(signal.duration - entry.duration) < 1e-9)
            let grid = try #require(try corpus.alignment(for: entry))
            #expect(abs(grid.xmax - entry.duration) < 1e-9)
            #expect(try grid.tier("words").labelled.map(\.label).joined(separator: " ") == entry.text)
            let phones = try grid.tier("phones").labelled
            #expect(phones.count >= entry.text.split(separator: " ").count)
            // The signal is loud inside phones and the first phone starts within 0.2 s.
            #expect((phones.first?.start ?? 1) < 0.2)
        }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
                == ["alignments", "audio", "corpus.json", "manifest.jsonl"])
    }

    @Test func resumesWhereItStopped() throws {
        let synthesizer = try CorpusSynthesizer(
            language: .en, sentences: Self.sentences, count: 4, seed: 9, directory: directory)
        _ = try synthesizer.run(
            force: false, workerCount: 2, worker: { try UtteranceSynthesis.synthesize($0, into: directory) },
            progress: { _, _ in })
        // An interrupted run: one utterance's TextGrid never got written.
        let missing = synthesizer.jobs[2]
        try FileManager.default.removeItem(at: directory.appendingPathComponent(missing.alignmentPath))
        let done = Counter()
        _ = try synthesizer.run(
            force: false, workerCount: 2,
            worker: { job in
                done.add(job.id)
                try UtteranceSynthesis.synthesize(job, into: directory)
            }, progress: { _, _ in })
        #expect(done.ids == [missing.id])
    }

    @Test func refusesAForeignDirectoryUnlessForced() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: directory.appendingPathComponent("notes.txt"))
        let synthesizer = try CorpusSynthesizer(
            language: .en, sentences: Self.sentences, count: 2, seed: 1, directory: directory)
        let worker: @Sendable (UtteranceJob) throws -> Void = { try UtteranceSynthesis.synthesize($0, into: directory) }
        #expect(throws: CorpusError.self) {
            _ = try synthesizer.run(force: false, workerCount: 1, worker: worker, progress: { _, _ in })
        }
        _ = try synthesizer.run(force: true, workerCount: 1, worker: worker, progress: { _, _ in })
        // A different corpus in the same directory is refused too.
        let other = try CorpusSynthesizer(
            language: .en, sentences: Self.sentences, count: 3, seed: 1, directory: directory)
        do {
            _ = try other.run(force: false, workerCount: 1, worker: worker, progress: { _, _ in })
            Issue.record("a different corpus was overwritten")
        } catch let error as CorpusError {
            #expect(error.description.contains("different corpus") && error.description.contains("--force"))
        }
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("notes.txt").path))
    }

    @Test func unknownVoiceFailsNamingTheUtterance() throws {
        let job = UtteranceJob(
            id: "en-x", text: "hello", language: .en, voice: "xx-nope", wordsPerMinute: 170, pitch: 50, split: "train")
        #expect(throws: CorpusError.self) { try UtteranceSynthesis.synthesize(job, into: directory) }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ id: String) {
        lock.lock()
        list.append(id)
        lock.unlock()
    }
    var ids: [String] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }
}
