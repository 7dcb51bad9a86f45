import SeededRandom

/// The k largest eigenpairs of a symmetric positive semi-definite operator too large for
/// `SymmetricEigen`: block power iteration with Rayleigh-Ritz (Saad, "Numerical Methods for
/// Large Eigenvalue Problems", ch. 5), the operator given only as a product with a block.
///
/// Concretely: Q (p orthonormal vectors, p = min(m, k + 12)) starts from seeded Gaussian
/// vectors (or `start` in its first column); each step forms Y = A Q, the p x p matrix
/// H = Q^T Y and its eigenvectors W (`SymmetricEigen`), rotates Q <- Q W, Y <- Y W, stops when
/// every residual |y_i - θ_i q_i| of the k wanted pairs is at most `tolerance` x θ_1, and
/// otherwise orthonormalises Y (modified Gram-Schmidt, twice) into the next Q. The
/// error shrinks like (θ_{p+1} / θ_k)^steps, so the extra 12 vectors buy speed where the
/// wanted eigenvalues are close.
enum SubspaceIteration {
    /// `multiply(input, output, p)` must set output[j * m ..< (j + 1) * m] = A input[j * m ..<]
    /// for each of the p vectors (each contiguous). Returns eigenvalues (decreasing) and the k
    /// eigenvectors, each contiguous.
    static func top(
        _ k: Int, size m: Int, tolerance: Double, maximumIterations: Int, seed: UInt64 = 0, start: [Double]? = nil,
        multiply: (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void
    ) throws -> (values: [Double], vectors: [Double]) {
        let p = min(m, k + 12)
        var generator = SeededGenerator(seed: seed)
        var q = (0..<(p * m)).map { _ in Gaussian.draw(&generator) }
        if let start, start.count == m { for i in 0..<m { q[i] = start[i] } }
        orthonormalize(&q, count: p, length: m)
        var y = [Double](repeating: 0, count: p * m)
        for _ in 0..<maximumIterations {
            q.withUnsafeBufferPointer { qp in
                y.withUnsafeMutableBufferPointer { yp in
                    guard let input = qp.baseAddress, let output = yp.baseAddress else { return }
                    multiply(input, output, p)
                }
            }
            var h = [Double](repeating: 0, count: p * p)
            for a in 0..<p {
                for b in a..<p {
                    var sum = 0.0
                    for i in 0..<m { sum += q[a * m + i] * y[b * m + i] }
                    h[a * p + b] = sum
                    h[b * p + a] = sum
                }
            }
            let (theta, w) = SymmetricEigen.decompose(h, size: p)
            q = rotated(q, by: w, count: p, length: m)
            y = rotated(y, by: w, count: p, length: m)
            var converged = true
            let scale = max(abs(theta[0]), 1e-300)
            for j in 0..<k {
                var residual = 0.0
                for i in 0..<m {
                    let r = y[j * m + i] - theta[j] * q[j * m + i]
                    residual += r * r
                }
                if residual.squareRoot() > tolerance * scale {
                    converged = false
                    break
                }
            }
            if converged { return (Array(theta.prefix(k)), Array(q.prefix(k * m))) }
            q = y
            orthonormalize(&q, count: p, length: m)
        }
        throw ProjectionError.notConverged(
            what: "subspace iteration (\(k) eigenvectors of \(m))", iterations: maximumIterations)
    }

    /// New vector a = sum_b w[a][b] old vector b (w's rows are the Ritz vectors' coefficients).
    private static func rotated(_ vectors: [Double], by w: [Double], count p: Int, length m: Int) -> [Double] {
        var result = [Double](repeating: 0, count: p * m)
        for a in 0..<p {
            for b in 0..<p {
                let c = w[a * p + b]
                if c == 0 { continue }
                for i in 0..<m { result[a * m + i] += c * vectors[b * m + i] }
            }
        }
        return result
    }

    /// Modified Gram-Schmidt, twice ("twice is enough"); a vector that vanishes is replaced by
    /// a unit vector orthogonal to the others.
    static func orthonormalize(_ vectors: inout [Double], count p: Int, length m: Int) {
        for _ in 0..<2 {
            for a in 0..<p {
                for b in 0..<a {
                    var dot = 0.0
                    for i in 0..<m { dot += vectors[a * m + i] * vectors[b * m + i] }
                    for i in 0..<m { vectors[a * m + i] -= dot * vectors[b * m + i] }
                }
                var norm = 0.0
                for i in 0..<m { norm += vectors[a * m + i] * vectors[a * m + i] }
                norm = norm.squareRoot()
                if norm < 1e-300 {
                    for i in 0..<m { vectors[a * m + i] = i == a % m ? 1 : 0 }
                } else {
                    for i in 0..<m { vectors[a * m + i] /= norm }
                }
            }
        }
    }
}
