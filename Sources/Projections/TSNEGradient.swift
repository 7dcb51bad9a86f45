import Foundation

/// The t-SNE objective KL(P || Q) and its gradient for a 1-degree-of-freedom Student t kernel
/// (van der Maaten & Hinton 2008, eq. 5), exactly and by Barnes-Hut (van der Maaten 2014).
///
/// Concretely: w_ij = 1 / (1 + |y_i - y_j|^2), Z = Σ_{i≠j} w_ij, q_ij = w_ij / Z,
/// KL = Σ_{i≠j} p_ij log(p_ij / q_ij) and ∂KL/∂y_i = 4 Σ_j (p_ij - q_ij) w_ij (y_i - y_j).
/// Barnes-Hut splits the gradient into the attraction 4 Σ_j p_ij w_ij (y_i - y_j) over P's
/// non-zeros and the repulsion 4 Σ_j q_ij w_ij (y_i - y_j) = 4 F_i / Z from `QuadTree`
/// (scikit-learn's `_barnes_hut_tsne.gradient`). The exact KL clamps q at machine epsilon as
/// `_kl_divergence` does; Barnes-Hut's clamps p and q at the smallest normal float as
/// scikit-learn's does.
enum TSNEGradient {
    /// Exact KL and gradient for dense P (n x n) and embedding y (n x dimension row-major).
    static func exact(p: [Double], embedding y: [Double], count n: Int, dimension: Int) -> (
        kl: Double, gradient: [Double]
    ) {
        var w = [Double](repeating: 0, count: n * n)
        var z = 0.0
        for i in 0..<n {
            for j in (i + 1)..<max(n, i + 1) {
                var d2 = 0.0
                for c in 0..<dimension {
                    let delta = y[i * dimension + c] - y[j * dimension + c]
                    d2 += delta * delta
                }
                let value = 1 / (1 + d2)
                w[i * n + j] = value
                w[j * n + i] = value
                z += 2 * value
            }
        }
        var kl = 0.0
        var gradient = [Double](repeating: 0, count: n * dimension)
        for i in 0..<n {
            for j in 0..<n where j != i {
                let pij = p[i * n + j]
                let q = max(w[i * n + j] / z, Double.ulpOfOne)
                kl += pij * log(max(pij, Double.ulpOfOne) / q)
                let factor = 4 * (pij - w[i * n + j] / z) * w[i * n + j]
                for c in 0..<dimension {
                    gradient[i * dimension + c] += factor * (y[i * dimension + c] - y[j * dimension + c])
                }
            }
        }
        return (kl, gradient)
    }

    /// Barnes-Hut KL and gradient for sparse P and a 2-D embedding (n x 2 row-major).
    /// `computeError` false skips the KL (NaN then): its logarithms cost as much as the
    /// gradient, and scikit-learn computes it only every 50 steps too.
    static func barnesHut(p: SparseSymmetricMatrix, embedding y: [Double], theta: Double, computeError: Bool = true)
        -> (kl: Double, gradient: [Double])
    {
        let n = p.size
        let xs = (0..<n).map { y[2 * $0] }
        let ys = (0..<n).map { y[2 * $0 + 1] }
        let tree = QuadTree(x: xs, y: ys)
        var (z, repulsion) = tree.repulsion(squaredTheta: theta * theta)
        z = max(z, Double.ulpOfOne)
        let tiny = Double(Float.leastNormalMagnitude)
        var kl = computeError ? 0.0 : Double.nan
        var gradient = [Double](repeating: 0, count: 2 * n)
        for i in 0..<n {
            var ax = 0.0
            var ay = 0.0
            for index in p.rowStart[i]..<p.rowStart[i + 1] {
                let j = p.columns[index]
                let dx = xs[i] - xs[j]
                let dy = ys[i] - ys[j]
                let w = 1 / (1 + dx * dx + dy * dy)
                let pij = p.values[index]
                ax += pij * w * dx
                ay += pij * w * dy
                if computeError { kl += pij * log(max(pij, tiny) / max(w / z, tiny)) }
            }
            gradient[2 * i] = 4 * (ax - repulsion[2 * i] / z)
            gradient[2 * i + 1] = 4 * (ay - repulsion[2 * i + 1] / z)
        }
        return (kl, gradient)
    }
}
