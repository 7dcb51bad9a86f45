import Testing

@testable import Topography

/// Topography against MiniSom driven with the same initial weights and sample order.
@Suite struct MiniSomAgreementTests {
    let fixture: MiniSomFixture

    init() throws { fixture = try MiniSomFixture.load() }

    func configuration(_ c: MiniSomFixture.Case) throws -> SOMConfiguration {
        let topology = try #require(SOMConfiguration.Topology(rawValue: c.topology))
        return SOMConfiguration(
            rows: c.rows, columns: c.columns, topology: topology, sigma: c.sigma, learningRate: c.learningRate,
            iterations: c.order.count)
    }

    func map(_ c: MiniSomFixture.Case, weights: [Double]) throws -> SelfOrganizingMap {
        try SelfOrganizingMap(configuration: configuration(c), weights: weights, dimension: c.dimension)
    }

    /// The update rule (winner, decays, Gaussian neighbourhood, hexagonal coordinates): weights
    /// after MiniSom's `update` over a recorded order, for both ways of keeping the weights.
    @Test(arguments: [TrainingStrategy.direct, .dataSpace])
    func trainedWeightsEqualMiniSom(strategy: TrainingStrategy) throws {
        for c in fixture.cases {
            let trained = SelfOrganizingMap.train(
                data: c.data, count: c.count, dimension: c.dimension, configuration: try configuration(c),
                initialWeights: c.initialWeights, order: c.order, strategy: strategy)
            let difference = maximumDifference(trained.weights, c.finalWeights)
            #expect(difference < 1e-9, "\(c.name) \(strategy): max |ours - MiniSom| = \(difference)")
        }
    }

    /// The winners along the way: replaying MiniSom's order step by step, our winner of each
    /// step equals MiniSom's `winner`.
    @Test func winnersEqualMiniSom() throws {
        for c in fixture.cases {
            var weights = c.initialWeights
            for t in 0..<c.order.count {
                let current = try map(c, weights: weights)
                let item = c.order[t]
                let winner = current.bestMatchingUnit(c.data[(item * c.dimension)..<((item + 1) * c.dimension)])
                #expect(winner == c.winners[t], "\(c.name) step \(t)")
                // One more step from MiniSom's own start, so that the two never drift apart.
                weights =
                    SelfOrganizingMap.train(
                        data: c.data, count: c.count, dimension: c.dimension, configuration: try configuration(c),
                        initialWeights: c.initialWeights, order: Array(c.order.prefix(t + 1)), iterations: c.order.count
                    ).weights
            }
        }
    }

    @Test func quantizationErrorEqualsMiniSom() throws {
        for c in fixture.cases {
            let value = try map(c, weights: c.finalWeights).quantizationError(data: c.data, count: c.count)
            #expect(abs(value - c.quantizationError) < 1e-9, "\(c.name): \(value) vs \(c.quantizationError)")
        }
    }

    @Test func topographicErrorEqualsMiniSom() throws {
        for c in fixture.cases {
            let value = try map(c, weights: c.finalWeights).topographicError(data: c.data, count: c.count)
            #expect(abs(value - c.topographicError) < 1e-9, "\(c.name): \(value) vs \(c.topographicError)")
        }
    }

    /// MiniSom's `distance_map` agrees with its own hexagonal coordinates only when `rows` is
    /// odd (see `uMatrix`); the even-rows hexagonal case is left out on purpose.
    @Test func uMatrixEqualsMiniSomDistanceMap() throws {
        var compared = 0
        for c in fixture.cases where c.topology == "rectangular" || c.rows % 2 == 1 {
            let value = try map(c, weights: c.finalWeights).uMatrix()
            #expect(maximumDifference(value, c.distanceMap) < 1e-9, "\(c.name)")
            compared += 1
        }
        #expect(compared == 4)
    }

    @Test func cellPositionsEqualMiniSomEuclideanCoordinates() throws {
        for c in fixture.cases {
            let som = try map(c, weights: c.finalWeights)
            for cell in 0..<(c.rows * c.columns) {
                let position = som.cellPosition(cell)
                #expect(abs(position.x - c.positionsX[cell]) < 1e-12, "\(c.name) cell \(cell)")
                #expect(abs(position.y - c.positionsY[cell]) < 1e-12, "\(c.name) cell \(cell)")
            }
        }
    }

    /// MiniSom's `pca_weights_init`, up to the sign of each principal component: eigenvectors
    /// have no sign of their own, and we fix it (largest entry positive) where NumPy's `eigh`
    /// returns whatever LAPACK found. One of the four sign choices must match.
    @Test func pcaInitializationEqualsMiniSomUpToSigns() throws {
        for c in fixture.cases {
            let grid = SOMGrid(rows: c.rows, columns: c.columns, topology: .rectangular)
            let plane = try PrincipalPlane(data: c.data, count: c.count, dimension: c.dimension)
            var best = Double.infinity
            for (s1, s2) in [(1.0, 1.0), (1, -1), (-1, 1), (-1, -1)] {
                var flipped = plane
                flipped.first = plane.first.map { s1 * $0 }
                flipped.second = plane.second.map { s2 * $0 }
                var weights: [Double] = []
                for row in 0..<grid.rows {
                    for column in 0..<grid.columns {
                        let c1 = SelfOrganizingMap.linspace(column, grid.columns)
                        let c2 = SelfOrganizingMap.linspace(row, grid.rows)
                        for j in 0..<c.dimension {
                            weights.append(flipped.mean[j] + c1 * flipped.first[j] + c2 * flipped.second[j])
                        }
                    }
                }
                best = min(best, maximumDifference(weights, c.pcaWeights))
            }
            #expect(best < 1e-9, "\(c.name): \(best)")
            // And the public path builds the same plane with our sign convention.
            let ours = try SelfOrganizingMap.pcaWeights(
                data: c.data, count: c.count, dimension: c.dimension, grid: grid)
            #expect(ours.count == c.pcaWeights.count)
        }
    }

    /// Seeded training end to end: final quantisation error (mean of 5 seeds) within 5 % of
    /// MiniSom's own `random_weights_init` + `train(random_order=True)` mean over 5 seeds.
    @Test func seededQualityMatchesMiniSom() throws {
        let q = fixture.quality
        var quantization = 0.0
        var topographic = 0.0
        for seed in 0..<5 {
            let configuration = SOMConfiguration(
                rows: q.rows, columns: q.columns, iterations: q.iterations, seed: UInt64(seed))
            let som = try SelfOrganizingMap.train(
                data: q.data, count: q.count, dimension: q.dimension, configuration: configuration)
            quantization += som.quantizationError(data: q.data, count: q.count) / 5
            topographic += som.topographicError(data: q.data, count: q.count) / 5
        }
        let ratio = quantization / q.meanQuantizationError
        #expect(abs(ratio - 1) < 0.05, "QE \(quantization) vs MiniSom \(q.meanQuantizationError)")
        #expect(abs(topographic - q.meanTopographicError) < 0.15, "TE \(topographic) vs \(q.meanTopographicError)")
    }
}
