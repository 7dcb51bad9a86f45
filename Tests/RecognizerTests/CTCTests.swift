import Foundation
import NeuralCore
import PhonoscopeIO
import SeededRandom
import Testing

@testable import Recognizer

/// The CTC loss against PyTorch (fixtures by Scripts/make_ctc_fixtures.py), against brute force
/// over every path, and against finite differences; then decoding and error rates.
struct CTCTests {
    struct Manifest: Decodable {
        struct Case: Decodable {
            let name: String
            let frames: Int
            let classes: Int
            let blank: Int
            let batch: Int?
            let files: [String: String]
        }
        let torch: String
        let single: [Case]
        let batch: [Case]
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("CTC")
    static let manifest: Manifest = {
        do {
            let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
            return try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            fatalError("cannot read the CTC fixture manifest: \(error)")
        }
    }()

    static func array<Element: NPYElement>(_ c: Manifest.Case, _ key: String, as _: Element.Type) throws -> [Element] {
        let file = try #require(c.files[key], "case \(c.name) has no \(key) file")
        return try NPYArray<Element>(contentsOf: directory.appendingPathComponent(file)).elements
    }

    static func target(_ c: Manifest.Case, _ key: String = "target") throws -> [Int] {
        try array(c, key, as: Int64.self).map { Int($0) }
    }

