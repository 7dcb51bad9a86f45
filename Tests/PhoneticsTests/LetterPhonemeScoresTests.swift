import Foundation
import Testing

@testable import Phonetics

/// EM-learned letter-phoneme scores: on words made from a known spelling rule the learned
/// alignment must recover the rule; on CMUdict it must put silent letters on gaps.
struct LetterPhonemeScoresTests {
    /// Spelling rules: most letters one phoneme, x two, h none.
    static let rules: [Character: [String]] = [
        "a": ["æ"], "b": ["b"], "c": ["k"], "d": ["d"], "e": ["ɛ"], "i": ["ɪ"], "m": ["m"], "o": ["ɒ"],
        "s": ["s"], "t": ["t"], "x": ["k", "s"], "h": [],
    ]

    @Test func recoversAKnownSpellingRule() {
        var state: UInt64 = 3
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let letters = Array(Self.rules.keys).sorted()
        var entries: [(word: String, phonemes: [String])] = []
        var truth: [[(Character?, String?)]] = []
        for _ in 0..<600 {
            let word = (0..<(3 + next(6))).map { _ in letters[next(letters.count)] }
            var phonemes: [String] = []
            var pairs: [(Character?, String?)] = []
            for letter in word {
                let sounds = Self.rules[letter]!
                phonemes += sounds
                if sounds.isEmpty { pairs.append((letter, nil)) }
                // x: the letter takes the first phoneme, the second is a gap on the letter side.
                for (k, sound) in sounds.enumerated() { pairs.append((k == 0 ? letter : nil, sound)) }
            }
            guard !phonemes.isEmpty else { continue }
            entries.append((String(word), phonemes))
            truth.append(pairs)
        }
        let learned = LetterPhonemeScores.learn(from: entries)
        #expect(learned.iterations >= 2)
        #expect(learned.score("a", "b") < learned.score("a", "æ"))
        #expect(learned.silent("h") > learned.score("h", "k"))
        #expect(learned.score("c", "k") > learned.score("c", "s"))
        var correct = 0
        for (entry, expected) in zip(entries, truth) {
            let pairs = learned.align(word: entry.word, phonemes: entry.phonemes).pairs
            // Correct: every letter that sounds is paired with one of its own phonemes, and
            // silent letters with none (for x, k or s may take the letter; the other is a gap).
            let matched = pairs.filter { $0.a != nil && $0.b != nil }
            let consistent = matched.allSatisfy { Self.rules[$0.a!]!.contains($0.b!) }
            let sounding = entry.word.filter { !Self.rules[$0]!.isEmpty }.count
            if consistent && matched.count == sounding { correct += 1 }
            _ = expected
        }
        let share = Double(correct) / Double(entries.count)
        #expect(share > 0.95, "\(correct) of \(entries.count) words aligned as the rule says")
    }

    @Test func learnsEnglishSpellingFromCMUdict() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Corpora/dictionaries/cmudict/cmudict.dict").standardizedFileURL
        let dictionary = try CMUDict(contentsOf: url)
        let letters = Set("abcdefghijklmnopqrstuvwxyz'")
        let entries = dictionary.entries.filter { $0.key.allSatisfy(letters.contains) }.sorted { $0.key < $1.key }
            .enumerated().filter { $0.offset % 6 == 0 }.map { (word: $0.element.key, phonemes: $0.element.value) }
        let learned = LetterPhonemeScores.learn(from: entries)
        let knight = learned.align(word: "knight", phonemes: ["n", "aɪ", "t"]).pairs
        let pairs = knight.map { "\($0.a.map(String.init) ?? "-"):\($0.b ?? "-")" }
        #expect(pairs == ["k:-", "n:n", "i:aɪ", "g:-", "h:-", "t:t"], "\(pairs)")
        let phone = learned.align(word: "phone", phonemes: ["f", "oʊ", "n"]).pairs
        #expect(phone.contains { $0.a == "o" && $0.b == "oʊ" } && phone.contains { $0.a == "n" && $0.b == "n" })
        #expect(phone.last.map { $0.a == "e" && $0.b == nil } == true)
        #expect(learned.score("s", "s") > learned.score("s", "m"))
    }
}
