import Foundation

@testable import Clustering

/// The oracle fixtures written by Scripts/make_scipy_fixtures.py (SciPy, scikit-learn).
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct LinkageFile: Decodable {
        var datasets: [Dataset]
    }

    struct Dataset: Decodable {
        var name: String
        var rows: Int
        var dimension: Int
        var data: [Double]
        var metrics: [MetricCase]
    }

    struct MetricCase: Decodable {
        var metric: String
        var distances: [Double]?
        var distanceSample: [[Double]]?
        var linkages: [LinkageCase]
    }

    struct LinkageCase: Decodable {
        enum CodingKeys: String, CodingKey {
            case method, tied, copheneticCorrelation, copheneticLevels, copheneticIndex, optimalLeaves
            case optimalSwapped, maxclust, silhouette, leaves
            case z = "Z"
        }

        var method: String
        var z: [[Double]]
        var tied: Bool
        var copheneticCorrelation: Double?
        var copheneticLevels: [Double]?
        var copheneticIndex: [Int]?
        var optimalLeaves: [Int]?
        var optimalSwapped: [Int]?
        var maxclust: [String: [Int]]
        var silhouette: [String: Double]
        var leaves: [Int]
    }

    struct ScoresFile: Decodable {
        var pairs: [Pair]
        var silhouettes: [Silhouette]
        var tree: Tree
    }

    struct Pair: Decodable {
        var a: [Int]
        var b: [Int]
        var ari: Double
        var purity: Double
    }

    struct Silhouette: Decodable {
        var rows: Int
        var distances: [Double]
        var labels: [Int]
        var silhouette: Double
    }

    struct Tree: Decodable {
        var data: [Double]
        var rows: Int
        var dimension: Int
        var labels: [String]
        var newick: String
    }

    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static let linkage: LinkageFile? = try? load("linkage.json", as: LinkageFile.self)
    static let scores: ScoresFile? = try? load("scores.json", as: ScoresFile.self)
}

/// Equal within `relative` of the larger magnitude, or within `absolute` (for values near 0, such
/// as cosine distances of near-parallel rows, where pdist itself is only good to ~1e-16).
func close(_ a: Double, _ b: Double, relative: Double = 1e-6, absolute: Double = 1e-12) -> Bool {
    abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
}

extension LinkageMatrix {
    /// SciPy's `Z` rows as read from a fixture.
    static func rows(_ z: [[Double]]) -> [LinkageMatrix.Merge] {
        z.map { .init(first: Int($0[0]), second: Int($0[1]), height: $0[2], size: Int($0[3])) }
    }
}