    /// Uniform logits in [-scale, scale) from a seed.
    static func randomLogits(_ count: Int, seed: UInt64, scale: Float = 2) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in (2 * generator.unitFloat() - 1) * scale }
    }

    /// Softmax of every frame, in double precision.
    static func probabilities(_ logits: [Float], classes: Int) -> [Double] {
        CTC.logSoftmax(logits, frames: logits.count / classes, classes: classes).map { exp($0) }
    }

    /// p(labelling) for every labelling, by enumerating all classes^frames paths and collapsing
    /// each (merge repeats, drop blanks).
    static func bruteForce(_ probabilities: [Double], frames: Int, classes: Int, blank: Int) -> [[Int]: Double] {
        var result = [[Int]: Double]()
        var path = [Int](repeating: 0, count: frames)
        for code in 0..<Int(pow(Double(classes), Double(frames))) {
            var rest = code
            var probability = 1.0
            for t in 0..<frames {
                path[t] = rest % classes
                rest /= classes
                probability *= probabilities[t * classes + path[t]]
            }
            var labels = [Int]()
            for t in 0..<frames where path[t] != blank && (t == 0 || path[t] != path[t - 1]) {
                labels.append(path[t])
            }
            result[labels, default: 0] += probability
        }
        return result
    }

    @Test(arguments: manifest.single.map(\.name))
    func lossAndGradientMatchPyTorch(_ name: String) throws {
        let c = try #require(Self.manifest.single.first { $0.name == name })
        let logits = try Self.array(c, "logits", as: Float.self)
        let expectedLoss = try #require(try Self.array(c, "loss", as: Double.self).first)
        let expectedGradient = try Self.array(c, "gradient", as: Float.self)
        let (loss, gradient) = try CTC.loss(
            logits: logits, frames: c.frames, classes: c.classes, target: try Self.target(c), blank: c.blank)
        if expectedLoss.isInfinite {
            #expect(loss == .infinity)
            #expect(gradient.allSatisfy { $0 == 0 })
        } else {
            #expect(abs(Double(loss) - expectedLoss) / expectedLoss < 1e-6)
        }
        #expect(gradient.count == expectedGradient.count)
        let worst = zip(gradient, expectedGradient).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-5, "largest gradient difference \(worst)")
    }

    /// The log-probability entry point gives the same loss, and its gradient (-occupancy) plus
    /// the softmax is the logit gradient, as `LogSoftmax.backward` would make it.
    @Test(arguments: manifest.single.map(\.name))
    func logProbabilityVariantAgrees(_ name: String) throws {
        let c = try #require(Self.manifest.single.first { $0.name == name })
        let logits = try Self.array(c, "logits", as: Float.self)
        let target = try Self.target(c)
        let logProbabilities = CTC.logSoftmax(logits, frames: c.frames, classes: c.classes)
        let fromLogits = try CTC.loss(
            logits: logits, frames: c.frames, classes: c.classes, target: target, blank: c.blank)
        let fromLogProbabilities = try CTC.loss(
            logProbabilities: logProbabilities.map { Float($0) }, frames: c.frames, classes: c.classes,
            target: target, blank: c.blank)
        if fromLogits.loss.isInfinite {
            #expect(fromLogProbabilities.loss == .infinity)
            #expect(fromLogProbabilities.gradient.allSatisfy { $0 == 0 })
            return
        }
        #expect(abs(fromLogits.loss - fromLogProbabilities.loss) <= 1e-5 * fromLogits.loss)
        for i in logits.indices {
            let chained = Double(fromLogProbabilities.gradient[i]) + exp(logProbabilities[i])
            #expect(abs(chained - Double(fromLogits.gradient[i])) < 1e-5)
        }
    }

    @Test func batchMatchesPyTorch() throws {
        let c = try #require(Self.manifest.batch.first)
        let batch = try #require(c.batch)
        let logits = Tensor(shape: [batch, c.frames, c.classes], values: try Self.array(c, "logits", as: Float.self))
        let lengths = try Self.array(c, "lengths", as: Int64.self).map { Int($0) }
        let targets = try (0..<batch).map { try Self.target(c, "target\($0)") }
        let expectedLosses = try Self.array(c, "losses", as: Double.self)
        let expectedGradient = try Self.array(c, "gradient", as: Float.self)
        let (losses, gradient) = try CTC.loss(logits: logits, lengths: lengths, targets: targets, blank: c.blank)
        #expect(gradient.shape == logits.shape)
        for (loss, expected) in zip(losses, expectedLosses) {
            if expected.isInfinite {
                #expect(loss == .infinity)
            } else {
                #expect(abs(Double(loss) - expected) / expected < 1e-6)
            }
        }
        let worst = zip(gradient.values, expectedGradient).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-5, "largest gradient difference \(worst)")
        // Padding frames get no gradient.
        for (item, length) in lengths.enumerated() {
            let padding = (item * c.frames + length) * c.classes..<(item + 1) * c.frames * c.classes
            #expect(gradient.values[padding].allSatisfy { $0 == 0 })
        }
    }

    /// Tiny cases where every path can be listed: the loss is -log of the summed probability of
    /// the paths that collapse to the target (+infinity when none does).
    @Test(arguments: [
        (5, [1, 2], 0), (5, [1, 1], 0), (4, [2, 2, 1], 0), (3, [1, 1, 1], 0), (5, [0, 1, 0], 2), (5, [], 1),
        (2, [0, 1], 2), (1, [1], 0), (4, [1, 2, 1, 2], 0),
    ])
    func equalsBruteForce(frames: Int, target: [Int], blank: Int) throws {
        let classes = 3
        let logits = Self.randomLogits(frames * classes, seed: UInt64(frames * 31 + target.count * 7 + blank))
        let probabilities = Self.probabilities(logits, classes: classes)
        let total = Self.bruteForce(probabilities, frames: frames, classes: classes, blank: blank)
        let (loss, gradient) = try CTC.loss(
            logits: logits, frames: frames, classes: classes, target: target, blank: blank)
        if let probability = total[target] {
            #expect(abs(Double(loss) + log(probability)) < 1e-5)
        } else {
            #expect(frames < CTC.minimumFrames(for: target))
            #expect(loss == .infinity)
            #expect(gradient.allSatisfy { $0 == 0 })
        }
        #expect(abs(total.values.reduce(0, +) - 1) < 1e-12)
    }

    /// Central differences of the double-precision loss equal both analytic gradients.
    @Test(arguments: [(0, [1, 2, 2, 3]), (3, [0, 0, 1])])
    func gradientsEqualFiniteDifferences(blank: Int, target: [Int]) throws {
        let (frames, classes) = (8, 4)
        let logits = Self.randomLogits(frames * classes, seed: 7 + UInt64(blank), scale: 3)
        func exact(_ logProbabilities: [Double]) -> (logLikelihood: Double, occupancy: [Double]?) {
            CTC.forwardBackward(
                logProbabilities: logProbabilities, frames: frames, classes: classes, target: target, blank: blank)
        }
        func loss(_ logits: [Float]) -> Double {
            -exact(CTC.logSoftmax(logits, frames: frames, classes: classes)).logLikelihood
        }
        let (_, gradient) = try CTC.loss(
            logits: logits, frames: frames, classes: classes, target: target, blank: blank)
        for i in logits.indices {
            var plus = logits
            var minus = logits
            plus[i] += 1e-3
            minus[i] -= 1e-3
            let numeric = (loss(plus) - loss(minus)) / (Double(plus[i]) - Double(minus[i]))
            #expect(abs(numeric - Double(gradient[i])) < 1e-5, "logit \(i)")
        }

        // d loss / d logProbabilities = -occupancy, with the log-probabilities as free inputs.
        let logProbabilities = CTC.logSoftmax(logits, frames: frames, classes: classes)
        let occupancy = try #require(exact(logProbabilities).occupancy)
        for i in logProbabilities.indices {
            var plus = logProbabilities
            var minus = logProbabilities
            plus[i] += 1e-5
            minus[i] -= 1e-5
            let numeric = (exact(minus).logLikelihood - exact(plus).logLikelihood) / 2e-5
            #expect(abs(numeric + occupancy[i]) < 1e-6, "log-probability \(i)")
        }
    }

    /// A training-sized utterance: finite, and every frame's occupancy sums to one, so each
    /// gradient row sums to zero.
    @Test func longUtteranceIsFiniteAndBalanced() throws {
        let (frames, classes, blank) = (600, 33, 32)
        let logits = Self.randomLogits(frames * classes, seed: 600, scale: 4)
        var generator = SeededGenerator(seed: 100)
        let target = (0..<100).map { _ in generator.integer(below: classes - 1) }
        let (loss, gradient) = try CTC.loss(
            logits: logits, frames: frames, classes: classes, target: target, blank: blank)
        #expect(loss.isFinite && loss > 0)
        for t in 0..<frames {
            let row = gradient[t * classes..<(t + 1) * classes]
            #expect(abs(row.reduce(0, +)) < 1e-4)
        }
    }

    @Test func infeasibleTargetsGiveInfinityNotNaN() throws {
        // "hello" needs 6 frames: 5 letters and a blank between the l's.
        let target = [7, 4, 11, 11, 14]
        #expect(CTC.minimumFrames(for: target) == 6)
        for frames in [0, 1, 4, 5] {
            let (loss, gradient) = try CTC.loss(
                logits: Self.randomLogits(frames * 29, seed: 1), frames: frames, classes: 29, target: target,
                blank: 28)
            #expect(loss == .infinity)
            #expect(gradient.count == frames * 29 && gradient.allSatisfy { $0 == 0 })
        }
        let (loss, _) = try CTC.loss(
            logits: Self.randomLogits(6 * 29, seed: 1), frames: 6, classes: 29, target: target, blank: 28)
        #expect(loss.isFinite)
        // A label with probability zero everywhere: infinite, still no NaN.
        var logits = Self.randomLogits(6 * 3, seed: 2)
        for t in 0..<6 { logits[t * 3 + 2] = -.infinity }
        let impossible = try CTC.loss(logits: logits, frames: 6, classes: 3, target: [1, 2], blank: 0)
        #expect(impossible.loss == .infinity)
        #expect(impossible.gradient.allSatisfy { $0 == 0 })
        // No frames and no labels: the empty path, probability one.
        #expect(try CTC.loss(logits: [], frames: 0, classes: 3, target: [], blank: 0).loss == 0)
    }

    @Test func badInputsThrowNamingTheValue() throws {
        let logits = [Float](repeating: 0, count: 12)
        #expect(throws: CTCError.invalidParameter(name: "blank", value: 4, valid: "0..<4")) {
            try CTC.loss(logits: logits, frames: 3, classes: 4, target: [1], blank: 4)
        }
        #expect(throws: CTCError.invalidLabel(label: 0, position: 1, classes: 4, blank: 0)) {
            try CTC.loss(logits: logits, frames: 3, classes: 4, target: [1, 0], blank: 0)
        }
        #expect(throws: CTCError.invalidLabel(label: 7, position: 0, classes: 4, blank: 0)) {
            try CTC.loss(logits: logits, frames: 3, classes: 4, target: [7], blank: 0)
        }
        #expect(throws: CTCError.scoreCount(count: 12, frames: 4, classes: 4)) {
            try CTC.loss(logits: logits, frames: 4, classes: 4, target: [1], blank: 0)
        }
        #expect(throws: CTCError.invalidLength(utterance: 1, length: 4, frames: 3)) {
            try CTC.loss(logits: Tensor(zeros: [2, 3, 4]), lengths: [3, 4], targets: [[1], [2]], blank: 0)
        }
        #expect(throws: CTCError.batchMismatch(what: "targets", count: 1, batch: 2)) {
            try CTC.loss(logits: Tensor(zeros: [2, 3, 4]), lengths: [3, 3], targets: [[1]], blank: 0)
        }
        let description = CTCError.invalidLabel(label: -1, position: 2, classes: 29, blank: 28).description
        #expect(description.contains("-1") && description.contains("0..<29") && description.contains("28"))
    }
}

