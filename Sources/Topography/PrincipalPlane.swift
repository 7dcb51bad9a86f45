import COpenBLAS
import SeededRandom

/// The data mean and first two principal components, for MiniSom's `pca_weights_init`.
///
/// Concretely: the leading eigenvectors of the covariance `Xc^T Xc / (n - 1)` (`Xc` the centred
/// data, NumPy's `cov(data, rowvar=False)`), as unit vectors. When there are fewer items than
/// features the same vectors come from the smaller `Xc Xc^T / (n - 1)`: `v = Xc^T u / |Xc^T u|`.
/// The eigenvectors are found by subspace iteration with Rayleigh-Ritz (block of up to 8, Jacobi
/// on the block), so only `min(n, d)^2` memory is needed, never `d x d` for 6144 features.
///
/// Sign: an eigenvector's sign is arbitrary (NumPy's `eigh` returns whichever LAPACK finds); we
/// make each component's entry of largest magnitude positive, so results are stable, and equal
/// MiniSom's up to the sign of each component.
struct PrincipalPlane {
    var mean: [Double]
    var first: [Double]
    var second: [Double]

    init(data: [Double], count: Int, dimension: Int) {
        precondition(count >= 2 && dimension >= 2)
        var mean = [Double](repeating: 0, count: dimension)
        for i in 0..<count {
            for j in 0..<dimension { mean[j] += data[i * dimension + j] }
        }
        for j in 0..<dimension { mean[j] /= Double(count) }
        var centred = data
        for i in 0..<count {
            for j in 0..<dimension { centred[i * dimension + j] -= mean[j] }
        }
        let (n32, d32) = (Int32(count), Int32(dimension))
        let scale = 1 / Double(count - 1)
        let vectors: [[Double]]
        if dimension <= count {
            var covariance = [Double](repeating: 0, count: dimension * dimension)
            cblas_dgemm(
                CblasRowMajor, CblasTrans, CblasNoTrans, d32, d32, n32, scale, centred, d32, centred, d32, 0,
                &covariance, d32)
            vectors = Self.leadingEigenvectors(of: covariance, size: dimension, count: 2)
        } else {
            var gram = [Double](repeating: 0, count: count * count)
            cblas_dgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, n32, n32, d32, scale, centred, d32, centred, d32, 0, &gram,
                n32)
            vectors = Self.leadingEigenvectors(of: gram, size: count, count: 2).map { u in
                var v = [Double](repeating: 0, count: dimension)
                cblas_dgemv(CblasRowMajor, CblasTrans, n32, d32, 1, centred, d32, u, 1, 0, &v, 1)
                return Self.normalized(v)
            }
        }
        self.mean = mean
        first = Self.signFixed(vectors[0])
        second = Self.signFixed(vectors[1])
    }

    static func normalized(_ v: [Double]) -> [Double] {
        let norm = cblas_dnrm2(Int32(v.count), v, 1)
        return norm > 0 ? v.map { $0 / norm } : v
    }

    /// `v` or `-v`, whichever has its entry of largest magnitude (the first such) positive.
    static func signFixed(_ v: [Double]) -> [Double] {
        var largest = 0
        for j in v.indices where abs(v[j]) > abs(v[largest]) { largest = j }
        return v[largest] < 0 ? v.map { -$0 } : v
    }

    /// The `count` leading eigenvectors of the symmetric `size x size` matrix `a` (row-major).
    static func leadingEigenvectors(of a: [Double], size m: Int, count wanted: Int) -> [[Double]] {
        let p = min(m, max(wanted, 8))
        let m32 = Int32(m)
        let p32 = Int32(p)
        // Block V (m x p, row-major): the identity when it is the whole space, else seeded noise.
        var v = [Double](repeating: 0, count: m * p)
        if p == m {
            for i in 0..<m { v[i * p + i] = 1 }
        } else {
            var generator = SeededGenerator(seed: 0x50CA)
            for i in 0..<(m * p) { v[i] = Double(generator.unitFloat()) - 0.5 }
            orthonormalizeColumns(&v, rows: m, columns: p)
        }
        var z = [Double](repeating: 0, count: m * p)
        var h = [Double](repeating: 0, count: p * p)
        var ritz = [Double](repeating: 0, count: m * p)
        var result: [[Double]] = []
        let maximumIterations = p == m ? 1 : 3000
        var bestResidual = Double.infinity
        var stalled = 0
        for _ in 0..<maximumIterations {
            // Z = A V, H = V^T Z, H = Q diag(theta) Q^T, Ritz vectors U = V Q, AU = Z Q.
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m32, p32, m32, 1, a, m32, v, p32, 0, &z, p32)
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, p32, p32, m32, 1, v, p32, z, p32, 0, &h, p32)
            let (values, q) = jacobiEigen(h, size: p)
            let order = (0..<p).sorted { values[$0] > values[$1] }
            var sortedQ = [Double](repeating: 0, count: p * p)
            for (newColumn, oldColumn) in order.enumerated() {
                for i in 0..<p { sortedQ[i * p + newColumn] = q[i * p + oldColumn] }
            }
            cblas_dgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, m32, p32, p32, 1, v, p32, sortedQ, p32, 0, &ritz, p32)
            var az = [Double](repeating: 0, count: m * p)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m32, p32, p32, 1, z, p32, sortedQ, p32, 0, &az, p32)
            let theta0 = max(abs(values[order[0]]), Double.leastNormalMagnitude)
            var residual = 0.0
            for j in 0..<wanted {
                let theta = values[order[j]]
                var sum = 0.0
                for i in 0..<m {
                    let r = az[i * p + j] - theta * ritz[i * p + j]
                    sum += r * r
                }
                residual = max(residual, sum.squareRoot() / theta0)
            }
            result = (0..<wanted).map { j in (0..<m).map { ritz[$0 * p + j] } }
            if residual <= 1e-14 { break }
            // Stop once rounding, not convergence, limits the residual.
            if residual < bestResidual * 0.999 {
                bestResidual = residual
                stalled = 0
            } else {
                stalled += 1
                if stalled > 30 && residual < 1e-9 { break }
            }
            v = az
            orthonormalizeColumns(&v, rows: m, columns: p)
        }
        return result
    }

    /// Modified Gram-Schmidt on the columns of the row-major `rows x columns` matrix (twice, for
    /// orthogonality to rounding).
    static func orthonormalizeColumns(_ v: inout [Double], rows: Int, columns: Int) {
        for _ in 0..<2 {
            for j in 0..<columns {
                for previous in 0..<j {
                    var dot = 0.0
                    for i in 0..<rows { dot += v[i * columns + j] * v[i * columns + previous] }
                    for i in 0..<rows { v[i * columns + j] -= dot * v[i * columns + previous] }
                }
                var norm = 0.0
                for i in 0..<rows { norm += v[i * columns + j] * v[i * columns + j] }
                norm = norm.squareRoot()
                if norm > 0 { for i in 0..<rows { v[i * columns + j] /= norm } }
            }
        }
    }

    /// Eigenvalues and eigenvectors (columns of the row-major result) of a small symmetric matrix,
    /// by cyclic Jacobi rotations.
    static func jacobiEigen(_ matrix: [Double], size n: Int) -> (values: [Double], vectors: [Double]) {
        var a = matrix
        var q = [Double](repeating: 0, count: n * n)
        for i in 0..<n { q[i * n + i] = 1 }
        for _ in 0..<100 {
            var off = 0.0
            var total = 0.0
            for i in 0..<n {
                for j in 0..<n {
                    total += a[i * n + j] * a[i * n + j]
                    if i != j { off += a[i * n + j] * a[i * n + j] }
                }
            }
            if off <= 1e-30 * total || off == 0 { break }
            for p in 0..<n {
                for r in (p + 1)..<max(n, p + 1) {
                    let apr = a[p * n + r]
                    if apr == 0 { continue }
                    let theta = (a[r * n + r] - a[p * n + p]) / (2 * apr)
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot()
                    let s = t * c
                    for k in 0..<n {
                        let akp = a[k * n + p]
                        let akr = a[k * n + r]
                        a[k * n + p] = c * akp - s * akr
                        a[k * n + r] = s * akp + c * akr
                    }
                    for k in 0..<n {
                        let apk = a[p * n + k]
                        let ark = a[r * n + k]
                        a[p * n + k] = c * apk - s * ark
                        a[r * n + k] = s * apk + c * ark
                    }
                    for k in 0..<n {
                        let qkp = q[k * n + p]
                        let qkr = q[k * n + r]
                        q[k * n + p] = c * qkp - s * qkr
                        q[k * n + r] = s * qkp + c * qkr
                    }
                }
            }
        }
        return ((0..<n).map { a[$0 * n + $0] }, q)
    }
}
