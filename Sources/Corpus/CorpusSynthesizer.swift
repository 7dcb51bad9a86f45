import AudioFeatures
import Foundation
import Phonetics
import PhonoscopeIO

/// Makes a synthetic corpus: plans the utterances from the seed, runs them on several workers,
/// resumes an interrupted run, and writes `manifest.jsonl` last.
///
/// Reproducibility: eSpeak NG's output is identical only for the first utterance a process
/// speaks (DESIGN.md), so the caller's `worker` should synthesise each job in a fresh process
/// (the command line runs `phonoscope corpus synth-one`). With that, the same seed gives a
/// byte-identical corpus. The directory's `corpus.json` records what the corpus is; a directory
/// holding anything else is refused unless `force` is set.
public struct CorpusSynthesizer: Sendable {
    /// What identifies a corpus: a rerun with the same settings resumes it.
    public struct Settings: Codable, Equatable, Sendable {
        public var language: Language
        public var count: Int
        public var seed: UInt64
        /// Number of distinct sentences in the source list and a digest of them.
        public var sentenceCount: Int
        public var sentenceDigest: String
        public var planVersion: Int
    }

    public static let settingsFile = "corpus.json"

    public let directory: URL
    public let settings: Settings
    public let jobs: [UtteranceJob]

    public init(language: Language, sentences: [String], count: Int, seed: UInt64, directory: URL) throws {
        self.directory = directory
        self.jobs = try SynthesisPlan.jobs(language: language, sentences: sentences, count: count, seed: seed)
        self.settings = Settings(
            language: language, count: count, seed: seed, sentenceCount: sentences.count,
            sentenceDigest: Self.digest(sentences), planVersion: SynthesisPlan.version)
    }

    /// Prepares the directory: creates it, resumes a corpus with the same settings, or refuses
    /// (unless `force`) a directory with other content. Returns the jobs still to do.
    public func prepare(force: Bool) throws -> [UtteranceJob] {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        let settingsURL = directory.appendingPathComponent(Self.settingsFile)
        let contents = (try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? []
        if !contents.isEmpty {
            let existing = try? JSONDecoder().decode(Settings.self, from: Data(contentsOf: settingsURL))
            if existing != settings {
                guard force else {
                    let reason =
                        existing == nil
                        ? "the directory is not empty and holds no Phonoscope corpus"
                        : "the directory holds a different corpus (\(existing.map { "\($0.language.rawValue), count \($0.count), seed \($0.seed)" } ?? ""))"
                    throw CorpusError.foreignDirectory(path: directory.path, reason: reason)
                }
                for name in [Self.settingsFile, Manifest.fileName, "audio", "alignments"] {
                    try? fileManager.removeItem(at: directory.appendingPathComponent(name))
                }
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try encoder.encode(settings), to: settingsURL)
        try? fileManager.removeItem(at: directory.appendingPathComponent(Manifest.fileName))
        // Temporary files of writes that an interruption cut short.
        for folder in ["audio", "alignments"] {
            let url = directory.appendingPathComponent(folder)
            for name in (try? fileManager.contentsOfDirectory(atPath: url.path)) ?? [] where name.contains(".partial") {
                try? fileManager.removeItem(at: url.appendingPathComponent(name))
            }
        }
        return jobs.filter { !UtteranceSynthesis.isComplete($0, in: directory) }
    }

    /// Runs `worker` on every job not yet done, `workerCount` at a time, calling `progress` with
    /// (finished, total) after each; then writes the manifest. A failing job stops the run after
    /// the running ones finish; the finished ones are kept for the next run.
    public func run(
        force: Bool, workerCount: Int, worker: @escaping @Sendable (UtteranceJob) throws -> Void,
        progress: @escaping @Sendable (Int, Int) -> Void
    ) throws -> [CorpusEntry] {
        let remaining = try prepare(force: force)
        let queue = JobQueue(jobs: remaining, alreadyDone: jobs.count - remaining.count)
        progress(queue.finished, jobs.count)
        DispatchQueue.concurrentPerform(iterations: max(1, workerCount)) { _ in
            while let job = queue.next() {
                do {
                    try worker(job)
                    progress(queue.markFinished(), jobs.count)
                } catch {
                    queue.fail(error)
                }
            }
        }
        if let error = queue.failure { throw error }
        let entries = try jobs.map { job in
            let info = try AudioFile.info(directory.appendingPathComponent(job.audioPath))
            return CorpusEntry(
                id: job.id, audio: job.audioPath, alignment: job.alignmentPath, text: job.text,
                language: job.language.rawValue, voice: job.voice, split: job.split,
                duration: Double(info.frameCount) / Double(info.sampleRate))
        }
        try Manifest.write(entries, to: directory.appendingPathComponent(Manifest.fileName))
        return entries
    }

    /// FNV-1a over the sentences, as 16 hex digits: enough to notice a changed list.
    static func digest(_ sentences: [String]) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for sentence in sentences {
            for byte in sentence.utf8 + [0x0A] {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Hands out jobs to workers under a lock and counts what finished.
private final class JobQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var jobs: [UtteranceJob]
    private var index = 0
    private(set) var finished: Int
    private(set) var failure: Error?

    init(jobs: [UtteranceJob], alreadyDone: Int) {
        self.jobs = jobs
        self.finished = alreadyDone
    }

    func next() -> UtteranceJob? {
        lock.lock()
        defer { lock.unlock() }
        guard failure == nil, index < jobs.count else { return nil }
        index += 1
        return jobs[index - 1]
    }

    func markFinished() -> Int {
        lock.lock()
        defer { lock.unlock() }
        finished += 1
        return finished
    }

    func fail(_ error: Error) {
        lock.lock()
        defer { lock.unlock() }
        if failure == nil { failure = error }
    }
}
