import Foundation

/// Tests/TopographyTests/Fixtures/minisom.json, written by Scripts/make_minisom_fixtures.py.
struct MiniSomFixture: Decodable {
    struct Case: Decodable {
        var name: String
        var count: Int
        var dimension: Int
        var rows: Int
        var columns: Int
        var topology: String
        var sigma: Double
        var learningRate: Double
        var data: [Double]
        var initialWeights: [Double]
        var order: [Int]
        var winners: [Int]
        var finalWeights: [Double]
        var quantizationError: Double
        var topographicError: Double
        var distanceMap: [Double]
        var pcaWeights: [Double]
        var positionsX: [Double]
        var positionsY: [Double]
    }

    struct Quality: Decodable {
        var count: Int
        var dimension: Int
        var rows: Int
        var columns: Int
        var iterations: Int
        var data: [Double]
        var meanQuantizationError: Double
        var meanTopographicError: Double
    }

    var minisom: String
    var cases: [Case]
    var quality: Quality

    static func load() throws -> MiniSomFixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/minisom.json")
        return try JSONDecoder().decode(MiniSomFixture.self, from: Data(contentsOf: url))
    }
}

/// The largest absolute difference between two equally long arrays.
func maximumDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "\(a.count) != \(b.count)")
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
