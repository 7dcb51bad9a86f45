import COpenBLAS

/// Principal component analysis as `sklearn.decomposition.PCA(n_components=k)` computes it:
/// centred data, components as rows, the same signs, variance and its ratio.
///
/// Concretely: X_c = X - mean; the eigen-decomposition of the smaller of the covariance
/// C = X_c^T X_c / (n - 1) (d x d) and the Gram matrix G = X_c X_c^T / (n - 1) (n x n); from G,
/// component v_i = X_c^T u_i / sqrt((n - 1) λ_i). `explainedVariance` = λ_i (= S_i^2 / (n - 1)
/// for the singular values S of X_c), `explainedVarianceRatio` = λ_i / trace(C), `transformed` =
/// X_c V^T. Signs follow scikit-learn's `svd_flip(u_based_decision=False)` (scikit-learn >= 1.5):
/// each component's entry of largest magnitude is positive (the first such entry on ties).
/// Matrices up to `denseLimit` rows are solved by Jacobi (`SymmetricEigen`), larger ones by
/// `SubspaceIteration`, so a 2,000-unit layer costs a few products instead of a full solve.
public struct PrincipalComponents: Sendable {
    /// The column means, d values.
    public var mean: [Double]
    /// k x d row-major, orthonormal rows, in order of decreasing variance.
    public var components: [Double]
    public var componentCount: Int
    public var dimension: Int
    /// The variance along each component (scikit-learn's `explained_variance_`).
    public var explainedVariance: [Double]
    /// Each component's share of the total variance (`explained_variance_ratio_`).
    public var explainedVarianceRatio: [Double]

    /// Eigen problems up to this size go to Jacobi; larger to subspace iteration.
    static let denseLimit = 256

    /// Fits k components; needs 2 or more points and 1 <= k <= min(n, d) (scikit-learn's bound).
    public static func fit(_ points: PointSet, components k: Int) throws -> PrincipalComponents {
        try fit(points, components: k, denseLimit: denseLimit)
    }

    static func fit(_ points: PointSet, components k: Int, denseLimit: Int) throws -> PrincipalComponents {
        let n = points.count
        let d = points.dimension
        try points.requireCount(2, for: "PCA")
        guard k >= 1 && k <= min(n, d) else {
            throw ProjectionError.invalidParameter(
                name: "components", value: "\(k)", valid: "1 to min(points, dimension) = \(min(n, d))")
        }
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += points[i, j] } }
        for j in 0..<d { mean[j] /= Double(n) }
        var centred = points.values
        for i in 0..<n { for j in 0..<d { centred[i * d + j] -= mean[j] } }
        let total = centred.reduce(0) { $0 + $1 * $1 } / Double(n - 1)

        let useGram = n < d
        let m = useGram ? n : d
        var matrix = [Double](repeating: 0, count: m * m)
        centred.withUnsafeBufferPointer { x in
            matrix.withUnsafeMutableBufferPointer { c in
                if useGram {
                    cblas_dgemm(
                        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(d), 1 / Double(n - 1),
                        x.baseAddress, Int32(d), x.baseAddress, Int32(d), 0, c.baseAddress, Int32(n))
                } else {
                    cblas_dgemm(
                        CblasRowMajor, CblasTrans, CblasNoTrans, Int32(d), Int32(d), Int32(n), 1 / Double(n - 1),
                        x.baseAddress, Int32(d), x.baseAddress, Int32(d), 0, c.baseAddress, Int32(d))
                }
            }
        }
        var values: [Double]
        var vectors: [Double]
        if m <= denseLimit {
            (values, vectors) = SymmetricEigen.decompose(matrix, size: m)
            values = Array(values.prefix(k))
            vectors = Array(vectors.prefix(k * m))
        } else {
            (values, vectors) = try SubspaceIteration.top(k, size: m, tolerance: 1e-11, maximumIterations: 20_000) {
                input, output, p in
                matrix.withUnsafeBufferPointer { a in
                    cblas_dgemm(
                        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(p), Int32(m), Int32(m), 1, input, Int32(m),
                        a.baseAddress, Int32(m), 0, output, Int32(m))
                }
            }
        }
        values = values.map { max($0, 0) }
        var components = [Double](repeating: 0, count: k * d)
        if useGram {
            // v = X_c^T u / sqrt((n - 1) λ); a zero eigenvalue leaves a zero row, replaced below.
            for c in 0..<k {
                let scale = values[c] > 0 ? 1 / (Double(n - 1) * values[c]).squareRoot() : 0
                for i in 0..<n {
                    let u = vectors[c * n + i] * scale
                    if u == 0 { continue }
                    for j in 0..<d { components[c * d + j] += u * centred[i * d + j] }
                }
            }
            completeOrthonormalRows(&components, count: k, length: d)
        } else {
            components = vectors
        }
        for c in 0..<k {
            let row = components[(c * d)..<((c + 1) * d)]
            var largest = c * d
            for j in row.indices where abs(components[j]) > abs(components[largest]) { largest = j }
            if components[largest] < 0 { for j in (c * d)..<((c + 1) * d) { components[j] = -components[j] } }
        }
        return PrincipalComponents(
            mean: mean, components: components, componentCount: k, dimension: d, explainedVariance: values,
            explainedVarianceRatio: values.map { total > 0 ? $0 / total : 0 })
    }

    /// Rows that came out zero (components beyond the data's rank) become unit vectors
    /// orthogonal to the others, as an SVD would return.
    private static func completeOrthonormalRows(_ rows: inout [Double], count k: Int, length d: Int) {
        for c in 0..<k {
            let norm = (0..<d).reduce(0.0) { $0 + rows[c * d + $1] * rows[c * d + $1] }
            guard norm < 1e-20 else { continue }
            for candidate in 0..<d {
                var v = [Double](repeating: 0, count: d)
                v[candidate] = 1
                for other in 0..<k where other != c {
                    let dot = (0..<d).reduce(0.0) { $0 + v[$1] * rows[other * d + $1] }
                    for j in 0..<d { v[j] -= dot * rows[other * d + j] }
                }
                let length = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if length > 1e-6 {
                    for j in 0..<d { rows[c * d + j] = v[j] / length }
                    break
                }
            }
        }
    }

    /// (X - mean) V^T: `points` in component coordinates, n x k row-major.
    public func transform(_ points: PointSet) throws -> [Double] {
        guard points.dimension == dimension else {
            throw ProjectionError.invalidParameter(
                name: "dimension", value: "\(points.dimension)", valid: "\(dimension), the fitted data's")
        }
        let n = points.count
        var result = [Double](repeating: 0, count: n * componentCount)
        for i in 0..<n {
            for c in 0..<componentCount {
                var sum = 0.0
                for j in 0..<dimension { sum += (points[i, j] - mean[j]) * components[c * dimension + j] }
                result[i * componentCount + c] = sum
            }
        }
        return result
    }
}
