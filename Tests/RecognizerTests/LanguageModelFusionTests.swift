import Foundation
import Testing

@testable import Recognizer

/// The character language model (Witten-Bell by hand, distributions that sum to 1) and its
/// shallow fusion into prefix beam search (a wide beam finds the brute-force best fused score).
struct LanguageModelFusionTests {
    /// Classes a = 0, b = 1, blank = 2.
    static let model = try! CharacterLanguageModel(
        transcripts: [[0, 1], [0, 0, 1], [1]], classes: 3, blank: 2, order: 2)

    @Test func wittenBellByHand() throws {
        let lm = Self.model
        // Symbols: a, b, end (V = 3). Unigram counts over 3 sentences: a 3, b 3, end 3 (total 9,
        // 3 types): P(a) = P(b) = (3 + 3 / 3) / (9 + 3) = 1/3; a unigram model says just that.
        let unigram = try CharacterLanguageModel(
            transcripts: [[0, 1], [0, 0, 1], [1]], classes: 3, blank: 2, order: 1)
        #expect(abs(unigram.probability(of: 0, after: [1, 1]) - 1.0 / 3) < 1e-12)
        // After a: a once, b twice (total 3, 2 types): P(b | a) = (2 + 2/3) / 5 = 8/15.
        #expect(abs(lm.probability(of: 1, after: [0]) - 8.0 / 15) < 1e-12)
        // The end after a was never seen: (0 + 2/3) / 5 = 2/15.
        #expect(abs(lm.probability(of: lm.end, after: [0]) - 2.0 / 15) < 1e-12)
        // At the start (history = begin): a twice, b once: P(a) = (2 + 2/3) / 5, P(b) = (1 + 2/3) / 5.
        #expect(abs(lm.probability(of: 0, after: []) - 8.0 / 15) < 1e-12)
        #expect(abs(lm.probability(of: 1, after: []) - 1.0 / 3) < 1e-12)
    }

    @Test func everyDistributionSumsToOne() throws {
        let lm = try CharacterLanguageModel(
            transcripts: [[0, 1, 3, 1], [3, 3, 0], [1, 0, 1, 0, 1]], classes: 5, blank: 2, order: 4)
        for history in [[], [0], [1, 0], [3, 3, 0], [4, 4, 4], [0, 1, 0, 1, 0, 1]] {
            let total = lm.symbols.reduce(0.0) { $0 + lm.probability(of: $1, after: history) }
            #expect(abs(total - 1) < 1e-12, "\(history): \(total)")
            let (labels, end) = lm.logDistribution(after: history)
            #expect(labels[2] == -.infinity)
            #expect(abs(labels.filter(\.isFinite).map { exp($0) }.reduce(exp(end), +) - 1) < 1e-12)
        }
        #expect(throws: RecognizerError.self) {
            try CharacterLanguageModel(transcripts: [], classes: 3, blank: 2)
        }
        #expect(throws: RecognizerError.self) {
            try CharacterLanguageModel(transcripts: [[0]], classes: 3, blank: 2, order: 0)
        }
    }

    /// With a beam wider than the number of prefixes nothing is pruned, so the best hypothesis
    /// maximises log p_CTC(l) + w log P_LM(l, end) + b |l| over every labelling l.
    @Test(arguments: [(4, UInt64(5), 0.8, 0.5), (5, UInt64(6), 1.5, 0.0), (4, UInt64(7), 0.3, 2.0)])
    func aWideFusedBeamFindsTheBruteForceBest(frames: Int, seed: UInt64, weight: Double, bonus: Double) throws {
        let (classes, blank) = (3, 2)
        let logits = CTCTests.randomLogits(frames * classes, seed: seed, scale: 2)
        let exact = CTCTests.bruteForce(
            CTCTests.probabilities(logits, classes: classes), frames: frames, classes: classes, blank: blank)
        let lm = Self.model
        func fused(_ labels: [Int], _ p: Double) -> Double {
            var score = log(p) + bonus * Double(labels.count)
            for (i, label) in labels.enumerated() {
                score += weight * log(lm.probability(of: label, after: Array(labels[..<i])))
            }
            return score + weight * log(lm.probability(of: lm.end, after: labels))
        }
        let best = try #require(exact.max { fused($0.key, $0.value) < fused($1.key, $1.value) })
        let fusion = LanguageModelFusion(model: lm, weight: weight, bonus: bonus)
        let beam = try CTC.beamSearch(
            logits: logits, frames: frames, classes: classes, blank: blank, beamWidth: 512, fusion: fusion)
        #expect(beam.first?.labels == best.key)
        // The hypotheses keep their CTC probability.
        let top = try #require(beam.first)
        #expect(abs(exp(top.logProbability) - best.value) < 1e-6)
    }

    @Test func aZeroWeightChangesNothing() throws {
        let logits = CTCTests.randomLogits(6 * 3, seed: 9, scale: 3)
        let plain = try CTC.beamSearch(logits: logits, frames: 6, classes: 3, blank: 2, beamWidth: 4)
        let fused = try CTC.beamSearch(
            logits: logits, frames: 6, classes: 3, blank: 2, beamWidth: 4,
            fusion: LanguageModelFusion(model: Self.model, weight: 0, bonus: 0))
        #expect(plain == fused)
        let wrong = try CharacterLanguageModel(transcripts: [[0]], classes: 4, blank: 3)
        #expect(throws: CTCError.self) {
            try CTC.beamSearch(
                logits: logits, frames: 6, classes: 3, blank: 2, fusion: LanguageModelFusion(model: wrong))
        }
    }
}
