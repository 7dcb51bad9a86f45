import SeededRandom
import Testing

@testable import Topography

/// `count` points around `centres` random centres in `dimension` dimensions.
func blobs(count: Int, dimension: Int, centres: Int, seed: UInt64) -> [Double] {
    var generator = SeededGenerator(seed: seed)
    let centre = (0..<(centres * dimension)).map { _ in 6 * Double(generator.unitFloat()) - 3 }
    var data: [Double] = []
    for _ in 0..<count {
        let k = generator.integer(below: centres)
        for j in 0..<dimension { data.append(centre[k * dimension + j] + Double(generator.unitFloat()) - 0.5) }
    }
    return data
}

@Suite struct SelfOrganizingMapTests {
    @Test func sameSeedSameMapDifferentSeedsDiffer() throws {
        let data = blobs(count: 60, dimension: 4, centres: 3, seed: 1)
        for initialization in SOMConfiguration.Initialization.allCases {
            var configuration = SOMConfiguration(
                rows: 5, columns: 6, topology: .hexagonal, iterations: 400, initialization: initialization, seed: 7)
            let a = try SelfOrganizingMap.train(data: data, count: 60, dimension: 4, configuration: configuration)
            let b = try SelfOrganizingMap.train(data: data, count: 60, dimension: 4, configuration: configuration)
            #expect(a.weights == b.weights)
            configuration.seed = 8
            let c = try SelfOrganizingMap.train(data: data, count: 60, dimension: 4, configuration: configuration)
            #expect(maximumDifference(a.weights, c.weights) > 1e-3)
        }
    }

    /// Leaving out steps below 1e-16 changes nothing beyond float noise.
    @Test(arguments: [SOMConfiguration.Topology.rectangular, .hexagonal])
    func skippingNegligibleStepsEqualsFullUpdate(topology: SOMConfiguration.Topology) throws {
        let data = blobs(count: 150, dimension: 6, centres: 5, seed: 2)
        let configuration = SOMConfiguration(rows: 14, columns: 15, topology: topology, sigma: 1.5, iterations: 1500)
        var generator = SeededGenerator(seed: 3)
        let rows = (0..<configuration.cellCount).map { _ in generator.integer(below: 150) }
        let start = rows.flatMap { data[($0 * 6)..<($0 * 6 + 6)] }
        let order = (0..<1500).map { _ in generator.integer(below: 150) }
        let skipping = SelfOrganizingMap.train(
            data: data, count: 150, dimension: 6, configuration: configuration, initialWeights: start,
            initialRows: rows, order: order, strategy: .direct)
        let full = SelfOrganizingMap.train(
            data: data, count: 150, dimension: 6, configuration: configuration, initialWeights: start,
            initialRows: rows, order: order, strategy: .direct, negligibleStep: 0)
        #expect(maximumDifference(skipping.weights, full.weights) < 1e-12)
    }

    /// Both ways of keeping the weights give the same map from the same seeded start (duplicated
    /// initial rows included, where ties must go the same way).
    @Test func dataSpaceTrainingEqualsDirectTraining() throws {
        let data = blobs(count: 30, dimension: 80, centres: 3, seed: 4)
        let configuration = SOMConfiguration(rows: 7, columns: 7, iterations: 900)
        var generator = SeededGenerator(seed: 5)
        let rows = (0..<49).map { _ in generator.integer(below: 30) }
        let start = rows.flatMap { data[($0 * 80)..<($0 * 80 + 80)] }
        let order = generator.shuffled((0..<900).map { $0 % 30 })
        let direct = SelfOrganizingMap.train(
            data: data, count: 30, dimension: 80, configuration: configuration, initialWeights: start,
            initialRows: rows, order: order, strategy: .direct)
        let dataSpace = SelfOrganizingMap.train(
            data: data, count: 30, dimension: 80, configuration: configuration, initialWeights: start,
            initialRows: rows, order: order, strategy: .dataSpace)
        #expect(maximumDifference(direct.weights, dataSpace.weights) < 1e-9)
        #expect(SOMTrainer.resolved(.automatic, count: 30, dimension: 80) == .dataSpace)
        #expect(SOMTrainer.resolved(.automatic, count: 5000, dimension: 250) == .direct)
    }

    @Test func topomapDefaultsFollowTopomap23() {
        let configuration = SOMConfiguration.topomapDefaults(items: 250)
        #expect(configuration.rows == 16 && configuration.columns == 16)
        #expect(configuration.iterations == 2500 && configuration.sigma == 1 && configuration.learningRate == 0.5)
        #expect(SOMConfiguration.topomapDefaults(items: 16).rows == 5)
    }

    @Test func neighboursAreSixOrEightAndAtUnitDistance() throws {
        for rows in [4, 5] {
            let som = try SelfOrganizingMap(
                configuration: SOMConfiguration(rows: rows, columns: 5, topology: .hexagonal, iterations: 1),
                weights: [Double](repeating: 0, count: rows * 5), dimension: 1)
            let grid = som.grid
            for cell in 0..<grid.cellCount {
                let row = cell / 5
                let column = cell % 5
                let neighbours = grid.neighbours(of: cell)
                if row > 0 && row < rows - 1 && column > 0 && column < 4 { #expect(neighbours.count == 6) }
                for other in 0..<grid.cellCount where other != cell {
                    let (a, b) = (som.cellPosition(cell), som.cellPosition(other))
                    let distance = ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
                    #expect(neighbours.contains(other) == (abs(distance - 1) < 1e-9))
                }
            }
        }
        let rectangular = SOMGrid(rows: 3, columns: 3, topology: .rectangular)
        #expect(rectangular.neighbours(of: 4).count == 8)
        #expect(rectangular.neighbours(of: 0) == [1, 3, 4])
    }

    @Test func bestMatchingUnitsAgreeWithBruteForce() throws {
        let data = blobs(count: 200, dimension: 7, centres: 4, seed: 6)
        let som = try SelfOrganizingMap.train(
            data: data, count: 200, dimension: 7,
            configuration: SOMConfiguration(rows: 6, columns: 6, iterations: 500))
        let units = som.bestMatchingUnits(data: data, count: 200)
        for item in 0..<200 {
            let distances = (0..<36).map { cell in
                (0..<7).reduce(0.0) { sum, j in
                    let d = data[item * 7 + j] - som.weights[cell * 7 + j]
                    return sum + d * d
                }
            }
            #expect(distances[units[item]] == distances.min())
            #expect(som.bestMatchingUnit(data[(item * 7)..<(item * 7 + 7)]) == units[item])
        }
    }

    @Test func oneCellMapHasNoTopographicError() throws {
        let som = try SelfOrganizingMap.train(
            data: [0, 1, 2, 3], count: 2, dimension: 2,
            configuration: SOMConfiguration(rows: 1, columns: 1, iterations: 3))
        #expect(som.topographicError(data: [0, 1, 2, 3], count: 2).isNaN)
        #expect(som.uMatrix() == [0])
    }
}
