import SeededRandom
import XCTest

@testable import Projections

final class TSNETests: XCTestCase {
    func testJointProbabilitiesEqualScikitLearn() throws {
        let file = try Fixtures.decode(Fixtures.TSNEFile.self, "tsne.json")
        let blobs = file.blobs
        let points = try PointSet(values: blobs.data, count: blobs.rows, dimension: blobs.dimension)
        let p = try JointProbabilities.nearestNeighbors(points, perplexity: blobs.perplexity)
        XCTAssertEqual(p.entryCount, blobs.joint.values.count)
        var worst = 0.0
        for (index, value) in blobs.joint.values.enumerated() {
            worst = max(worst, abs(p[blobs.joint.rows[index], blobs.joint.columns[index]] - value))
        }
        XCTAssertLessThan(worst, 1e-5)
        print("t-SNE joint P (Barnes-Hut): max difference from scikit-learn \(worst)")

        let tiny = file.tiny
        let tinyPoints = try PointSet(values: tiny.data, count: tiny.rows, dimension: tiny.dimension)
        let exact = try JointProbabilities.exact(tinyPoints, perplexity: tiny.perplexity)
        var index = 0
        var worstExact = 0.0
        for i in 0..<tiny.rows {
            for j in (i + 1)..<tiny.rows {
                worstExact = max(worstExact, abs(exact[i * tiny.rows + j] - tiny.jointCondensed[index]))
                index += 1
            }
        }
        XCTAssertLessThan(worstExact, 1e-5)
        let (kl, gradient) = TSNEGradient.exact(
            p: exact, embedding: tiny.embedding, count: tiny.rows, dimension: 2)
        XCTAssertEqual(kl, tiny.kl, accuracy: 1e-5)
        for (g, expected) in zip(gradient, tiny.gradient) { XCTAssertEqual(g, expected, accuracy: 1e-5) }
    }

    func testExactGradientEqualsFiniteDifferences() throws {
        let tiny = try Fixtures.decode(Fixtures.TSNEFile.self, "tsne.json").tiny
        let points = try PointSet(values: tiny.data, count: tiny.rows, dimension: tiny.dimension)
        let p = try JointProbabilities.exact(points, perplexity: tiny.perplexity)
        let y = tiny.embedding
        let gradient = TSNEGradient.exact(p: p, embedding: y, count: tiny.rows, dimension: 2).gradient
        let h = 1e-6
        var worst = 0.0
        for c in y.indices {
            var plus = y
            var minus = y
            plus[c] += h
            minus[c] -= h
            let numeric =
                (TSNEGradient.exact(p: p, embedding: plus, count: tiny.rows, dimension: 2).kl
                    - TSNEGradient.exact(p: p, embedding: minus, count: tiny.rows, dimension: 2).kl) / (2 * h)
            worst = max(worst, abs(numeric - gradient[c]))
        }
        XCTAssertLessThan(worst, 1e-6)
    }

    func testBarnesHutAtThetaZeroEqualsExact() throws {
        let blobs = try Fixtures.decode(Fixtures.TSNEFile.self, "tsne.json").blobs
        let points = try PointSet(values: blobs.data, count: blobs.rows, dimension: blobs.dimension)
        let p = try JointProbabilities.nearestNeighbors(points, perplexity: blobs.perplexity)
        var dense = [Double](repeating: 0, count: blobs.rows * blobs.rows)
        for i in 0..<blobs.rows {
            for index in p.rowStart[i]..<p.rowStart[i + 1] {
                dense[i * blobs.rows + p.columns[index]] = p.values[index]
            }
        }
        var generator = SeededGenerator(seed: 4)
        let y = (0..<(2 * blobs.rows)).map { _ in Gaussian.draw(&generator) }
        let exact = TSNEGradient.exact(p: dense, embedding: y, count: blobs.rows, dimension: 2)
        let tree = TSNEGradient.barnesHut(p: p, embedding: y, theta: 0)
        for (a, b) in zip(exact.gradient, tree.gradient) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        XCTAssertEqual(exact.kl, tree.kl, accuracy: 1e-10)
        // theta 0.5 approximates: within a few per cent of the gradient's size.
        let approximate = TSNEGradient.barnesHut(p: p, embedding: y, theta: 0.5)
        let norm = exact.gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let error = zip(exact.gradient, approximate.gradient).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            .squareRoot()
        XCTAssertLessThan(error / norm, 0.05)
    }

