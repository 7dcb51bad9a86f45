/// Why an embedding or a score was refused; each case names the bad value and what is valid.
public enum ProjectionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A parameter outside its range: its name, its value, what would be valid.
    case invalidParameter(name: String, value: String, valid: String)
    /// Too few points for the method: how many, how many it needs, and why.
    case tooFewPoints(count: Int, needed: Int, reason: String)
    /// A NaN or infinite value at `row`, `column` of the input.
    case nonFiniteValue(row: Int, column: Int, value: Double)
    /// `values.count` is not `count x dimension`.
    case shapeMismatch(values: Int, count: Int, dimension: Int)
    /// One label per point is needed.
    case labelCountMismatch(labels: Int, points: Int)
    /// An iterative solver stopped before converging (what, after how many iterations).
    case notConverged(what: String, iterations: Int)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let valid):
            return "\(name) \(value) is invalid; valid: \(valid)"
        case .tooFewPoints(let count, let needed, let reason):
            return "\(count) points are too few: \(reason) needs at least \(needed)"
        case .nonFiniteValue(let row, let column, let value):
            return "the data hold \(value) at row \(row), column \(column); valid: finite numbers only"
        case .shapeMismatch(let values, let count, let dimension):
            return
                "\(values) values do not form \(count) points of dimension \(dimension) (\(count * dimension) values)"
        case .labelCountMismatch(let labels, let points):
            return "\(labels) labels for \(points) points; valid: one label per point"
        case .notConverged(let what, let iterations):
            return "\(what) did not converge in \(iterations) iterations"
        }
    }
}