extension CTCTests {
    struct Decoding {
        /// Logits that make `path` the arg-max path.
        static func peaked(_ path: [Int], classes: Int) -> [Float] {
            var logits = [Float](repeating: 0, count: path.count * classes)
            for (t, c) in path.enumerated() { logits[t * classes + c] = 5 }
            return logits
        }

        @Test func greedyMergesRepeatsAndDropsBlanks() throws {
            let path = [1, 1, 0, 1, 2, 2, 0, 0, 3, 0]
            let result = try CTC.greedy(scores: Self.peaked(path, classes: 4), frames: 10, classes: 4, blank: 0)
            #expect(result.path == path)
            #expect(result.labels == [1, 1, 2, 3])
            #expect(result.startFrames == [0, 3, 4, 8])

            let last = [3, 3, 0, 3, 1, 1]  // blank last: 3
            let other = try CTC.greedy(scores: Self.peaked(last, classes: 4), frames: 6, classes: 4, blank: 3)
            #expect(other.labels == [0, 1])
            #expect(other.startFrames == [2, 4])
            #expect(try CTC.greedy(scores: [], frames: 0, classes: 4, blank: 0).labels.isEmpty)
        }

        /// Two frames of (blank 0.4, a 0.35, b 0.25): the best path is blank-blank (0.16), yet
        /// "a" has 0.35^2 + 2 * 0.35 * 0.4 = 0.4025. Greedy says "", the beam says "a".
        @Test func beamFindsTheLabellingGreedyMisses() throws {
            let frame = [0.4, 0.35, 0.25].map { Float(log($0)) }
            let logProbabilities = frame + frame
            let greedy = try CTC.greedy(scores: logProbabilities, frames: 2, classes: 3, blank: 0)
            #expect(greedy.labels.isEmpty)
            let beam = try CTC.beamSearch(
                logProbabilities: logProbabilities, frames: 2, classes: 3, blank: 0, beamWidth: 4)
            let best = try #require(beam.first)
            #expect(best.labels == [1])
            #expect(abs(exp(best.logProbability) - 0.4025) < 1e-6)
        }

