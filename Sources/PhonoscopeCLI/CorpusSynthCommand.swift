import ArgumentParser
import Corpus
import Foundation
import Phonetics

extension Language: ExpressibleByArgument {}

/// `phonoscope corpus synth`: a synthetic corpus with the true time of every phoneme.
struct CorpusSynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Synthesise a corpus with eSpeak NG: 16 kHz FLAC, true word and phone TextGrids, manifest.jsonl.",
        discussion: """
            Sentences come from Corpora/text/<language>.txt (or --sentences); voice
            variants, rates and pitches are drawn from the seed. Splits are by sentence:
            train, dev, test, and test-voices with voice variants no other split uses.
            Each utterance is spoken by a fresh process, so the same seed gives a
            byte-identical corpus. An interrupted run resumes where it stopped.

            Examples:
              phonoscope corpus synth --language en --count 2000 --seed 1 -o corpora/en
              phonoscope corpus synth --language de --count 50 --seed 7 -o /tmp/de-small \\
                --jobs 1
            """)

    @Option(help: "Language: en or de.")
    var language: Language

    @Option(help: "Number of utterances (each a different sentence).")
    var count: Int

    @Option(help: "Seed for sentences, voices, rates, pitches and splits.")
    var seed: UInt64 = 1

    @Option(name: [.customShort("o"), .long], help: "Corpus directory (created if missing).")
    var output: String

    @Option(help: "Sentence list, one normalised sentence per line (default: Corpora/text/<language>.txt).")
    var sentences: String?

    @Option(help: "Utterances synthesised at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Replace a different corpus (or other files) in the output directory.")
    var force = false

    func validate() throws {
        if count < 1 { throw ValidationError("--count \(count) is invalid; valid: 1 or more utterances") }
        if jobs < 1 { throw ValidationError("--jobs \(jobs) is invalid; valid: 1 or more") }
    }

    func run() throws {
        let sentenceURL: URL
        if let sentences {
            sentenceURL = URL(fileURLWithPath: sentences)
        } else {
            guard let found = ProjectFiles.locate("Corpora/text/\(language.rawValue).txt") else {
                throw ValidationError(
                    "cannot find Corpora/text/\(language.rawValue).txt; pass --sentences FILE or set PHONOSCOPE_HOME to the repository"
                )
            }
            sentenceURL = found
        }
        let list = try SynthesisPlan.sentences(from: sentenceURL, language: language)
        let directory = URL(fileURLWithPath: output)
        let synthesizer = try CorpusSynthesizer(
            language: language, sentences: list, count: count, seed: seed, directory: directory)
        let executable = ProjectFiles.executable
        let bar = ProgressBar(label: "corpus synth \(language.rawValue)", unit: "utt")
        let entries = try synthesizer.run(
            force: force, workerCount: jobs,
            worker: { job in try Self.synthesizeInFreshProcess(job, directory: directory, executable: executable) },
            progress: { done, total in bar.update(done: done, total: total) })
        let hours = entries.reduce(0) { $0 + $1.duration } / 3600
        print(String(format: "%@: %d utterances, %.2f h, manifest.jsonl written", output, entries.count, hours))
    }

    /// eSpeak NG is reproducible only for the first utterance of a process, so each job runs in
    /// its own `phonoscope corpus synth-one`.
    static func synthesizeInFreshProcess(_ job: UtteranceJob, directory: URL, executable: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "corpus", "synth-one", "--job", String(decoding: try encoder.encode(job), as: UTF8.self), "-o",
            directory.path,
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CorpusError.synthesisFailed(
                id: job.id,
                reason: String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}

/// `phonoscope corpus synth-one`: one utterance in this process (used by `corpus synth`).
struct CorpusSynthOneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth-one", abstract: "Synthesise one planned utterance (internal to corpus synth).",
        shouldDisplay: false)

    @Option(help: "The utterance as JSON (UtteranceJob).")
    var job: String

    @Option(name: [.customShort("o"), .long], help: "Corpus directory.")
    var output: String

    func run() throws {
        let job = try JSONDecoder().decode(UtteranceJob.self, from: Data(job.utf8))
        try UtteranceSynthesis.synthesize(job, into: URL(fileURLWithPath: output))
    }
}
