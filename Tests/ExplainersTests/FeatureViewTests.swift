import Foundation
import NeuralCore
import Testing

@testable import Explainers

/// Receptive fields, maximally activating images and nearest neighbours, each against brute
/// force: the gradient's support, one forward pass per image, all pairwise distances.
struct FeatureViewTests {
    /// A digit-shaped network whose convolutions have positive weights, so on a positive image
    /// every ReLU is open and a unit's gradient reaches every pixel it can see.
    static func positiveNetwork() throws -> ImageClassifier {
        var config = ImageClassifier.Config()
        config.channels = [3, 4, 5]
        let classifier = try ImageClassifier(config: config, seed: 7)
        for parameter in classifier.parameters where parameter.name.hasPrefix("conv") {
            parameter.value.values = parameter.value.values.map { abs($0) + 0.01 }
        }
        return classifier
    }

    /// The bounding box of the pixels whose gradient of unit (row, column, channel 0) is nonzero.
    static func gradientSupport(_ prefix: Sequential, _ image: Tensor, row: Int, column: Int) throws
        -> ReceptiveField?
    {
        let output = try prefix.forward(image)
        var seed = Tensor(zeros: output.shape)
        let (width, channels) = (output.shape[2], output.shape[3])
        seed.values[(row * width + column) * channels] = 1
        let gradient = prefix.backward(seed)
        var rows: [Int] = []
        var columns: [Int] = []
        for i in 0..<8 {
            for j in 0..<8 where gradient.values[i * 8 + j] != 0 {
                rows.append(i)
                columns.append(j)
            }
        }
        guard let r0 = rows.min(), let r1 = rows.max(), let c0 = columns.min(), let c1 = columns.max() else {
            return nil
        }
        return ReceptiveField(rows: r0...r1, columns: c0...c1)
    }