        /// With a beam wider than the number of prefixes nothing is pruned: the hypotheses are
        /// exactly the brute-force labellings and probabilities, and the best one is on top.
        @Test(arguments: [(4, 0, UInt64(1)), (5, 2, UInt64(2)), (5, 0, UInt64(3)), (3, 1, UInt64(4))])
        func wideBeamEqualsBruteForce(frames: Int, blank: Int, seed: UInt64) throws {
            let classes = 3
            let logits = CTCTests.randomLogits(frames * classes, seed: seed, scale: 3)
            let exact = CTCTests.bruteForce(
                CTCTests.probabilities(logits, classes: classes), frames: frames, classes: classes, blank: blank)
            let beam = try CTC.beamSearch(logits: logits, frames: frames, classes: classes, blank: blank, beamWidth: 64)
            #expect(beam.count == exact.count)
            for hypothesis in beam {
                let probability = try #require(exact[hypothesis.labels])
                #expect(abs(exp(hypothesis.logProbability) - probability) < 1e-6)
            }
            let best = try #require(exact.max { $0.value < $1.value })
            #expect(beam.first?.labels == best.key)
            // A narrow beam still ranks its survivors by probability.
            let narrow = try CTC.beamSearch(
                logits: logits, frames: frames, classes: classes, blank: blank, beamWidth: 3)
            #expect(narrow.count <= 3)
            #expect(zip(narrow, narrow.dropFirst()).allSatisfy { $0.logProbability >= $1.logProbability })
        }

