import Foundation
import NeuralCore
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
