import Foundation
import SeededRandom
import Testing

@testable import Recognizer

/// The lexicon's trie (membership equals a set of words; a label sequence's penalty count equals
/// its words outside the list) and lexicon fusion in prefix beam search (a wide beam finds the
/// brute-force best fused score).
struct LexiconTests {
    /// Classes a = 0, b = 1, space = 2, blank = 3.
    static let words: [[Int]] = [[0], [0, 1], [1, 1, 0]]
    static let lexicon = try! Lexicon(words: words + [[0, 1]], classes: 4, separator: 2)

    /// Words of a labelling that are not in `words` (empty words between separators do not count).
    static func outside(_ labels: [Int], _ words: Set<[Int]>) -> Int {
        labels.split(separator: 2).filter { !words.contains(Array($0)) }.count
    }

    /// Penalties the lexicon's steps charge for a labelling, the end of the sentence included.
    static func charged(_ labels: [Int], _ lexicon: Lexicon) -> Int {
        var state = Lexicon.wordStart
        var count = 0
        for label in labels {
            let step = lexicon.step(state, label)
            state = step.state
            if step.leaves { count += 1 }
        }
        return count + (lexicon.closesOutside(state) ? 1 : 0)
    }

    @Test func membershipAndPenaltiesEqualTheWordSet() throws {
        let lexicon = Self.lexicon
        #expect(lexicon.wordCount == 3)  // [0, 1] twice counts once
        // Nodes: root, a, ab, b, bb, bba.
        #expect(lexicon.nodeCount == 6)
        let set = Set(Self.words)
        var generator = SeededGenerator(seed: 21)
        for _ in 0..<2_000 {
            let length = generator.integer(below: 9)
            let labels = (0..<length).map { _ in generator.integer(below: 3) }
            #expect(Self.charged(labels, lexicon) == Self.outside(labels, set), "\(labels)")
            if !labels.contains(2) { #expect(lexicon.contains(labels) == set.contains(labels), "\(labels)") }
        }
        #expect(throws: RecognizerError.self) { try Lexicon(words: [[0, 2]], classes: 4, separator: 2) }
        #expect(throws: RecognizerError.self) { try Lexicon(words: [[]], classes: 4, separator: 2) }
        #expect(throws: RecognizerError.self) { try Lexicon(words: [[0]], classes: 4, separator: 4) }
    }

    /// With nothing pruned, the best hypothesis maximises
    /// log p_CTC(l) + w log P_LM(l, end) + b |l| - penalty x (words of l outside the list).
    @Test(arguments: [(5, UInt64(31), 0.5, 0.5, 3.0), (5, UInt64(32), 0.2, 1.0, 1.0), (4, UInt64(33), 1.0, 0.0, 20.0)])
    func aWideBeamWithALexiconFindsTheBruteForceBest(
        frames: Int, seed: UInt64, weight: Double, bonus: Double, penalty: Double
    ) throws {
        let (classes, blank) = (4, 3)
        let logits = CTCTests.randomLogits(frames * classes, seed: seed, scale: 2.5)
        let exact = CTCTests.bruteForce(
            CTCTests.probabilities(logits, classes: classes), frames: frames, classes: classes, blank: blank)
        let lm = try CharacterLanguageModel(
            transcripts: [[0, 1, 2, 0], [1, 1, 0], [0, 2, 1, 1, 0]], classes: classes, blank: blank, order: 3)
        let set = Set(Self.words)
        func fused(_ labels: [Int], _ p: Double) -> Double {
            var score = log(p) + bonus * Double(labels.count) - penalty * Double(Self.outside(labels, set))
            for (i, label) in labels.enumerated() {
                score += weight * log(lm.probability(of: label, after: Array(labels[..<i])))
            }
            return score + weight * log(lm.probability(of: lm.end, after: labels))
        }
        let ranked = exact.sorted { fused($0.key, $0.value) > fused($1.key, $1.value) }
        let best = try #require(ranked.first)
        // The brute-force best is unique here, so the comparison is not decided by a tie.
        #expect(fused(best.key, best.value) - fused(ranked[1].key, ranked[1].value) > 1e-9)
        let fusion = LanguageModelFusion(
            model: lm, weight: weight, bonus: bonus, lexicon: Self.lexicon, oovPenalty: penalty)
        let beam = try CTC.beamSearch(
            logits: logits, frames: frames, classes: classes, blank: blank, beamWidth: 4_096, fusion: fusion)
        #expect(beam.first?.labels == best.key)
        let top = try #require(beam.first)
        #expect(abs(exp(top.logProbability) - best.value) < 1e-6)
    }

    /// A large penalty turns a best path outside the list into the best labelling inside it.
    @Test func aLargePenaltyPrefersListedWords() throws {
        let (classes, blank) = (4, 3)
        // Frames that clearly read "b a" (b, space, a): "b" is not a word, "ba" is not either.
        var logits = [Float](repeating: -4, count: 5 * classes)
        for (t, c) in [1, 2, 0, 3, 3].enumerated() { logits[t * classes + c] = 4 }
        logits[0 * classes + 0] = 3  // frame 0 could also be "a": "a a" is two listed words
        let lm = try CharacterLanguageModel(transcripts: [[0, 2, 0]], classes: classes, blank: blank, order: 1)
        let plain = try CTC.beamSearch(
            logits: logits, frames: 5, classes: classes, blank: blank, beamWidth: 64,
            fusion: LanguageModelFusion(model: lm, weight: 0, bonus: 0))
        #expect(plain.first?.labels == [1, 2, 0])
        let listed = try CTC.beamSearch(
            logits: logits, frames: 5, classes: classes, blank: blank, beamWidth: 64,
            fusion: LanguageModelFusion(model: lm, weight: 0, bonus: 0, lexicon: Self.lexicon, oovPenalty: 10))
        #expect(listed.first?.labels == [0, 2, 0])
        // A lexicon of other classes is refused.
        let wrong = try Lexicon(words: [[0]], classes: 5, separator: 2)
        #expect(throws: CTCError.self) {
            try CTC.beamSearch(
                logits: logits, frames: 5, classes: classes, blank: blank,
                fusion: LanguageModelFusion(model: lm, lexicon: wrong))
        }
    }
}

/// Exactly right sentences pool over partial evaluations as counts, not as mean accuracies.
struct EvaluationPoolingTests {
    @Test func exactCountsAddAcrossParts() throws {
        var first = Evaluation(cer: 0, wer: 0, ctcLoss: 1, utterances: 3)
        first.exact = 3
        var second = Evaluation(cer: 0.5, wer: 1, ctcLoss: 2, utterances: 1)
        second.exact = 0
        let pooled = first.merged(with: second)
        #expect(pooled.utterances == 4 && pooled.exact == 3)
        #expect(pooled.sentenceAccuracy == 0.75)  // not the mean of 1.0 and 0.0
        #expect(Evaluation(cer: 0, wer: 0, ctcLoss: 0, utterances: 0).sentenceAccuracy == 0)
    }
}
