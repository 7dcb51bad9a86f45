import Foundation
import PhonoscopeIO
import Projections

/// The oracle fixtures written by Scripts/make_projection_fixtures.py (scikit-learn 1.9,
/// umap-learn 0.5.12).
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
    }

    /// 400 jittered digits, 64 values each, and their digit labels.
    static func digits() throws -> (points: PointSet, labels: [String]) {
        let array = try NPYArray<Float>(contentsOf: folder.appendingPathComponent("digits.npy"))
        let labels = try String(contentsOf: folder.appendingPathComponent("digits-labels.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        return (
            try PointSet(values: array.elements.map(Double.init), count: array.shape[0], dimension: array.shape[1]),
            labels
        )
    }

    struct Triplets: Decodable {
        var rows: [Int]
        var columns: [Int]
        var values: [Double]
    }

    struct PCAFile: Decodable { var cases: [PCACase] }

    struct PCACase: Decodable {
        var name: String
        var rows: Int
        var dimension: Int
        var components: Int
        var data: [Double]
        var mean: [Double]
        var componentsMatrix: [[Double]]
        var transformed: [[Double]]
        var explainedVariance: [Double]
        var explainedVarianceRatio: [Double]
    }

    struct TSNEFile: Decodable {
        struct Blobs: Decodable {
            var rows: Int
            var dimension: Int
            var perplexity: Double
            var data: [Double]
            var labels: [Int]
            var joint: Triplets
        }

        struct Tiny: Decodable {
            var rows: Int
            var dimension: Int
            var perplexity: Double
            var data: [Double]
            var jointCondensed: [Double]
            var embedding: [Double]
            var kl: Double
            var gradient: [Double]
        }

        struct Digits: Decodable {
            var perplexity: Double
            var kl: Double
            var iterations: Int
            var trustworthiness: Double
        }

        var blobs: Blobs
        var tiny: Tiny
        var digits: Digits
    }

    struct UMAPFile: Decodable {
        struct GraphCase: Decodable {
            var rows: Int
            var neighbors: Int
            var knnIndices: [[Int]]
            var knnDistances: [[Double]]
            var sigmas: [Double]
            var rhos: [Double]
            var graph: Triplets
        }

        struct AB: Decodable {
            var minDist: Double
            var spread: Double
            var a: Double
            var b: Double
        }

        struct Digits: Decodable { var trustworthiness: Double }

        var graphCase: GraphCase
        var ab: [AB]
        var digits: Digits
    }

    struct ScoresFile: Decodable {
        var rows: Int
        var dimension: Int
        var data: [Double]
        var embedding: [Double]
        var labels: [Int]
        var neighborhoodHit6: Double
        var trustworthiness5: Double
        var trustworthiness10: Double
    }
}
