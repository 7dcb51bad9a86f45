import Foundation
import Phonetics

/// Sizes of a corpus per split: hours, utterances, voices and phoneme counts.
public struct CorpusStatistics: Sendable, Codable, Equatable {
    public struct Split: Sendable, Codable, Equatable {
        public var name: String
        public var utterances: Int
        public var hours: Double
        public var voices: [String]
        /// Phone label -> number of intervals on the `phones` tiers (empty when no alignments).
        public var phonemes: [String: Int]
    }

    public var splits: [Split]

    public init(corpus: SpeechCorpus) throws {
        let order = ["train", "dev", "test", "test-voices"]
        let names = Set(corpus.entries.map(\.split)).sorted {
            (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1)
        }
        splits = try names.map { name in
            let entries = corpus.entries(split: name)
            var phonemes: [String: Int] = [:]
            for entry in entries {
                guard let grid = try corpus.alignment(for: entry) else { continue }
                let path = corpus.directory.appendingPathComponent(entry.alignment ?? "").path
                for interval in try grid.tier("phones", path: path).labelled {
                    phonemes[interval.label, default: 0] += 1
                }
            }
            return Split(
                name: name, utterances: entries.count, hours: entries.reduce(0) { $0 + $1.duration } / 3600,
                voices: Set(entries.map(\.voice)).sorted(), phonemes: phonemes)
        }
    }
}
