import Foundation

/// Letter-to-phoneme scores for Needleman-Wunsch, learned from a pronouncing dictionary by hard
/// (Viterbi) expectation-maximisation over edit operations.
///
/// An alignment of a word's letters with its phonemes is a sequence of operations: a letter
/// with a phoneme (l, p), a silent letter (l, -), or a phoneme no letter spells on its own
/// (-, p), like the s of "x" = k s. Each operation gets the logarithm of its smoothed
/// relative frequency among all aligned operations,
///
///     s(o) = log[ (c(o) + a) / (N + a K) ]
///
/// (c the counts, N their sum, a = `smoothing`, K the number of possible operations), so that
/// Needleman-Wunsch with these substitution and per-symbol gap scores finds the most probable
/// alignment under a model of independent operations (the joint "many-to-many" letter-phoneme
/// models of G2P work, restricted to one-to-one, one-to-none and none-to-one).
///
/// The first counts come from position: letter i of an n-letter word and phoneme j of m are
/// counted together with weight max(0, 1 - 2 |(i + 1/2)/n - (j + 1/2)/m|), and every letter and
/// phoneme once as a gap with weight `initialGapWeight`. Each iteration then aligns every word
/// with the current scores and recounts the aligned operations; it stops when no alignment
/// changes or after `iterations`.
public struct LetterPhonemeScores: Sendable, Codable, Equatable {
    /// pairs[letter][phoneme]: score of the letter aligned with the phoneme.
    public var pairs: [String: [String: Double]]
    /// Score of a letter aligned to nothing (silent).
    public var silentLetters: [String: Double]
    /// Score of a phoneme aligned to no letter of its own.
    public var unspelledPhonemes: [String: Double]
    /// Score of any operation never counted.
    public var unseen: Double
    /// Words the scores were learned from, and EM iterations run.
    public var words: Int
    public var iterations: Int

    public init(
        pairs: [String: [String: Double]], silentLetters: [String: Double], unspelledPhonemes: [String: Double],
        unseen: Double, words: Int, iterations: Int
    ) {
        self.pairs = pairs
        self.silentLetters = silentLetters
        self.unspelledPhonemes = unspelledPhonemes
        self.unseen = unseen
        self.words = words
        self.iterations = iterations
    }

    public func score(_ letter: Character, _ phoneme: String) -> Double {
        pairs[String(letter)]?[phoneme] ?? unseen
    }

    public func silent(_ letter: Character) -> Double { silentLetters[String(letter)] ?? unseen }

    public func unspelled(_ phoneme: String) -> Double { unspelledPhonemes[phoneme] ?? unseen }

    /// Aligns the letters of `word` with `phonemes`: pairs in order, nil for a gap.
    public func align(word: String, phonemes: [String]) -> GlobalAlignment<Character, String> {
        NeedlemanWunsch.align(Array(word), phonemes, score: score, gapA: silent, gapB: unspelled)
    }

    /// Learns scores from (word, phonemes) entries (words as sequences of characters).
    public static func learn(
        from entries: [(word: String, phonemes: [String])], smoothing: Double = 0.1, initialGapWeight: Double = 0.2,
        iterations: Int = 10
    ) -> LetterPhonemeScores {
        let entries = entries.filter { !$0.word.isEmpty && !$0.phonemes.isEmpty }
        var counts = Counts()
        for (word, phonemes) in entries {
            let letters = Array(word)
            for (i, letter) in letters.enumerated() {
                let x = (Double(i) + 0.5) / Double(letters.count)
                for (j, phoneme) in phonemes.enumerated() {
                    let weight = max(0, 1 - 2 * abs(x - (Double(j) + 0.5) / Double(phonemes.count)))
                    if weight > 0 { counts.pairs[letter, default: [:]][phoneme, default: 0] += weight }
                }
                counts.silent[letter, default: 0] += initialGapWeight
            }
            for phoneme in phonemes { counts.unspelled[phoneme, default: 0] += initialGapWeight }
        }
        let letterSet = Set(entries.flatMap { Array($0.word) })
        let phonemeSet = Set(entries.flatMap(\.phonemes))
        var result = counts.scores(letters: letterSet, phonemes: phonemeSet, smoothing: smoothing)
        result.words = entries.count
        var previous: [[Int]] = []
        for iteration in 1...max(1, iterations) {
            counts = Counts()
            var shapes: [[Int]] = []
            shapes.reserveCapacity(entries.count)
            for (word, phonemes) in entries {
                var shape: [Int] = []
                for pair in result.align(word: word, phonemes: phonemes).pairs {
                    switch (pair.a, pair.b) {
                    case (let letter?, let phoneme?):
                        counts.pairs[letter, default: [:]][phoneme, default: 0] += 1
                        shape.append(0)
                    case (let letter?, nil):
                        counts.silent[letter, default: 0] += 1
                        shape.append(1)
                    case (nil, let phoneme?):
                        counts.unspelled[phoneme, default: 0] += 1
                        shape.append(2)
                    case (nil, nil):
                        continue
                    }
                }
                shapes.append(shape)
            }
            result = counts.scores(letters: letterSet, phonemes: phonemeSet, smoothing: smoothing)
            result.words = entries.count
            result.iterations = iteration
            if shapes == previous { break }
            previous = shapes
        }
        return result
    }

    /// Operation counts of one EM step.
    struct Counts {
        var pairs: [Character: [String: Double]] = [:]
        var silent: [Character: Double] = [:]
        var unspelled: [String: Double] = [:]

        func scores(letters: Set<Character>, phonemes: Set<String>, smoothing a: Double) -> LetterPhonemeScores {
            let pairTotal: Double = pairs.values.flatMap(\.values).reduce(0, +)
            let silentTotal: Double = silent.values.reduce(0, +)
            let unspelledTotal: Double = unspelled.values.reduce(0, +)
            let total = pairTotal + silentTotal + unspelledTotal
            let operations = Double(letters.count * phonemes.count + letters.count + phonemes.count)
            let denominator = total + a * operations
            func value(_ count: Double) -> Double { log((count + a) / denominator) }
            var result = LetterPhonemeScores(
                pairs: [:], silentLetters: [:], unspelledPhonemes: [:], unseen: value(0), words: 0, iterations: 0)
            for (letter, row) in pairs {
                for (phoneme, count) in row where count > 0 {
                    result.pairs[String(letter), default: [:]][phoneme] = value(count)
                }
            }
            for (letter, count) in silent where count > 0 { result.silentLetters[String(letter)] = value(count) }
            for (phoneme, count) in unspelled where count > 0 { result.unspelledPhonemes[phoneme] = value(count) }
            return result
        }
    }
}
