import COpenBLAS

/// Pairwise distances between the rows of a matrix, equal to `scipy.spatial.distance.pdist`.
public enum PairwiseDistances {
    /// Rows per Gram block: 256 rows x n columns of doubles stay within a few MB for n in the
    /// thousands, and the block is tall enough for dgemm to run at full speed.
    static let blockRows = 256

    /// Pairs whose Gram-matrix result is within this fraction of the norms are recomputed
    /// directly: below it, |u|^2 + |v|^2 - 2 u.v loses more than about 1e-11 of relative precision
    /// to cancellation, and identical rows must come out exactly 0.
    static let cancellationRatio = 1e-3

    /// The condensed distances between the rows of `data`.
    ///
    /// Concretely, for rows u, v (see ``DistanceMetric``): euclidean sqrt(|u|^2 + |v|^2 - 2 u.v),
    /// cosine 1 - u.v / (|u| |v|) clipped to [0, 2], correlation the cosine of the mean-centred
    /// rows. The products u.v come from one `cblas_dgemm` per block of `blockRows` rows against
    /// the rows below it (the upper triangle only); pairs where that formula cancels (near
    /// duplicates) are recomputed directly, and identical rows get exactly 0.
    ///
    /// Zero vectors (constant rows for `correlation`), where SciPy returns NaN: distance 0 between
    /// two of them, 1 between one and any other row.
    ///
    /// - Parameters:
    ///   - data: `rows` x `dimension` values, row-major (one observation per row).
    ///   - rows: the number of observations n >= 1.
    ///   - dimension: the length of each observation, >= 1.
    ///   - metric: the distance.
    /// - Returns: n (n - 1) / 2 distances in pdist order.
    /// - Throws: ``ClusteringError/invalidShape(rows:dimension:valueCount:)``,
    ///   ``ClusteringError/nonFiniteValue(row:column:value:)`` naming the first NaN or infinity,
    ///   ``ClusteringError/nonFiniteDistance(first:second:value:)`` if a distance overflows.
    public static func compute(_ data: [Double], rows: Int, dimension: Int, metric: DistanceMetric) throws
        -> CondensedDistances
    {
        guard rows >= 1, dimension >= 1, data.count == rows * dimension else {
            throw ClusteringError.invalidShape(rows: rows, dimension: dimension, valueCount: data.count)
        }
        if let position = data.firstIndex(where: { !$0.isFinite }) {
            throw ClusteringError.nonFiniteValue(
                row: position / dimension, column: position % dimension, value: data[position])
        }
        let n = rows
        let d = dimension
        var matrix = data
        // Rows without a direction: all zero (cosine) or constant (correlation).
        var isZero = [Bool](repeating: false, count: n)
        if metric == .correlation {
            for i in 0..<n {
                let first = matrix[i * d]
                var sum = 0.0
                var constant = true
                for k in 0..<d {
                    sum += matrix[i * d + k]
                    if matrix[i * d + k] != first { constant = false }
                }
                let mean = sum / Double(d)
                for k in 0..<d { matrix[i * d + k] = constant ? 0 : matrix[i * d + k] - mean }
            }
        }
        var squaredNorms = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = 0.0
            for k in 0..<d { sum += matrix[i * d + k] * matrix[i * d + k] }
            squaredNorms[i] = sum
            isZero[i] = sum == 0
        }
        var values = [Double](repeating: 0, count: n * (n - 1) / 2)
        let blockCapacity = min(blockRows, n) * n
        var gram = [Double](repeating: 0, count: blockCapacity)
        matrix.withUnsafeBufferPointer { a in
            values.withUnsafeMutableBufferPointer { out in
                gram.withUnsafeMutableBufferPointer { g in
                    guard let aBase = a.baseAddress, let gBase = g.baseAddress else { return }
                    var start = 0
                    while start < n - 1 {
                        let end = min(start + blockRows, n)
                        let width = n - start
                        cblas_dgemm(
                            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(end - start), Int32(width), Int32(d), 1,
                            aBase + start * d, Int32(d), aBase + start * d, Int32(d), 0, gBase, Int32(width))
                        for i in start..<end {
                            let rowStart = CondensedDistances.index(i, i + 1, count: n)
                            let gramRow = (i - start) * width - start
                            for j in (i + 1)..<n {
                                out[rowStart + j - i - 1] = distance(
                                    i, j, product: g[gramRow + j], metric: metric, data: a, dimension: d,
                                    squaredNorms: squaredNorms, isZero: isZero)
                            }
                        }
                        start = end
                    }
                }
            }
        }
        let distances = try CondensedDistances(count: n, values: values)
        if let (i, j, value) = distances.firstNonFinite() {
            throw ClusteringError.nonFiniteDistance(first: i, second: j, value: value)
        }
        return distances
    }

    /// One distance from the Gram entry `product` = u.v, recomputed directly where it cancels.
    @inline(__always)
    static func distance(
        _ i: Int, _ j: Int, product: Double, metric: DistanceMetric, data: UnsafeBufferPointer<Double>,
        dimension d: Int, squaredNorms: [Double], isZero: [Bool]
    ) -> Double {
        let uu = squaredNorms[i]
        let vv = squaredNorms[j]
        switch metric {
        case .euclidean:
            let squared = uu + vv - 2 * product
            if squared > cancellationRatio * (uu + vv) { return squared.squareRoot() }
            var sum = 0.0
            for k in 0..<d {
                let difference = data[i * d + k] - data[j * d + k]
                sum += difference * difference
            }
            return sum.squareRoot()
        case .cosine, .correlation:
            if isZero[i] || isZero[j] { return isZero[i] && isZero[j] ? 0 : 1 }
            var uv = product
            if 1 - uv / (uu.squareRoot() * vv.squareRoot()) <= cancellationRatio {
                if identicalRows(i, j, data: data, dimension: d) { return 0 }
                uv = 0
                for k in 0..<d { uv += data[i * d + k] * data[j * d + k] }
            }
            // pdist's order of operations: u.v / (|u| |v|), clipped to [-1, 1].
            let cosine = min(max(uv / (uu.squareRoot() * vv.squareRoot()), -1), 1)
            return 1 - cosine
        }
    }

    static func identicalRows(_ i: Int, _ j: Int, data: UnsafeBufferPointer<Double>, dimension d: Int) -> Bool {
        for k in 0..<d where data[i * d + k] != data[j * d + k] { return false }
        return true
    }
}
