import Foundation
import NeuralCore
import Testing

@testable import Explainers

/// The sanity checks: their similarity measures against SciPy and scikit-image
/// (Scripts/make_sanity_fixtures.py), and the cascade on the fixture model.
struct SanityCheckTests {
    @Test func similarityMatchesSciPyAndScikitImage() throws {
        let url = CaptumParityTests.fixtures.appendingPathComponent("similarity.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try #require(json["cases"] as? [[String: Any]])
        #expect(cases.count == 4)
        for item in cases {
            let a = try #require(item["a"] as? [Double])
            let b = try #require(item["b"] as? [Double])
            let name = item["name"] as? String ?? "?"
            let spearman = try #require(item["spearman"] as? Double)
            let ssim = try #require(item["ssim"] as? Double)
            #expect(abs(Similarity.spearman(a, b) - spearman) < 1e-12, "\(name) spearman")
            #expect(abs(Similarity.ssim(a, b, height: 8, width: 8) - ssim) < 1e-10, "\(name) ssim")
        }
    }

    @Test func randomisingEveryLayerChangesTheGradientButNotTheInputsShare() throws {
        let (x, targets) = try CaptumParityTests.inputs()
        let model = try CaptumParityTests.model()
        let check = SanityCheck(classifier: model, methods: [.saliency, .gradientXInput], seed: 3)
        var heard: [String] = []
        let report = try check.run(x, targets: targets) { heard.append($0) }
        #expect(heard == ["fc", "fc-conv3", "fc-conv2", "fc-conv1"])
        #expect(report.stages.map(\.name) == heard)
        #expect(report.maps.count == 5)
        // The trained model's weights are untouched.
        let fresh = try CaptumParityTests.model()
        for (a, b) in zip(model.parameters, fresh.parameters) { #expect(a.value == b.value) }
        // Saliency follows the weights; every similarity is a correlation in [-1, 1].
        #expect(report.passesCascade(.saliency))
        for stage in report.stages {
            for method in [ExplainerMethod.saliency, .gradientXInput] {
                #expect(abs(stage.spearman[method] ?? 2) <= 1 && abs(stage.ssim[method] ?? 2) <= 1)
            }
        }
        // Same seed, same report.
        let again = try check.run(x, targets: targets) { _ in }
        #expect(again.stages == report.stages)
    }
}
