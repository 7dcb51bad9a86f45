import Foundation
import NeuralCore
import Testing

@testable import Explainers

/// Properties every explainer must have, checked on the fixture model and on brute force,
/// and the bad inputs the explainers refuse.
struct ExplainerPropertyTests {
    static func setup() throws -> (ImageExplainer, Tensor, [Int]) {
        let (x, targets) = try CaptumParityTests.inputs()
        return (ImageExplainer(try CaptumParityTests.model()), x, targets)
    }

    @Test func gradCAMWithoutReLUIsCAMOverTheGridArea() throws {
        // With global average pooling then one linear layer, d logit / d A_k = w_tk / (h w)
        // everywhere, so Grad-CAM's weights are CAM's divided by the grid's area.
        let (explainer, x, targets) = try Self.setup()
        let cam = try explainer.cam(x, targets: targets, layer: "relu3")
        let grad = try explainer.gradCAM(x, targets: targets, layer: "relu3", relu: false)
        for i in cam.values.indices {
            #expect(abs(cam.values[i] / 16 - grad.values[i]) <= 1e-5 * max(1, abs(cam.values[i])))
        }
    }

    @Test func gradientMatchesFiniteDifferences() throws {
        let (explainer, x, targets) = try Self.setup()
        let g = try explainer.gradient(x, targets: targets)
        let network = explainer.network
        for (row, pixel) in [(0, 19), (3, 42), (5, 27)] {
            let size = 64
            var plus = x
            var minus = x
            let h: Float = 1e-2
            plus.values[row * size + pixel] += h
            minus.values[row * size + pixel] -= h
            let fp = try network.forward(plus).values[row * 10 + targets[row]]
            let fm = try network.forward(minus).values[row * 10 + targets[row]]
            let numeric = (fp - fm) / (2 * h)
            #expect(abs(numeric - g.values[row * size + pixel]) <= 2e-2 * max(1, abs(numeric)), "\(row) \(pixel)")
        }
    }

    @Test func occlusionEqualsBruteForceForOnePixelWindows() throws {
        let (explainer, x, targets) = try Self.setup()
        let map = try explainer.occlusion(x, targets: targets, window: (1, 1), stride: (1, 1))
        let full = try explainer.network.forward(x)
        for pixel in [0, 20, 37, 63] {
            var occluded = x
            for row in 0..<x.shape[0] { occluded.values[row * 64 + pixel] = 0 }
            let scores = try explainer.network.forward(occluded)
            for row in 0..<x.shape[0] {
                let expected = full.values[row * 10 + targets[row]] - scores.values[row * 10 + targets[row]]
                #expect(abs(map.values[row * 64 + pixel] - expected) <= 1e-4 * max(1, abs(expected)))
            }
        }
    }

    @Test func relevanceIsConservedWhereNoBiasAbsorbsIt() throws {
        // A bias-free copy of the fixture model: LRP-0 (epsilon 1e-9) and z+ conserve the target
        // logit exactly up to the max pool's and average pool's stabilisers.
        let (explainer, x, targets) = try Self.setup()
        for parameter in explainer.network.parameters where parameter.name.hasSuffix(".bias") {
            parameter.value.values = parameter.value.values.map { _ in 0 }
        }
        let logits = try explainer.network.forward(x)
        for composite in [Composite.epsilon(), .alphaBeta(alpha: 1, beta: 0)] {
            let relevance = try explainer.lrp(x, targets: targets, composite: composite)
            for row in 0..<x.shape[0] {
                let total = relevance.values[(row * 64)..<((row + 1) * 64)].reduce(0, +)
                let logit = logits.values[row * 10 + targets[row]]
                if composite.name.contains("alpha") && logit <= 0 { continue }
                #expect(abs(total - logit) <= 1e-3 * max(1, abs(logit)), "\(composite): \(total) vs \(logit)")
            }
        }
    }