        @Test func tiesAreBrokenShorterThenLexicographic() throws {
            let uniform = [Float](repeating: 0, count: 3)
            let beam = try CTC.beamSearch(logits: uniform, frames: 1, classes: 3, blank: 1, beamWidth: 8)
            #expect(beam.map(\.labels) == [[], [0], [2]])
            #expect(throws: CTCError.invalidParameter(name: "beamWidth", value: 0, valid: "1 or more")) {
                try CTC.beamSearch(logits: uniform, frames: 1, classes: 3, blank: 1, beamWidth: 0)
            }
        }
    }

    struct ErrorRates {
        @Test func editDistancesOfKnownPairs() {
            #expect(ErrorRate.editDistance(Array("kitten"), Array("sitting")) == 3)
            #expect(ErrorRate.editDistance(Array("flaw"), Array("lawn")) == 2)
            #expect(ErrorRate.editDistance(Array(""), Array("abc")) == 3)
            #expect(ErrorRate.editDistance(Array("abc"), Array("")) == 3)
            #expect(ErrorRate.editDistance([1, 2, 3, 4], [1, 2, 3, 4]) == 0)
            #expect(ErrorRate.editDistance([1, 2, 3, 4], [4, 3, 2, 1]) == 4)
            #expect(
                ErrorRate.editCounts(reference: Array("abcd"), hypothesis: Array("xbd"))
                    == EditCounts(substitutions: 1, deletions: 1, insertions: 0))
            #expect(
                ErrorRate.editCounts(reference: Array("ab"), hypothesis: Array("abcd"))
                    == EditCounts(substitutions: 0, deletions: 0, insertions: 2))
        }

        @Test func characterAndWordErrorRates() {
            // CER counts spaces as characters; nothing is normalised.
            #expect(ErrorRate.characterErrorRate(reference: "the cat", hypothesis: "the bat") == 1.0 / 7)
            #expect(ErrorRate.characterErrorRate(reference: "Cat", hypothesis: "cat") == 1.0 / 3)
            #expect(ErrorRate.characterErrorRate(reference: "\u{E4}", hypothesis: "a\u{308}") == 0)
            // WER splits on any whitespace; extra spaces make no empty words.
            #expect(ErrorRate.words("  the\tcat \n sat ") == ["the", "cat", "sat"])
            #expect(ErrorRate.wordErrorRate(reference: "the cat sat", hypothesis: "the  cat sat down") == 1.0 / 3)
            #expect(ErrorRate.wordErrorRate(reference: "a b", hypothesis: "c d e f") == 2)
        }

        /// An empty reference: 0 when the hypothesis is empty too, +infinity otherwise.
        @Test func emptyReferences() {
            #expect(ErrorRate.wordErrorRate(reference: "", hypothesis: "  ") == 0)
            #expect(ErrorRate.wordErrorRate(reference: " ", hypothesis: "word") == .infinity)
            #expect(ErrorRate.characterErrorRate(reference: "", hypothesis: "") == 0)
            var accumulator = ErrorRateAccumulator(unit: .words)
            #expect(accumulator.rate == 0)
            accumulator.add(reference: "", hypothesis: "extra")
            #expect(accumulator.rate == .infinity)
            accumulator.add(reference: "one two", hypothesis: "one two")
            #expect(accumulator.rate == 0.5)
        }

        /// Corpus level: summed edits over summed reference lengths, not a mean of rates.
        @Test func accumulatorWeighsByReferenceLength() {
            var words = ErrorRateAccumulator(unit: .words)
            words.add(reference: "a b", hypothesis: "a c")
            words.add(reference: "w x y z", hypothesis: "w x y z")
            #expect(words.edits.total == 1)
            #expect(words.referenceLength == 6)
            #expect(words.utterances == 2)
            #expect(words.rate == 1.0 / 6)
            var characters = ErrorRateAccumulator(unit: .characters)
            characters.add(reference: "ab", hypothesis: "")
            characters.add(reference: "cd", hypothesis: "cde")
            #expect(characters.edits == EditCounts(substitutions: 0, deletions: 2, insertions: 1))
            #expect(characters.rate == 3.0 / 4)
        }
    }
}
