import Foundation
import Phonetics
import Testing

@testable import Corpus

/// The committed fixture corpora (made by `phonoscope corpus synth`, see Fixtures/README.md).
struct FixtureCorpusTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test(arguments: Language.allCases)
    func readsAndValidates(_ language: Language) throws {
        let corpus = try SpeechCorpus(directory: Self.fixtures.appendingPathComponent(language.rawValue))
        #expect(corpus.entries.count == 4)
        #expect(Set(corpus.entries.map(\.split)) == ["train", "dev", "test", "test-voices"])
        let inventory = Set(PhonemeInventory.inventories[language] ?? [])
        for entry in corpus.entries {
            #expect(entry.language == language.rawValue)
            let signal = try corpus.signal(for: entry)
            #expect(signal.sampleRate == 16000 && abs(signal.duration - entry.duration) < 1e-9)
            let grid = try #require(try corpus.alignment(for: entry))
            #expect(try grid.tier("words").labelled.map(\.label).joined(separator: " ") == entry.text)
            for phone in try grid.tier("phones").labelled {
                #expect(inventory.contains(phone.label), "\(entry.id): \(phone.label) is not in the inventory")
            }
            // Speech is louder inside the words than in the silences around them.
            let words = try grid.tier("words")
            func rms(_ intervals: [Interval]) -> Double {
                var sum = 0.0
                var count = 0
                for interval in intervals {
                    let range = Int(interval.start * 16000)..<min(signal.samples.count, Int(interval.end * 16000))
                    for i in range {
                        sum += Double(signal.samples[i] * signal.samples[i])
                        count += 1
                    }
                }
                return count > 0 ? (sum / Double(count)).squareRoot() : 0
            }
            let silence = words.intervals.filter { $0.label.isEmpty }
            #expect(rms(words.labelled) > 10 * rms(silence), "\(entry.id)")
        }
        let statistics = try CorpusStatistics(corpus: corpus)
        #expect(statistics.splits.map(\.name) == ["train", "dev", "test", "test-voices"])
        #expect(statistics.splits.allSatisfy { $0.utterances == 1 && !$0.phonemes.isEmpty })
    }
}