    @Test func zBoxRuleEqualsItsMatrixFormOnOneLinearLayer() throws {
        // A single linear layer 3 -> 2: R_i = sum_j (x_i w_ij - l w+_ij - h w-_ij) / z_j R_j.
        var initializer = SeededInitializer(seed: 3)
        let linear = try Linear(name: "fc", inFeatures: 3, outFeatures: 2, initializer: &initializer)
        let network = try Sequential([linear])
        let x = Tensor(shape: [1, 3], values: [0.2, 0.9, 0.5])
        let relevance = Tensor(shape: [1, 2], values: [1.5, -0.5])
        let pass = try ModifiedBackward(network: network, composite: .deepTaylor(low: 0, high: 1)).run(x) { _ in
            relevance
        }
        let w = linear.weight.value.values  // [out, in]
        for i in 0..<3 {
            var expected: Float = 0
            for j in 0..<2 {
                func term(_ k: Int) -> Float {
                    let weight = w[j * 3 + k]
                    return x.values[k] * weight - 0 * max(weight, 0) - 1 * min(weight, 0)
                }
                let z = (0..<3).map(term).reduce(0, +)
                expected += term(i) / (z + (z >= 0 ? 1e-9 : -1e-9)) * relevance.values[j]
            }
            #expect(abs(pass.input.values[i] - expected) < 1e-5, "input \(i): \(pass.input.values[i]) vs \(expected)")
        }
        // The layer's own weights are restored.
        #expect(linear.weight.value.values == w)
    }

    @Test func smoothGradIsReproducibleAndAveragesSaliency() throws {
        let (explainer, x, targets) = try Self.setup()
        let a = try explainer.smoothGrad(x, targets: targets, samples: 8, noise: 0.1, seed: 5)
        let b = try explainer.smoothGrad(x, targets: targets, samples: 8, noise: 0.1, seed: 5)
        #expect(a == b)
        let noiseless = try explainer.smoothGrad(x, targets: targets, samples: 3, noise: 0, seed: 5)
        let saliency = try explainer.saliency(x, targets: targets)
        for i in saliency.values.indices { #expect(abs(noiseless.values[i] - saliency.values[i]) < 1e-6) }
    }

    @Test func badInputsAreRefusedWithTheValidChoices() throws {
        let (explainer, x, targets) = try Self.setup()
        #expect(
            throws: ExplainerError.unknownLayer(
                name: "conv9", valid: ["conv1", "relu1", "conv2", "relu2", "pool", "conv3", "relu3"])
        ) {
            _ = try explainer.gradCAM(x, targets: targets, layer: "conv9")
        }
        #expect(throws: ExplainerError.targetOutOfRange(target: 10, classes: 10)) {
            _ = try explainer.saliency(x, targets: [10, 0, 0, 0, 0, 0])
        }
        #expect(throws: ExplainerError.targetOutOfRange(target: -1, classes: 10)) {
            _ = try explainer.lrp(x, targets: [-1, 0, 0, 0, 0, 0])
        }
        #expect(throws: ExplainerError.baselineEqualsInput) {
            _ = try explainer.integratedGradients(x, targets: targets, baseline: x)
        }
        let model = try CaptumParityTests.model()
        for shape in [[1, 7, 8, 1], [1, 8, 8, 3], [64]] {
            let wrong = Tensor(zeros: shape)
            do {
                _ = try model.logits(wrong)
                Issue.record("shape \(shape) accepted")
            } catch {
                #expect("\(error)".contains("the model takes 8 x 8 pixels with 1 channel(s)"), "\(error)")
            }
        }
        #expect(throws: ExplainerError.self) {
            _ = try explainer.occlusion(x, targets: targets, window: (9, 2), stride: (1, 1))
        }
        #expect(throws: ExplainerError.self) { _ = try explainer.cam(x, targets: targets, layer: "relu1") }
    }

    @Test func upsamplingMatchesPyTorchsConventions() {
        let map = Tensor(shape: [1, 2, 2, 1], values: [0, 1, 2, 3])
        let nearest = ImageExplainer.upsampled(map, height: 4, width: 4, .nearest)
        #expect(nearest.values == [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3])
        // align_corners False: source = (dst + 0.5) / 2 - 0.5, clamped at 0 -> 0, 0.25, 0.75, 1.
        let bilinear = ImageExplainer.upsampled(map, height: 1, width: 4, .bilinear)
        #expect(bilinear.shape == [1, 1, 4, 1])
        let top = ImageExplainer.upsampled(
            Tensor(shape: [1, 1, 2, 1], values: [0, 1]), height: 1, width: 4, .bilinear)
        #expect(top.values == [0, 0.25, 0.75, 1])
    }
}
