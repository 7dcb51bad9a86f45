import COpenBLAS

/// All pairwise squared Euclidean distances of a point set, n x n row-major.
///
/// Concretely: d(i, j) = |x_i|^2 + |x_j|^2 - 2 x_i . x_j with the products from one
/// `cblas_dgemm` (X X^T), clamped at 0 (cancellation can leave -1e-15) and exactly 0 on the
/// diagonal; symmetric by construction (the upper triangle is copied to the lower). Memory:
/// 8 n^2 bytes, 72 MB for 3,000 points, which is the size this target is meant for.
enum SquaredDistances {
    static func compute(_ points: PointSet) -> [Double] {
        let n = points.count
        let d = points.dimension
        guard n > 0 else { return [] }
        var gram = [Double](repeating: 0, count: n * n)
        points.values.withUnsafeBufferPointer { x in
            gram.withUnsafeMutableBufferPointer { g in
                cblas_dgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(d), 1, x.baseAddress, Int32(d),
                    x.baseAddress, Int32(d), 0, g.baseAddress, Int32(n))
            }
        }
        let norms = (0..<n).map { gram[$0 * n + $0] }
        for i in 0..<n {
            gram[i * n + i] = 0
            for j in (i + 1)..<max(n, i + 1) {
                let value = max(norms[i] + norms[j] - 2 * gram[i * n + j], 0)
                gram[i * n + j] = value
                gram[j * n + i] = value
            }
        }
        return gram
    }

    /// Squared distances of 2-D (or any low-dimensional) points computed directly: exact, for
    /// scores on embeddings where the Gram trick's rounding could reorder close neighbours.
    static func direct(_ points: PointSet) -> [Double] {
        let n = points.count
        let d = points.dimension
        var result = [Double](repeating: 0, count: n * n)
        points.values.withUnsafeBufferPointer { x in
            for i in 0..<n {
                for j in (i + 1)..<max(n, i + 1) {
                    var sum = 0.0
                    for k in 0..<d {
                        let delta = x[i * d + k] - x[j * d + k]
                        sum += delta * delta
                    }
                    result[i * n + j] = sum
                    result[j * n + i] = sum
                }
            }
        }
        return result
    }
}
