/// Every eigenvalue and eigenvector of a small symmetric matrix by the cyclic Jacobi method.
///
/// LAPACK is not linked (the `COpenBLAS` shim exposes `cblas.h` only), so the eigen problems of
/// this target are solved here: Jacobi for matrices up to a few hundred rows (PCA's covariance or
/// Gram matrix, the Rayleigh-Ritz matrices of `SubspaceIteration`), subspace iteration above.
///
/// Concretely: sweeps of plane rotations over every pair p < q, each zeroing a[p][q]
/// (Golub & Van Loan, Algorithm 8.5.2, with the stable tangent t = sign(θ) / (|θ| + sqrt(θ^2 + 1)),
/// θ = (a_qq - a_pp) / (2 a_pq)), until the off-diagonal mass is below 1e-30 of the total
/// (quadratic convergence makes that a handful of sweeps). Accurate to a few ulps of the
/// largest eigenvalue, eigenvectors orthonormal to rounding.
enum SymmetricEigen {
    /// Eigenvalues in decreasing order and the eigenvectors as rows (row i belongs to value i)
    /// of the m x m symmetric row-major `matrix`.
    static func decompose(_ matrix: [Double], size m: Int) -> (values: [Double], vectors: [Double]) {
        precondition(matrix.count == m * m, "matrix is not m x m")
        var a = matrix
        // v holds the eigenvectors as columns while rotating.
        var v = [Double](repeating: 0, count: m * m)
        for i in 0..<m { v[i * m + i] = 1 }
        let total = a.reduce(0) { $0 + $1 * $1 }
        for _ in 0..<100 {
            var off = 0.0
            for p in 0..<m {
                for q in (p + 1)..<max(m, p + 1) { off += 2 * a[p * m + q] * a[p * m + q] }
            }
            if off <= 1e-30 * total || off == 0 { break }
            for p in 0..<m {
                for q in (p + 1)..<max(m, p + 1) {
                    let apq = a[p * m + q]
                    if apq == 0 { continue }
                    let theta = (a[q * m + q] - a[p * m + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot()
                    let s = t * c
                    // A <- J^T A J on rows and columns p, q.
                    for k in 0..<m {
                        let akp = a[k * m + p]
                        let akq = a[k * m + q]
                        a[k * m + p] = c * akp - s * akq
                        a[k * m + q] = s * akp + c * akq
                    }
                    for k in 0..<m {
                        let apk = a[p * m + k]
                        let aqk = a[q * m + k]
                        a[p * m + k] = c * apk - s * aqk
                        a[q * m + k] = s * apk + c * aqk
                    }
                    for k in 0..<m {
                        let vkp = v[k * m + p]
                        let vkq = v[k * m + q]
                        v[k * m + p] = c * vkp - s * vkq
                        v[k * m + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0..<m).sorted { a[$0 * m + $0] > a[$1 * m + $1] || (a[$0 * m + $0] == a[$1 * m + $1] && $0 < $1) }
        var vectors = [Double](repeating: 0, count: m * m)
        for (row, column) in order.enumerated() {
            for k in 0..<m { vectors[row * m + k] = v[k * m + column] }
        }
        return (order.map { a[$0 * m + $0] }, vectors)
    }
}
