/// The settings of a self-organising map and its training, with MiniSom 2.3's defaults.
///
/// MiniSom names: `MiniSom(x, y, input_len, sigma, learning_rate, topology, random_seed)` with
/// `x` -> `columns`, `y` -> `rows`, `sigma` -> `sigma`, `learning_rate` -> `learningRate`;
/// `train(data, num_iteration, random_order=True)` -> `iterations`; `random_weights_init` ->
/// `.random`, `pca_weights_init` -> `.pca`. Decays and neighbourhood are MiniSom's defaults
/// (asymptotic decay, Gaussian); see `SelfOrganizingMap.train`.
public struct SOMConfiguration: Sendable, Codable, Equatable {
    /// How cells sit on the plane.
    public enum Topology: String, Sendable, Codable, CaseIterable {
        /// A square lattice; each inner cell has 8 neighbours (MiniSom counts diagonals).
        case rectangular
        /// Rows `sqrt(3) / 2` apart, every second row (counted from the last, as MiniSom does)
        /// shifted left by half a cell; each inner cell has 6 neighbours.
        case hexagonal
    }

    /// How the weights start.
    public enum Initialization: String, Sendable, Codable, CaseIterable {
        /// Each cell a data row drawn uniformly with replacement (MiniSom `random_weights_init`).
        case random
        /// The plane of the first two principal components through the data mean, spanning
        /// -1...1 along each (MiniSom `pca_weights_init`); needs 2 items and 2 features.
        case pca
    }

    /// The largest side accepted: 200 x 200 = 40,000 cells is far beyond any map here.
    public static let maximumSide = 200

    /// Grid rows (MiniSom `y`), 1...200.
    public var rows: Int
    /// Grid columns (MiniSom `x`), 1...200.
    public var columns: Int
    /// Rectangular (MiniSom's default) or hexagonal.
    public var topology: Topology
    /// Width of the Gaussian neighbourhood in grid units at t = 0; decays to a third by the end.
    /// 1, MiniSom's default and [TOPOMAP23]'s.
    public var sigma: Double
    /// Learning rate at t = 0; decays to a third by the end. 0.5, MiniSom's default.
    public var learningRate: Double
    /// Number of single-sample updates (MiniSom `num_iteration`).
    public var iterations: Int
    /// Random data rows (MiniSom's usual start) or the PCA plane.
    public var initialization: Initialization
    /// Seed of the SplitMix64 draws: initial rows and sample order. Same seed, same map.
    public var seed: UInt64

    /// A configuration; the defaults are MiniSom's.
    public init(
        rows: Int, columns: Int, topology: Topology = .rectangular, sigma: Double = 1.0, learningRate: Double = 0.5,
        iterations: Int, initialization: Initialization = .random, seed: UInt64 = 0
    ) {
        self.rows = rows
        self.columns = columns
        self.topology = topology
        self.sigma = sigma
        self.learningRate = learningRate
        self.iterations = iterations
        self.initialization = initialization
        self.seed = seed
    }

    /// The number of cells, `rows * columns`.
    public var cellCount: Int { rows * columns }

    /// Throws `TopographyError.invalidConfiguration` naming the first bad value and what is valid.
    public func validate() throws {
        let sides = 1...Self.maximumSide
        if !sides.contains(rows) || !sides.contains(columns) {
            throw TopographyError.invalidConfiguration(
                "grid \(rows) x \(columns): rows and columns must each be in 1...\(Self.maximumSide)")
        }
        if iterations < 1 {
            throw TopographyError.invalidConfiguration("iterations \(iterations): must be at least 1")
        }
        if !(sigma.isFinite && sigma > 0) {
            throw TopographyError.invalidConfiguration("sigma \(sigma): must be finite and greater than 0")
        }
        if !(learningRate.isFinite && learningRate > 0) {
            throw TopographyError.invalidConfiguration(
                "learning rate \(learningRate): must be finite and greater than 0")
        }
    }

    /// [TOPOMAP23]'s post-hoc topomap settings for `items` points (one per neuron): a square grid
    /// of side `floor(sqrt(items)) + 1`, sigma 1, learning rate 0.5, `10 * items` iterations in
    /// random order, rectangular, random initialisation.
    ///
    /// The side exceeds 200 (and `validate()` fails) from 39,601 items on.
    public static func topomapDefaults(items: Int, seed: UInt64 = 0) -> SOMConfiguration {
        let side = Int(Double(max(items, 0)).squareRoot().rounded(.down)) + 1
        return SOMConfiguration(
            rows: side, columns: side, sigma: 1, learningRate: 0.5, iterations: 10 * items, seed: seed)
    }
}
