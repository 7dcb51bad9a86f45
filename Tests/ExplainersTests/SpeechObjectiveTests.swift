import Foundation
import NeuralCore
import Recognizer
import Testing

@testable import Explainers

/// The recogniser's objectives (one letter at one frame, a transcript's CTC log-likelihood):
/// their gradients against finite differences, on random logits and through the shipped
/// English model.
struct SpeechObjectiveTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardizedFileURL

    static func randomLogits(_ shape: [Int], seed: UInt64) -> Tensor {
        var initializer = SeededInitializer(seed: seed)
        return initializer.uniform(shape: shape, bound: 3)
    }

    /// d(sum_k weight_k score_k) / d input by central differences at `indices`.
    static func numeric(_ layer: Layer, _ input: Tensor, weights: [Float], indices: [Int]) throws -> [Float] {
        try indices.map { i in
            var plus = input
            var minus = input
            let h: Float = 1e-2
            plus.values[i] += h
            minus.values[i] -= h
            let fp = try layer.forward(plus).values
            let fm = try layer.forward(minus).values
            var total: Float = 0
            for k in weights.indices { total += weights[k] * (fp[k] - fm[k]) }
            return total / (2 * h)
        }
    }

    @Test func frameScoresGradientIsLogSoftmaxs() throws {
        let logits = Self.randomLogits([2, 5, 4], seed: 1)
        for logarithm in [true, false] {
            let layer = FrameScores(name: "f", frame: 3, logarithm: logarithm)
            let weights: [Float] = [0, 1, 0, 0, 0.5, 0, 0, -1]
            _ = try layer.forward(logits)
            let analytic = layer.backward(Tensor(shape: [2, 4], values: weights))
            let indices = [12, 13, 15, 32, 34, 0]
            let numeric = try Self.numeric(layer, logits, weights: weights, indices: indices)
            for (n, i) in zip(numeric, indices) {
                #expect(
                    abs(analytic.values[i] - n) < 2e-3,
                    "logarithm \(logarithm) index \(i): \(analytic.values[i]) vs \(n)")
            }
        }
    }

    @Test func transcriptLikelihoodGradientIsMinusCTCs() throws {
        let logits = Self.randomLogits([1, 12, 5], seed: 2)
        let layer = TranscriptLikelihood(name: "t", labels: [1, 2, 2, 3], blank: 0)
        let score = try layer.forward(logits)
        let loss = try CTC.loss(logits: logits.values, frames: 12, classes: 5, target: [1, 2, 2, 3], blank: 0).loss
        #expect(abs(score.values[0] + loss) < 1e-5)
        let analytic = layer.backward(Tensor(shape: [1, 1], values: [1]))
        let indices = [0, 7, 18, 31, 44, 59]
        let numeric = try Self.numeric(layer, logits, weights: [1], indices: indices)
        for (n, i) in zip(numeric, indices) { #expect(abs(analytic.values[i] - n) < 2e-3, "\(i)") }
    }

    @Test func saliencyThroughTheEnglishModelMatchesFiniteDifferences() throws {
        let recognizer = try Recognizer(directory: Self.root.appendingPathComponent("Corpora/models/en-small"))
        let audio = Self.root.appendingPathComponent("Tests/CorpusTests/Fixtures/en/audio/en-00000.flac")
        let features = try recognizer.features(ofFile: audio)
        let x = Tensor(shape: [1, features.frameCount, features.binCount, 1], values: features.values)
        for objective in [SpeechObjective.letter(frame: 100), .transcript(try recognizer.alphabet.encode("any tool"))] {
            let wrapped = try objective.network(for: recognizer, frames: features.frameCount)
            let explainer = ImageExplainer(network: wrapped.network, classCount: wrapped.classCount)
            let target = wrapped.classCount == 1 ? 0 : 5
            let gradient = try explainer.gradient(x, targets: [target])
            // The largest entries, where a finite difference is well above float32 noise.
            let order = gradient.values.indices.sorted { abs(gradient.values[$0]) > abs(gradient.values[$1]) }
            for i in order.prefix(3) {
                var plus = x
                var minus = x
                let h: Float = 0.05
                plus.values[i] += h
                minus.values[i] -= h
                let fp = try wrapped.network.forward(plus).values[target]
                let fm = try wrapped.network.forward(minus).values[target]
                let numeric = (fp - fm) / (2 * h)
                #expect(
                    abs(numeric - gradient.values[i]) <= 0.05 * abs(gradient.values[i]),
                    "\(objective) at \(i): \(gradient.values[i]) vs \(numeric)")
            }
        }
        #expect(throws: ExplainerError.self) {
            _ = try SpeechObjective.letter(frame: 10_000).network(for: recognizer, frames: features.frameCount)
        }
    }
}
