import Foundation
import NeuralCore
import Recognizer
import Testing

@testable import Explainers

/// Activation maximisation: it raises its unit far above what real digits give, stays in
/// range, is reproducible, and names bad units.
struct ActivationMaximizationTests {
    @Test func theFoundInputDrivesItsUnitHarderThanAnyDigit() throws {
        let model = try CaptumParityTests.model()
        var search = ActivationMaximization()
        search.steps = 60
        let (x, value) = try search.run(network: model.network, unit: .classScore(3), shape: [1, 8, 8, 1])
        #expect(x.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        let (inputs, _) = try CaptumParityTests.inputs()
        let logits = try model.logits(inputs)
        let best = (0..<inputs.shape[0]).map { logits.values[$0 * 10 + 3] }.max() ?? 0
        #expect(value > best, "\(value) vs the best fixture digit's \(best)")
        #expect(abs(try model.logits(x).values[3] - value) < 1e-4)
        let again = try search.run(network: model.network, unit: .classScore(3), shape: [1, 8, 8, 1])
        #expect(again.input == x)
        // A hidden channel.
        let channel = try search.run(
            network: model.network, unit: .channel(layer: "relu2", index: 4), shape: [1, 8, 8, 1])
        #expect(channel.value > 0)
    }

    @Test func aRecognizerUnitIsDrivenAndJitterStaysInTime() throws {
        // The shipped English model as an image network: its relu2 channel 0 mean over output
        // frames, from a seeded random spectrogram of 200 frames.
        let recognizer = try Recognizer(
            directory: SpeechObjectiveTests.root.appendingPathComponent("Corpora/models/en-small"))
        let network = try SpeechObjective.imageNetwork(for: recognizer)
        #expect(network.layers.map(\.name).dropFirst().elementsEqual(recognizer.network.layers.map(\.name)))
        var search = ActivationMaximization()
        search.steps = 8
        search.jitter = 3
        search.jitterColumns = false
        (search.low, search.high) = (-4, 4)
        let unit = ActivationMaximization.Unit.channel(layer: "relu2", index: 0)
        search.learningRate = 0
        let start = try search.run(network: network, unit: unit, shape: [1, 200, 128, 1])
        search.learningRate = 0.05
        let found = try search.run(network: network, unit: unit, shape: [1, 200, 128, 1])
        #expect(found.value > start.value, "\(found.value) vs \(start.value) at the start")
        #expect(found.input.values.allSatisfy { $0 >= -4 && $0 <= 4 })
        // Rolled by (dy, 0), every row keeps its values; by (0, dx) they move along the bins.
        let image = Tensor(shape: [1, 3, 4, 1], values: (0..<12).map(Float.init))
        #expect(ActivationMaximization.rolled(image, 1, 0).values == [8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7])
    }

    @Test func badUnitsAreNamed() throws {
        let model = try CaptumParityTests.model()
        let search = ActivationMaximization()
        #expect(throws: ExplainerError.targetOutOfRange(target: 10, classes: 10)) {
            _ = try search.run(network: model.network, unit: .classScore(10), shape: [1, 8, 8, 1])
        }
        #expect(throws: ExplainerError.targetOutOfRange(target: 16, classes: 16)) {
            _ = try search.run(network: model.network, unit: .channel(layer: "conv2", index: 16), shape: [1, 8, 8, 1])
        }
        do {
            _ = try search.run(network: model.network, unit: .channel(layer: "conv7", index: 0), shape: [1, 8, 8, 1])
            Issue.record("an unknown layer was accepted")
        } catch {
            #expect("\(error)".contains("no layer \"conv7\"; valid: conv1, relu1"))
        }
    }
}