    func testDigitsReachScikitLearnQuality() throws {
        let reference = try Fixtures.decode(Fixtures.TSNEFile.self, "tsne.json").digits
        let (points, _) = try Fixtures.digits()
        var configuration = TSNEConfiguration()
        configuration.perplexity = reference.perplexity
        let start = Date()
        let result = try TSNE.embed(points, configuration: configuration)
        let seconds = Date().timeIntervalSince(start)
        let embedding = try PointSet(values: result.embedding, count: points.count, dimension: 2)
        let trust = try EmbeddingScores.trustworthiness(data: points, embedding: embedding, neighbors: 5)
        print(
            "t-SNE digits (400): KL \(result.klDivergence) (scikit-learn \(reference.kl)), trustworthiness \(trust) (scikit-learn \(reference.trustworthiness)), \(result.iterations) steps, \(seconds) s"
        )
        XCTAssertLessThan(abs(result.klDivergence - reference.kl) / reference.kl, 0.10)
        XCTAssertLessThan(abs(trust - reference.trustworthiness), 0.02)
    }

    func testBarnesHutRunsRepeatBitForBit() throws {
        let blobs = try Fixtures.decode(Fixtures.TSNEFile.self, "tsne.json").blobs
        let points = try PointSet(values: blobs.data, count: blobs.rows, dimension: blobs.dimension)
        var configuration = TSNEConfiguration()
        configuration.perplexity = 10
        configuration.maximumIterations = 300
        let a = try TSNE.embed(points, configuration: configuration)
        let b = try TSNE.embed(points, configuration: configuration)
        XCTAssertEqual(a.embedding, b.embedding, "same data and configuration must give the same bits")
        XCTAssertEqual(a.iterations, 300)
    }

    func testExactMethodRunsAndRandomStartIsSeeded() throws {
        let blobs = try Fixtures.decode(Fixtures.TSNEFile.self, "tsne.json").blobs
        let points = try PointSet(values: blobs.data, count: blobs.rows, dimension: blobs.dimension)
        var configuration = TSNEConfiguration()
        configuration.method = .exact
        configuration.perplexity = 10
        configuration.maximumIterations = 300
        configuration.initialization = .random
        configuration.seed = 3
        let a = try TSNE.embed(points, configuration: configuration)
        let b = try TSNE.embed(points, configuration: configuration)
        XCTAssertEqual(a.embedding, b.embedding)
        configuration.seed = 4
        XCTAssertNotEqual(try TSNE.embed(points, configuration: configuration).embedding, a.embedding)
        let labels = blobs.labels.map(String.init)
        let hit = try EmbeddingScores.neighborhoodHit(
            embedding: try PointSet(values: a.embedding, count: blobs.rows, dimension: 2), labels: labels)
        XCTAssertGreaterThan(hit, 0.95)
    }

    func testRefusesPerplexityTooLargeForThePoints() throws {
        let points = try PointSet(values: (0..<20).map(Double.init), count: 10, dimension: 2)
        var configuration = TSNEConfiguration()
        configuration.perplexity = 10
        XCTAssertThrowsError(try TSNE.embed(points, configuration: configuration)) { error in
            XCTAssertEqual(
                "\(error)",
                "perplexity 10.0 is invalid; valid: less than the number of points (10), as scikit-learn requires")
        }
        configuration.perplexity = 3
        configuration.maximumIterations = 100
        XCTAssertThrowsError(try TSNE.embed(points, configuration: configuration)) { error in
            XCTAssertTrue("\(error)".contains("maximum iterations 100"), "\(error)")
        }
    }
}