    @Test func receptiveFieldsAreTheGradientsSupport() throws {
        let classifier = try Self.positiveNetwork()
        let image = Tensor(shape: [1, 8, 8, 1], values: (0..<64).map { 0.1 + Float($0 % 7) / 7 })
        for (layer, cells) in [
            ("conv1", [(0, 0), (3, 4), (7, 7)]), ("relu2", [(0, 0), (2, 5), (7, 0)]),
            ("pool", [(0, 0), (1, 2), (3, 3)]), ("conv3", [(0, 0), (1, 1), (3, 2)]),
        ] {
            let activations = try LayerActivations(classifier.network, layer: layer)
            for (row, column) in cells {
                let field = ReceptiveField.of(
                    row: row, column: column, through: activations.prefix.layers, height: 8, width: 8)
                let support = try #require(
                    try Self.gradientSupport(activations.prefix, image, row: row, column: column))
                if layer.hasPrefix("conv1") || layer == "relu2" {
                    #expect(support == field, "\(layer) (\(row), \(column))")
                } else {
                    // Max pooling passes the gradient through one cell of each window, so the
                    // support lies inside the field without filling it.
                    #expect(
                        field.rows.contains(support.rows.lowerBound) && field.rows.contains(support.rows.upperBound)
                            && field.columns.contains(support.columns.lowerBound)
                            && field.columns.contains(support.columns.upperBound), "\(layer) (\(row), \(column))")
                }
            }
        }
        // By hand: 3 x 3 after conv1; a pool cell covers 2 x 2 of conv2, hence 6 x 6 pixels; a
        // conv3 cell 3 x 3 pool cells, hence 10 x 10 pixels, clipped by the image's edge.
        let layers = try LayerActivations(classifier.network, layer: "conv3").prefix.layers
        #expect(
            ReceptiveField.of(row: 3, column: 4, through: Array(layers[0...0]), height: 8, width: 8)
                == ReceptiveField(rows: 2...4, columns: 3...5))
        #expect(
            ReceptiveField.of(row: 1, column: 1, through: Array(layers[0...4]), height: 8, width: 8)
                == ReceptiveField(rows: 0...5, columns: 0...5))
        #expect(
            ReceptiveField.of(row: 0, column: 3, through: layers, height: 8, width: 8)
                == ReceptiveField(rows: 0...5, columns: 2...7))
        // After global pooling a unit sees the whole image.
        let gap = try LayerActivations(classifier.network, layer: "gap").prefix.layers
        #expect(
            ReceptiveField.of(row: 0, column: 0, through: gap, height: 8, width: 8)
                == ReceptiveField(rows: 0...7, columns: 0...7))
    }

    @Test func topActivationsEqualOneForwardPassPerImage() throws {
        let (x, _) = try CaptumParityTests.inputs()
        let classifier = try CaptumParityTests.model()
        let finder = try TopActivations(classifier.network, layer: "relu2")
        let rankings = try finder.find(x, units: [0, 3, 15], count: 3)
        let prefix = finder.activations.prefix
        for (unit, ranking) in zip([0, 3, 15], rankings) {
            // Brute force: each image alone, its largest activation of the unit.
            var scores: [(Int, Float)] = []
            for n in 0..<x.shape[0] {
                let one = Tensor(shape: [1, 8, 8, 1], values: Array(x.values[(n * 64)..<((n + 1) * 64)]))
                let output = try prefix.forward(one)
                let values = stride(from: unit, to: output.count, by: 16).map { output.values[$0] }
                scores.append((n, values.max() ?? 0))
            }
            scores.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            #expect(ranking.examples.map(\.image) == scores.prefix(3).map(\.0), "unit \(unit)")
            for (example, score) in zip(ranking.examples, scores) {
                #expect(abs(example.value - score.1) <= 1e-5 * max(1, abs(score.1)))
                // The reported cell holds that value, and the patch is that cell's field.
                let field = ReceptiveField.of(
                    row: example.row, column: example.column, through: prefix.layers, height: 8, width: 8)
                #expect(example.patch == field)
            }
        }
    }

    @Test func aDeadUnitIsReportedAsConstant() throws {
        let (x, _) = try CaptumParityTests.inputs()
        let classifier = try CaptumParityTests.model()
        // conv3's channel 2 gets a large negative bias: relu3 is 0 on every image.
        let bias = try #require(classifier.parameters.first { $0.name == "conv3.bias" })
        bias.value.values[2] = -1e6
        let rankings = try TopActivations(classifier.network, layer: "relu3").find(x, units: [2, 0], count: 2)
        #expect(rankings[0].isConstant && rankings[0].lowest == 0 && rankings[0].examples.map(\.image) == [0, 1])
        #expect(!rankings[1].isConstant)
        #expect(throws: ExplainerError.self) {
            try TopActivations(classifier.network, layer: "relu3").find(x, units: [40], count: 2)
        }
        #expect(throws: ExplainerError.unknownLayer(name: "conv9", valid: classifier.layerNames)) {
            try TopActivations(classifier.network, layer: "conv9")
        }
    }

    @Test func neighboursAreTheNearestByBruteForce() throws {
        // Six points in the plane, two labels.
        let pool: [Float] = [0, 0, 1, 0, 0, 2, 5, 5, 6, 5, 5, 7]
        let labels = [0, 0, 0, 1, 1, 1]
        let space = try FeatureNeighbors(pool: pool, dimension: 2)
        let near = space.nearest([0.9, 0.1], count: 3)
        #expect(near.map(\.index) == [1, 0, 2])
        #expect(abs(near[0].distance - (0.01 + 0.01 as Double).squareRoot()) < 1e-6)
        #expect(space.nearest(pool[0..<2], count: 2, excluding: 0).map(\.index) == [1, 2])
        // Each point's two nearest others share its label.
        #expect(try space.agreement(labels: labels, k: 2) == 1)
        // With k = 3 each point has exactly one neighbour of the other group among its three.
        #expect(abs(try space.agreement(labels: labels, k: 3) - 2.0 / 3) < 1e-12)
        // Cosine distance ignores length: (5, 5) and (1, 1) are at distance 0.
        let cosine = try FeatureNeighbors(pool: [1, 1, 1, 0, 0, 1], dimension: 2, metric: .cosine)
        let aligned = cosine.nearest([5, 5], count: 3)
        #expect(aligned[0].index == 0 && abs(aligned[0].distance) < 1e-12)
        #expect(abs(aligned[1].distance - (1 - 1 / Double(2).squareRoot())) < 1e-9 && aligned[1].index == 1)
        #expect(throws: ExplainerError.self) { try FeatureNeighbors(pool: [1, .nan], dimension: 2) }
        #expect(throws: ExplainerError.self) { try space.agreement(labels: labels, k: 6) }
        #expect(throws: ExplainerError.self) { try space.agreement(labels: [0], k: 1) }
    }
}
