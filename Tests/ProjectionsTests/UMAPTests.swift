import SeededRandom
import XCTest

@testable import Projections

final class UMAPTests: XCTestCase {
    func testGraphEqualsUMAPLearn() throws {
        let c = try Fixtures.decode(Fixtures.UMAPFile.self, "umap.json").graphCase
        let (digits, _) = try Fixtures.digits()
        let points = try PointSet(
            values: Array(digits.values.prefix(c.rows * digits.dimension)), count: c.rows, dimension: digits.dimension)
        let graph = try FuzzySimplicialSet.build(points, neighbors: c.neighbors)
        XCTAssertEqual(graph.neighborIndices, c.knnIndices.flatMap { $0 })
        var worstDistance = 0.0
        for (a, b) in zip(graph.neighborDistances, c.knnDistances.flatMap({ $0 })) {
            worstDistance = max(worstDistance, abs(a - b))
        }
        XCTAssertLessThan(worstDistance, 1e-4)
        var worstSigma = 0.0
        var worstRho = 0.0
        for i in 0..<c.rows {
            worstSigma = max(worstSigma, abs(graph.sigmas[i] - c.sigmas[i]) / max(c.sigmas[i], 1))
            worstRho = max(worstRho, abs(graph.rhos[i] - c.rhos[i]))
        }
        XCTAssertLessThan(worstSigma, 1e-4)
        XCTAssertLessThan(worstRho, 1e-4)
        XCTAssertEqual(graph.weights.entryCount, c.graph.values.count)
        var worstWeight = 0.0
        for (index, value) in c.graph.values.enumerated() {
            worstWeight = max(worstWeight, abs(graph.weights[c.graph.rows[index], c.graph.columns[index]] - value))
        }
        XCTAssertLessThan(worstWeight, 1e-4)
        print(
            "UMAP graph: max differences from umap-learn: distance \(worstDistance), sigma (relative) \(worstSigma), rho \(worstRho), weight \(worstWeight)"
        )
    }

    func testCurveParametersEqualFindABParams() throws {
        for expected in try Fixtures.decode(Fixtures.UMAPFile.self, "umap.json").ab {
            let (a, b) = try CurveParameters.fit(minimumDistance: expected.minDist, spread: expected.spread)
            XCTAssertEqual(a, expected.a, accuracy: 1e-3, "min_dist \(expected.minDist), spread \(expected.spread)")
            XCTAssertEqual(b, expected.b, accuracy: 1e-3, "min_dist \(expected.minDist), spread \(expected.spread)")
            print(
                "find_ab_params(\(expected.spread), \(expected.minDist)): a \(a) (\(expected.a)), b \(b) (\(expected.b))"
            )
        }
    }

    func testDigitsReachUMAPLearnQualityAndRepeat() throws {
        let reference = try Fixtures.decode(Fixtures.UMAPFile.self, "umap.json").digits
        let (points, _) = try Fixtures.digits()
        var configuration = UMAPConfiguration()
        configuration.seed = 42
        let start = Date()
        let result = try UMAP.embed(points, configuration: configuration)
        let seconds = Date().timeIntervalSince(start)
        XCTAssertTrue(result.spectralInitialization)
        let embedding = try PointSet(values: result.embedding, count: points.count, dimension: 2)
        let trust = try EmbeddingScores.trustworthiness(data: points, embedding: embedding, neighbors: 5)
        print("UMAP digits (400): trustworthiness \(trust) (umap-learn \(reference.trustworthiness)), \(seconds) s")
        XCTAssertLessThan(abs(trust - reference.trustworthiness), 0.03)
        let again = try UMAP.embed(points, configuration: configuration)
        XCTAssertEqual(again.embedding, result.embedding, "same seed must give the same bits")
        configuration.seed = 43
        XCTAssertNotEqual(try UMAP.embed(points, configuration: configuration).embedding, result.embedding)
    }

    /// Far-apart blobs give a graph of several components; each is laid out on its own
    /// (`ComponentLayout`), for 3 components on the unit vectors and for 6 on the centroids'
    /// principal plane, and the blobs stay apart.
    func testDisconnectedGraphsStartFromEachComponentsSpectralLayout() throws {
        for blobs in [3, 6] {
            var generator = SeededGenerator(seed: UInt64(blobs))
            var values: [Double] = []
            var labels: [String] = []
            for blob in 0..<blobs {
                let centre = (0..<5).map { _ in 100 * Gaussian.draw(&generator) }
                for _ in 0..<25 {
                    values += centre.map { $0 + Gaussian.draw(&generator) }
                    labels.append("\(blob)")
                }
            }
            let points = try PointSet(values: values, count: 25 * blobs, dimension: 5)
            var configuration = UMAPConfiguration()
            configuration.neighbors = 10
            let graph = try FuzzySimplicialSet.build(points, neighbors: 10)
            XCTAssertEqual(SpectralLayout.componentLabels(graph.weights).max(), blobs - 1)
            let result = try UMAP.embed(points, configuration: configuration)
            XCTAssertTrue(result.spectralInitialization)
            let embedding = try PointSet(values: result.embedding, count: points.count, dimension: 2)
            XCTAssertEqual(try EmbeddingScores.neighborhoodHit(embedding: embedding, labels: labels), 1)
        }
    }

    func testRefusesTooFewPoints() throws {
        let points = try PointSet(values: (0..<30).map(Double.init), count: 15, dimension: 2)
        XCTAssertThrowsError(try UMAP.embed(points)) { error in
            XCTAssertEqual("\(error)", "15 points are too few: UMAP with 15 neighbours needs at least 16")
        }
        var configuration = UMAPConfiguration()
        configuration.minimumDistance = 2
        XCTAssertThrowsError(try configuration.validate(count: 100)) { error in
            XCTAssertTrue("\(error)".contains("spread 1.0 is invalid"), "\(error)")
        }
    }
}
