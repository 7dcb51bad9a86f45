import Foundation

/// MiniSom's Gaussian neighbourhood times its decayed learning rate, for one update step.
///
/// Concretely, at step `t` of `T` with winner `b` (MiniSom `update` with the default
/// `asymptotic_decay` for both rates and `neighborhood_function='gaussian'`):
///
///     eta   = learningRate / (1 + t / (T / 2))
///     s     = sigma        / (1 + t / (T / 2))
///     g(c)  = exp(-(x_c - x_b)^2 / (2 s^2)) * exp(-(y_c - y_b)^2 / (2 s^2)) * eta
///
/// with `(x, y)` the planar coordinates of `SOMGrid` (grid units; hexagonal rows offset). It is
/// separable, so one factor per row and one per column (two per column on a hexagonal grid:
/// shifted and unshifted rows) cost `rows + 2 columns` exponentials per step.
///
/// Cells whose step `g` is below `negligibleStep` are left out of `activeCells`: their update
/// `w += g (x - w)` moves `w` by less than `negligibleStep * |x - w|`, 1e-16 by default, the
/// rounding error of the update itself, so leaving them out keeps the result equal to the full
/// update within float noise (checked by a test) while touching far fewer cells once sigma shrinks.
struct GaussianNeighbourhood {
    let grid: SOMGrid
    let sigma: Double
    let learningRate: Double
    let iterations: Int
    let negligibleStep: Double

    private var rowFactors: [Double]
    private var columnFactors: [Double]
    /// `steps[cell]` is `g(cell)`, valid for the cells in `activeCells`.
    private(set) var steps: [Double]
    /// The cells whose step is at least `negligibleStep`, row-major.
    private(set) var activeCells: [Int]

    init(grid: SOMGrid, sigma: Double, learningRate: Double, iterations: Int, negligibleStep: Double) {
        self.grid = grid
        self.sigma = sigma
        self.learningRate = learningRate
        self.iterations = iterations
        self.negligibleStep = negligibleStep
        rowFactors = [Double](repeating: 0, count: grid.rows)
        columnFactors = [Double](repeating: 0, count: 2 * grid.columns)
        steps = [Double](repeating: 0, count: grid.cellCount)
        activeCells = []
        activeCells.reserveCapacity(grid.cellCount)
    }

    /// MiniSom's `asymptotic_decay`: `value / (1 + t / (T / 2))`, a third of `value` at the end.
    static func decayed(_ value: Double, step t: Int, iterations: Int) -> Double {
        value / (1 + Double(t) / (Double(iterations) / 2))
    }

    /// Calls `body` with the active cells and the steps (indexed by cell) as raw buffers.
    func withActiveSteps(_ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Double>) -> Void) {
        activeCells.withUnsafeBufferPointer { active in steps.withUnsafeBufferPointer { body(active, $0) } }
    }

    /// Fills `steps` and `activeCells` for step `t` with winner `winner`.
    mutating func compute(winner: Int, step t: Int) {
        let eta = Self.decayed(learningRate, step: t, iterations: iterations)
        let s = Self.decayed(sigma, step: t, iterations: iterations)
        let d = 2 * s * s
        let (columns, rows) = (grid.columns, grid.rows)
        let winnerRow = winner / columns
        let winnerX = grid.x(row: winnerRow, column: winner % columns)
        let winnerY = grid.y(row: winnerRow)
        for r in 0..<rows {
            let dy = grid.y(row: r) - winnerY
            rowFactors[r] = exp(-(dy * dy) / d)
        }
        for c in 0..<columns {
            let dx = Double(c) - winnerX
            columnFactors[c] = exp(-(dx * dx) / d)
        }
        if grid.topology == .hexagonal {
            for c in 0..<columns {
                let dx = (Double(c) - 0.5) - winnerX
                columnFactors[columns + c] = exp(-(dx * dx) / d)
            }
        }
        activeCells.removeAll(keepingCapacity: true)
        let cutoff = negligibleStep
        for r in 0..<rows {
            let rowFactor = rowFactors[r]
            // Column factors are at most 1, so a row below the cutoff has no active cell.
            if rowFactor * eta < cutoff { continue }
            let base = grid.isShifted(row: r) ? columns : 0
            for c in 0..<columns {
                let g = (columnFactors[base + c] * rowFactor) * eta
                if g < cutoff { continue }
                steps[r * columns + c] = g
                activeCells.append(r * columns + c)
            }
        }
    }
}
