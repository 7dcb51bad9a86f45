/// UMAP's spectral initialisation: the eigenvectors of the fuzzy graph's symmetric normalised
/// Laplacian L = I - D^-1/2 W D^-1/2 with the smallest non-zero eigenvalues, as umap-learn's
/// `spectral_layout` takes them for a connected graph (Belkin & Niyogi 2003).
///
/// Concretely: the smallest eigenvalues of L are the largest of (I + D^-1/2 W D^-1/2) / 2,
/// whose spectrum lies in [0, 1], so `SubspaceIteration` finds them from products with the
/// sparse W, started (as umap-learn starts ARPACK's) from sqrt(degree), the trivial
/// eigenvector; vectors 2 ... d + 1 are the layout. Returns nil for a disconnected graph
/// (`ComponentLayout` lays those out one component at a time, as umap-learn does) or when the
/// solver has not converged (umap-learn then falls back to a random start, and so do we).
enum SpectralLayout {
    static func layout(_ w: SparseSymmetricMatrix, components d: Int, seed: UInt64) -> [Double]? {
        let n = w.size
        guard n > d + 1, isConnected(w) else { return nil }
        var degree = [Double](repeating: 0, count: n)
        for i in 0..<n { for index in w.rowStart[i]..<w.rowStart[i + 1] { degree[i] += w.values[index] } }
        guard degree.allSatisfy({ $0 > 0 }) else { return nil }
        let inverseRoot = degree.map { 1 / $0.squareRoot() }
        let start = degree.map { $0.squareRoot() }
        let result = try? SubspaceIteration.top(
            d + 1, size: n, tolerance: 1e-7, maximumIterations: 5_000, seed: seed, start: start
        ) { input, output, p in
            for v in 0..<p {
                let x = input + v * n
                let y = output + v * n
                for i in 0..<n {
                    var sum = 0.0
                    for index in w.rowStart[i]..<w.rowStart[i + 1] {
                        let j = w.columns[index]
                        sum += w.values[index] * inverseRoot[j] * x[j]
                    }
                    y[i] = 0.5 * (x[i] + inverseRoot[i] * sum)
                }
            }
        }
        guard let result else { return nil }
        var layout = [Double](repeating: 0, count: n * d)
        for c in 0..<d { for i in 0..<n { layout[i * d + c] = result.vectors[(c + 1) * n + i] } }
        return layout
    }

    /// Whether every point reaches every other along the graph's edges.
    static func isConnected(_ w: SparseSymmetricMatrix) -> Bool {
        (componentLabels(w).max() ?? 0) == 0
    }

    /// Each point's connected component (union-find), numbered 0, 1, ... in order of each
    /// component's first point.
    static func componentLabels(_ w: SparseSymmetricMatrix) -> [Int] {
        var parent = Array(0..<w.size)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        for i in 0..<w.size {
            for index in w.rowStart[i]..<w.rowStart[i + 1] {
                let a = root(i)
                let b = root(w.columns[index])
                if a != b { parent[max(a, b)] = min(a, b) }
            }
        }
        var number: [Int: Int] = [:]
        return (0..<w.size).map { i in
            let r = root(i)
            if let known = number[r] { return known }
            number[r] = number.count
            return number.count - 1
        }
    }
}
