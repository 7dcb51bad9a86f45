/// A condensed distance matrix in `scipy.spatial.distance.pdist` order.
///
/// Layout: the upper triangle without the diagonal, row by row - d(0,1), d(0,2), ..., d(0,n-1),
/// d(1,2), ... - so the pair i < j sits at n i - i (i + 1) / 2 + j - i - 1, and there are
/// n (n - 1) / 2 values.
public struct CondensedDistances: Sendable, Equatable {
    /// The number of items n.
    public let count: Int
    /// The n (n - 1) / 2 distances; changing them in place is fine, changing their number is a
    /// programmer error.
    public var values: [Double] {
        didSet { precondition(values.count == count * (count - 1) / 2, "CondensedDistances.values changed length") }
    }

    /// Wraps `values` as the distances of `count` items; throws unless there are count (count - 1) / 2.
    public init(count: Int, values: [Double]) throws {
        guard count >= 0, values.count == count * (count - 1) / 2 else {
            throw ClusteringError.condensedLength(count: count, valueCount: values.count)
        }
        self.count = count
        self.values = values
    }

    /// The position of the pair i < j in `values`.
    @inline(__always)
    static func index(_ i: Int, _ j: Int, count n: Int) -> Int {
        n * i - i * (i + 1) / 2 + j - i - 1
    }

    /// The distance between items i and j (0 when i == j), in either order.
    public subscript(i: Int, j: Int) -> Double {
        precondition(i >= 0 && i < count && j >= 0 && j < count, "item (\(i), \(j)) out of 0..<\(count)")
        if i == j { return 0 }
        return i < j ? values[Self.index(i, j, count: count)] : values[Self.index(j, i, count: count)]
    }

    /// The first pair whose distance is NaN or infinite, if any.
    func firstNonFinite() -> (Int, Int, Double)? {
        guard let position = values.firstIndex(where: { !$0.isFinite }) else { return nil }
        var i = 0
        var rowStart = 0
        while rowStart + (count - i - 1) <= position {
            rowStart += count - i - 1
            i += 1
        }
        return (i, i + 1 + position - rowStart, values[position])
    }

    /// The full symmetric matrix, row-major n x n, with `diagonal` on the diagonal.
    func square(diagonal: Double) -> [Double] {
        let n = count
        var matrix = [Double](repeating: diagonal, count: n * n)
        values.withUnsafeBufferPointer { condensed in
            matrix.withUnsafeMutableBufferPointer { square in
                var position = 0
                for i in 0..<n {
                    for j in (i + 1)..<n {
                        let value = condensed[position]
                        square[i * n + j] = value
                        square[j * n + i] = value
                        position += 1
                    }
                }
            }
        }
        return matrix
    }
}

extension CondensedDistances {
    /// Wraps values whose length is known to be right.
    init(unchecked count: Int, values: [Double]) {
        self.count = count
        self.values = values
    }
}
