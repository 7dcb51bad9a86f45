/// Points as one row-major matrix of doubles: `count` rows of `dimension` values, the layout
/// NumPy's `X` (n_samples x n_features, C order) has.
public struct PointSet: Sendable, Equatable {
    /// Row-major, `count * dimension` values; row i is point i.
    public var values: [Double]
    public var count: Int
    public var dimension: Int

    /// Checks the shape and that every value is finite (scikit-learn and umap-learn refuse NaN
    /// and infinity too); the error names the first bad value.
    public init(values: [Double], count: Int, dimension: Int) throws {
        guard count >= 0, dimension >= 1, values.count == count * dimension else {
            throw ProjectionError.shapeMismatch(values: values.count, count: count, dimension: dimension)
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw ProjectionError.nonFiniteValue(row: bad / dimension, column: bad % dimension, value: values[bad])
        }
        self.values = values
        self.count = count
        self.dimension = dimension
    }

    /// Point `i`'s coordinate `d`.
    @inline(__always) public subscript(i: Int, d: Int) -> Double { values[i * dimension + d] }

    /// Refuses fewer than `needed` points, saying which method needs them.
    func requireCount(_ needed: Int, for reason: String) throws {
        guard count >= needed else { throw ProjectionError.tooFewPoints(count: count, needed: needed, reason: reason) }
    }
}
