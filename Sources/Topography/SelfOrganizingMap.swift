import COpenBLAS
import SeededRandom

/// A Kohonen self-organising map trained as MiniSom 2.3 trains one, and its quality measures.
///
/// Layout: `weights` is `(rows * columns) x dimension`, row-major; cell `row * columns + column`.
/// (MiniSom's `get_weights()` is `(x, y, dim)` = `(columns, rows, dim)`: transpose the first two
/// axes to compare.) Used for [TOPOMAP23] topomaps of neurons and for maps of first-layer filters.
public struct SelfOrganizingMap: Sendable {
    public let configuration: SOMConfiguration
    /// `(rows * columns) x dimension`, row-major.
    public var weights: [Double]
    /// Features per item and per cell.
    public let dimension: Int

    var grid: SOMGrid {
        SOMGrid(rows: configuration.rows, columns: configuration.columns, topology: configuration.topology)
    }

    /// A map from known weights (for example a saved one); throws if the sizes disagree.
    public init(configuration: SOMConfiguration, weights: [Double], dimension: Int) throws {
        try configuration.validate()
        guard dimension >= 1 else {
            throw TopographyError.emptyData(count: configuration.cellCount, dimension: dimension)
        }
        guard weights.count == configuration.cellCount * dimension else {
            throw TopographyError.dimensionMismatch(
                expected: configuration.cellCount * dimension, actual: weights.count, count: configuration.cellCount,
                dimension: dimension)
        }
        self.configuration = configuration
        self.weights = weights
        self.dimension = dimension
    }

    /// Trains a map on `data` (`count x dimension`, row-major) as MiniSom's
    /// `train(data, iterations, random_order=True)` does.
    ///
    /// Concretely: the weights start as `configuration.initialization` says; the sample order is
    /// `0, 1, ..., count - 1, 0, 1, ...` (`iterations` entries) shuffled, so each item is used
    /// `iterations / count` times give or take one (MiniSom's `_build_iteration_indexes`); at
    /// step `t` the winner `b` of `x` is the nearest cell (euclidean) and every cell moves
    ///
    ///     w_c += eta(t) h(c, b, t) (x - w_c)
    ///
    /// with `eta` and `h` of `GaussianNeighbourhood` (both decay asymptotically to a third).
    /// Initial rows and order come from one `SeededGenerator(seed:)`: same seed, same map.
    ///
    /// - Throws: `TopographyError` for a bad configuration, no items, `data.count` not
    ///   `count * dimension`, a non-finite value, or PCA on fewer than 2 items or features.
    public static func train(
        data: [Double], count: Int, dimension: Int, configuration: SOMConfiguration
    ) throws -> SelfOrganizingMap {
        try configuration.validate()
        try checkData(data, count: count, dimension: dimension)
        let grid = SOMGrid(rows: configuration.rows, columns: configuration.columns, topology: configuration.topology)
        var generator = SeededGenerator(seed: configuration.seed)
        let initialWeights: [Double]
        var initialRows: [Int]?
        switch configuration.initialization {
        case .random:
            let rows = (0..<grid.cellCount).map { _ in generator.integer(below: count) }
            var start = [Double](repeating: 0, count: grid.cellCount * dimension)
            for (cell, row) in rows.enumerated() {
                start[(cell * dimension)..<((cell + 1) * dimension)] = data[(row * dimension)..<((row + 1) * dimension)]
            }
            initialWeights = start
            initialRows = rows
        case .pca:
            guard count >= 2, dimension >= 2 else {
                throw TopographyError.pcaNeedsTwoItemsAndFeatures(count: count, dimension: dimension)
            }
            initialWeights = try pcaWeights(data: data, count: count, dimension: dimension, grid: grid)
        }
        let order = generator.shuffled((0..<configuration.iterations).map { $0 % count })
        return train(
            data: data, count: count, dimension: dimension, configuration: configuration,
            initialWeights: initialWeights, initialRows: initialRows, order: order)
    }

    /// Training from given initial weights with a given sample order (for tests against MiniSom
    /// driven the same way); `order.count` plays `iterations` unless `iterations` is given.
    static func train(
        data: [Double], count: Int, dimension: Int, configuration: SOMConfiguration, initialWeights: [Double],
        initialRows: [Int]? = nil, order: [Int], iterations: Int? = nil, strategy: TrainingStrategy = .automatic,
        negligibleStep: Double = 1e-16
    ) -> SelfOrganizingMap {
        let grid = SOMGrid(rows: configuration.rows, columns: configuration.columns, topology: configuration.topology)
        let weights = SOMTrainer.train(
            data: data, count: count, dimension: dimension, grid: grid, sigma: configuration.sigma,
            learningRate: configuration.learningRate, initialWeights: initialWeights, initialRows: initialRows,
            order: order, iterations: iterations, strategy: strategy, negligibleStep: negligibleStep)
        var trainedConfiguration = configuration
        trainedConfiguration.iterations = iterations ?? order.count
        return SelfOrganizingMap(unchecked: trainedConfiguration, weights: weights, dimension: dimension)
    }

    init(unchecked configuration: SOMConfiguration, weights: [Double], dimension: Int) {
        self.configuration = configuration
        self.weights = weights
        self.dimension = dimension
    }

