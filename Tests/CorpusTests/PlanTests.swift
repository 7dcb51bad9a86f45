import Foundation
import Phonetics
import SeededRandom
import Testing

@testable import Corpus

struct PlanTests {
    @Test func splitMix64MatchesItsReferenceOutput() {
        // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var generator = SeededGenerator(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func boundedDrawsAndShufflesAreUniformEnough() {
        var generator = SeededGenerator(seed: 42)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60000 { counts[generator.integer(below: 6)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10000) < 500 }, "\(counts)")
        let shuffled = generator.shuffled(Array(0..<100))
        #expect(shuffled.sorted() == Array(0..<100))
        #expect(shuffled != Array(0..<100))
    }

    @Test func planIsSeededAndSplitsBySentence() throws {
        let list = (0..<300).map { i in "sentence " + String(repeating: "x", count: i + 1) }
        let a = try SynthesisPlan.jobs(language: .en, sentences: list, count: 200, seed: 5)
        let b = try SynthesisPlan.jobs(language: .en, sentences: list, count: 200, seed: 5)
        let c = try SynthesisPlan.jobs(language: .en, sentences: list, count: 200, seed: 6)
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a.map(\.text)).count == 200)
        let bySplit = Dictionary(grouping: a, by: \.split)
        #expect(bySplit["test-voices"]?.count == 12 && bySplit["test"]?.count == 12 && bySplit["dev"]?.count == 16)
        #expect(bySplit["train"]?.count == 160)
        let heldOut = Set((bySplit["test-voices"] ?? []).map(\.voice))
        let others = Set(a.filter { $0.split != "test-voices" }.map(\.voice))
        #expect(heldOut.isDisjoint(with: others))
        #expect(
            a.allSatisfy {
                SynthesisPlan.wordsPerMinute.contains($0.wordsPerMinute) && SynthesisPlan.pitch.contains($0.pitch)
            })
        #expect(a.first?.id == "en-00000" && a.last?.id == "en-00199")
        #expect(others.count >= 6)  // several male and female variants
    }

    @Test func badCountsNameTheLimit() {
        #expect(throws: CorpusError.invalidParameter(name: "--count", value: "0", valid: "1 or more utterances")) {
            _ = try SynthesisPlan.jobs(language: .de, sentences: ["ein satz hier"], count: 0, seed: 1)
        }
        #expect(throws: CorpusError.self) {
            _ = try SynthesisPlan.jobs(language: .de, sentences: ["ein satz hier"], count: 2, seed: 1)
        }
    }

    @Test func sentenceListsAreCheckedLineByLine() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sentences-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: url) }
        try "guten tag\nschöne grüße\nguten tag\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(try SynthesisPlan.sentences(from: url, language: .de) == ["guten tag", "schöne grüße"])
        #expect(
            throws: CorpusError.invalidTranscript(
                path: url.path, line: 2, id: "sentence", character: "ö", offset: 3, language: "en")
        ) {
            _ = try SynthesisPlan.sentences(from: url, language: .en)
        }
    }
}
