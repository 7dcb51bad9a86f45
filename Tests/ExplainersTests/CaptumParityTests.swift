import Foundation
import NeuralCore
import PhonoscopeIO
import Testing

@testable import Explainers

/// Attributions against Captum's on the fixture model (Scripts/make_explainer_fixtures.py:
/// the same weights in PyTorch, oracles in float64; see Fixtures/README.md). Maps agree within
/// 1e-4 of each map's largest |value|.
struct CaptumParityTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func array(_ name: String) throws -> NPYArray<Float> {
        try NPYArray<Float>(contentsOf: fixtures.appendingPathComponent(name))
    }

    static func model() throws -> ImageClassifier {
        var config = ImageClassifier.Config()
        config.channels = [8, 16, 32]
        let classifier = try ImageClassifier(config: config)
        let url = fixtures.appendingPathComponent("model.safetensors")
        try classifier.load(SafeTensors(contentsOf: url), path: url.path)
        return classifier
    }

    static func inputs() throws -> (x: Tensor, targets: [Int]) {
        let inputs = try array("inputs.npy")
        let targets = try NPYArray<Double>(contentsOf: fixtures.appendingPathComponent("targets.npy"))
        // (n, 1, 8, 8) is the same memory as channels-last (n, 8, 8, 1).
        return (Tensor(shape: [inputs.shape[0], 8, 8, 1], values: inputs.elements), targets.elements.map { Int($0) })
    }

    /// Each case's map within `tolerance` of that map's largest |reference value|.
    static func expectClose(_ actual: Tensor, _ reference: NPYArray<Float>, tolerance: Float = 1e-4, _ what: String) {
        #expect(actual.count == reference.elements.count, "\(what): \(actual.shape) vs \(reference.shape)")
        let cases = reference.shape[0]
        let size = reference.elements.count / cases
        for c in 0..<cases {
            let ref = reference.elements[(c * size)..<((c + 1) * size)]
            let peak = max(ref.map { abs($0) }.max() ?? 0, 1e-12)
            var worst: Float = 0
            for i in 0..<size { worst = max(worst, abs(actual.values[c * size + i] - ref[c * size + i])) }
            #expect(worst <= tolerance * peak, "\(what) case \(c): max difference \(worst) of peak \(peak)")
        }
    }

    @Test func logitsMatchPyTorch() throws {
        let (x, _) = try Self.inputs()
        Self.expectClose(try Self.model().logits(x), try Self.array("logits.npy"), tolerance: 1e-5, "logits")
    }

    @Test func gradientMethods() throws {
        let explainer = ImageExplainer(try Self.model())
        let (x, targets) = try Self.inputs()
        Self.expectClose(try explainer.saliency(x, targets: targets), try Self.array("saliency_abs.npy"), "saliency")
        Self.expectClose(
            try explainer.saliency(x, targets: targets, absolute: false), try Self.array("saliency.npy"), "gradient")
        Self.expectClose(
            try explainer.gradientTimesInput(x, targets: targets), try Self.array("input_x_gradient.npy"),
            "gradient x input")
        Self.expectClose(
            try explainer.guidedBackprop(x, targets: targets), try Self.array("guided_backprop.npy"), "guided backprop")
        Self.expectClose(try explainer.deconvnet(x, targets: targets), try Self.array("deconvolution.npy"), "deconvnet")
    }

    @Test func integratedGradients() throws {
        let explainer = ImageExplainer(try Self.model())
        let (x, targets) = try Self.inputs()
        let json =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Self.fixtures.appendingPathComponent("integrated_gradients.json")))
            as? [String: [String: Any]]
        for (quadrature, file, key) in [
            (Quadrature.gaussLegendre, "integrated_gradients_gl.npy", "integrated_gradients_gl"),
            (.trapezoid, "integrated_gradients_trapezoid.npy", "integrated_gradients_trapezoid"),
        ] {
            let (attribution, delta) = try explainer.integratedGradients(
                x, targets: targets, steps: 32, quadrature: quadrature)
            Self.expectClose(attribution, try Self.array(file), "integrated gradients \(quadrature)")
            let expected = try #require(json?[key]?["convergence_delta"] as? [Double])
            for (a, b) in zip(delta, expected) { #expect(abs(a - b) < 1e-3, "\(quadrature) delta \(a) vs \(b)") }
        }
    }

    @Test func gaussLegendreNodesAreExact() {
        // sum_k w_k alpha_k^m = 1 / (m + 1) for m < 2n.
        let nodes = Quadrature.gaussLegendre.nodes(8)
        for m in 0..<16 {
            let integral = nodes.reduce(0.0) { $0 + $1.weight * pow($1.alpha, Double(m)) }
            #expect(abs(integral - 1 / Double(m + 1)) < 1e-13, "x^\(m): \(integral)")
        }
    }

    @Test func classActivationMaps() throws {
        let explainer = ImageExplainer(try Self.model())
        let (x, targets) = try Self.inputs()
        let cam = try explainer.gradCAM(x, targets: targets, layer: "relu3")
        Self.expectClose(cam, try Self.array("grad_cam.npy"), "Grad-CAM")
        Self.expectClose(
            try explainer.gradCAM(x, targets: targets, layer: "relu3", relu: false), try Self.array("grad_cam_raw.npy"),
            "Grad-CAM without ReLU")
        Self.expectClose(
            ImageExplainer.upsampled(cam, height: 8, width: 8, .bilinear), try Self.array("grad_cam_upsampled.npy"),
            "Grad-CAM upsampled")
        Self.expectClose(
            try explainer.guidedGradCAM(x, targets: targets, layer: "relu3"), try Self.array("guided_grad_cam.npy"),
            "guided Grad-CAM")
    }

    @Test func occlusion() throws {
        let explainer = ImageExplainer(try Self.model())
        let (x, targets) = try Self.inputs()
        Self.expectClose(
            try explainer.occlusion(x, targets: targets, window: (2, 2), stride: (1, 1)),
            try Self.array("occlusion_2x2_s1.npy"), "occlusion 2x2")
        Self.expectClose(
            try explainer.occlusion(x, targets: targets, window: (3, 3), stride: (2, 2)),
            try Self.array("occlusion_3x3_s2.npy"), "occlusion 3x3 stride 2")
    }

    @Test func layerwiseRelevancePropagation() throws {
        let explainer = ImageExplainer(try Self.model())
        let (x, targets) = try Self.inputs()
        Self.expectClose(try explainer.lrp(x, targets: targets), try Self.array("lrp_epsilon.npy"), "LRP epsilon")
        Self.expectClose(
            try explainer.lrp(x, targets: targets, composite: .epsilon(0.25)), try Self.array("lrp_epsilon_025.npy"),
            "LRP epsilon 0.25")
        Self.expectClose(
            try explainer.lrp(x, targets: targets, composite: .gamma(0.25, epsilon: 0.25, captum: true)),
            try Self.array("lrp_gamma.npy"), "LRP gamma")
        Self.expectClose(
            try explainer.lrp(x, targets: targets, composite: .alphaBeta(alpha: 1, beta: 0, captum: true)),
            try Self.array("lrp_alpha1beta0.npy"), "LRP alpha 1 beta 0")
    }
}