    static func checkData(_ data: [Double], count: Int, dimension: Int) throws {
        guard count >= 1, dimension >= 1 else { throw TopographyError.emptyData(count: count, dimension: dimension) }
        guard data.count == count * dimension else {
            throw TopographyError.dimensionMismatch(
                expected: count * dimension, actual: data.count, count: count, dimension: dimension)
        }
        if let bad = data.firstIndex(where: { !$0.isFinite }) {
            throw TopographyError.nonFiniteData(item: bad / dimension, feature: bad % dimension, value: data[bad])
        }
    }

    /// MiniSom's `pca_weights_init`: cell `(row, column)` is `mean + c1 pc1 + c2 pc2` with `c1`
    /// the column's and `c2` the row's place in `linspace(-1, 1, side)`.
    static func pcaWeights(data: [Double], count: Int, dimension: Int, grid: SOMGrid) throws -> [Double] {
        let plane = try PrincipalPlane(data: data, count: count, dimension: dimension)
        var weights = [Double](repeating: 0, count: grid.cellCount * dimension)
        for row in 0..<grid.rows {
            let c2 = linspace(row, grid.rows)
            for column in 0..<grid.columns {
                let c1 = linspace(column, grid.columns)
                let base = (row * grid.columns + column) * dimension
                for j in 0..<dimension {
                    weights[base + j] = plane.mean[j] + c1 * plane.first[j] + c2 * plane.second[j]
                }
            }
        }
        return weights
    }

    /// NumPy's `linspace(-1, 1, count)[index]`.
    static func linspace(_ index: Int, _ count: Int) -> Double {
        guard count > 1 else { return -1 }
        if index == count - 1 { return 1 }
        return Double(index) * (2 / Double(count - 1)) + -1
    }

    /// The cell nearest to `x` (euclidean; exact ties to the cell first in MiniSom's order).
    public func bestMatchingUnit(_ x: ArraySlice<Double>) -> Int {
        precondition(x.count == dimension, "item has \(x.count) features, the map \(dimension)")
        return NearestCells.nearest(k: 1, data: Array(x), count: 1, weights: weights, dimension: dimension, grid: grid)[
            0][0].cell
    }

    /// The best-matching cell of every item of `data` (`count x dimension`, row-major).
    public func bestMatchingUnits(data: [Double], count: Int) -> [Int] {
        precondition(data.count == count * dimension, "data has \(data.count) values, expected \(count) x \(dimension)")
        return NearestCells.nearest(k: 1, data: data, count: count, weights: weights, dimension: dimension, grid: grid)
            .map { $0[0].cell }
    }

    /// MiniSom's `quantization_error`: the mean euclidean distance from each item to its
    /// best-matching cell.
    public func quantizationError(data: [Double], count: Int) -> Double {
        precondition(data.count == count * dimension, "data has \(data.count) values, expected \(count) x \(dimension)")
        guard count > 0 else { return .nan }
        let nearest = NearestCells.nearest(
            k: 1, data: data, count: count, weights: weights, dimension: dimension, grid: grid)
        return nearest.reduce(0) { $0 + $1[0].squaredDistance.squareRoot() } / Double(count)
    }

    /// MiniSom's `topographic_error`: the fraction of items whose best and second-best cells are
    /// not neighbours (rectangular: the 8 around, as MiniSom's `distance > 1.42`; hexagonal: the
    /// 6 at distance 1). NaN for a 1 x 1 map, as MiniSom.
    public func topographicError(data: [Double], count: Int) -> Double {
        precondition(data.count == count * dimension, "data has \(data.count) values, expected \(count) x \(dimension)")
        guard grid.cellCount > 1, count > 0 else { return .nan }
        let grid = self.grid
        let nearest = NearestCells.nearest(
            k: 2, data: data, count: count, weights: weights, dimension: dimension, grid: grid)
        let errors = nearest.filter { !grid.areNeighbours($0[0].cell, $0[1].cell) }.count
        return Double(errors) / Double(count)
    }

    /// The U-matrix, MiniSom's `distance_map()` (scaling `sum`): for each cell the sum of
    /// euclidean distances to its neighbours, divided by the largest such sum; `rows x columns`.
    ///
    /// Neighbours are those of `topographicError`. On a hexagonal grid with an even number of
    /// rows MiniSom's `distance_map` takes the neighbours of the other row parity than its own
    /// coordinates (and training) use; we keep to the coordinates, so there the two differ. All
    /// zeros (MiniSom: NaN) when every cell is equal.
    public func uMatrix() -> [Double] {
        let grid = self.grid
        var sums = [Double](repeating: 0, count: grid.cellCount)
        weights.withUnsafeBufferPointer { buffer in
            guard let w = buffer.baseAddress else { return }
            for cell in 0..<grid.cellCount {
                for other in grid.neighbours(of: cell) {
                    sums[cell] +=
                        NearestCells.squaredDistance(w + cell * dimension, w + other * dimension, dimension: dimension)
                        .squareRoot()
                }
            }
        }
        let largest = sums.max() ?? 0
        return largest > 0 ? sums.map { $0 / largest } : sums
    }

    /// Where to draw `cell`: `(column, row)` on a rectangular grid; on a hexagonal one rows are
    /// `sqrt(3) / 2` apart and every second row (counted from the last) is shifted left by half a
    /// cell. MiniSom's `get_euclidean_coordinates()`.
    public func cellPosition(_ cell: Int) -> (x: Double, y: Double) {
        let grid = self.grid
        precondition((0..<grid.cellCount).contains(cell), "cell \(cell) outside 0..<\(grid.cellCount)")
        let row = cell / grid.columns
        return (grid.x(row: row, column: cell % grid.columns), grid.y(row: row))
    }
}
