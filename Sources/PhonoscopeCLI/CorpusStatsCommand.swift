import ArgumentParser
import Corpus
import Foundation

/// `phonoscope corpus stats DIR`.
struct CorpusStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Hours, utterances, voices or speakers, and phoneme counts per split.",
        discussion: """
            Examples:
              phonoscope corpus stats corpora/en
              phonoscope corpus stats corpora/de --json
            """)

    @Argument(help: "Corpus directory (with manifest.jsonl).")
    var corpus: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let statistics = try CorpusStatistics(corpus: SpeechCorpus(directory: URL(fileURLWithPath: corpus)))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(statistics), as: UTF8.self))
            return
        }
        print("split        utterances   hours  voices  phonemes (distinct)")
        for split in statistics.splits {
            let total = split.phonemes.values.reduce(0, +)
            print(
                split.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(
                        format: " %10d %7.3f %7d %9d (%d)", split.utterances, split.hours, split.voices.count, total,
                        split.phonemes.count))
        }
        for split in statistics.splits where !split.phonemes.isEmpty {
            let counts = split.phonemes.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            print("\n\(split.name) phonemes: " + counts.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            print("\(split.name) voices: " + split.voices.joined(separator: ", "))
        }
    }
}
