/// t-SNE's joint probabilities P from the input points, as scikit-learn computes them for
/// `method="barnes_hut"` (`_joint_probabilities_nn`) and `method="exact"`
/// (`_joint_probabilities`).
///
/// Concretely: Barnes-Hut uses the k = min(n - 1, floor(3 perplexity + 1)) nearest neighbours
/// of each point (self excluded), their squared Euclidean distances, `PerplexitySearch`, then
/// P = (C + C^T) / Σ(C + C^T) on the union of the neighbourhoods (sparse). Exact uses every
/// other point and clamps each p_ij at machine epsilon (2.2e-16), as scikit-learn does.
public enum JointProbabilities {
    /// The sparse symmetric P of the Barnes-Hut method; sums to 1.
    public static func nearestNeighbors(_ points: PointSet, perplexity: Double) throws -> SparseSymmetricMatrix {
        try TSNEConfiguration.checkPerplexity(perplexity, count: points.count)
        let n = points.count
        let k = min(n - 1, Int(3 * perplexity + 1))
        let graph = NeighborGraph(
            distanceMatrix: SquaredDistances.compute(points), count: n, neighbors: k, includeSelf: false)
        let conditional = PerplexitySearch.conditionalProbabilities(
            squaredDistances: graph.distances, count: n, candidates: k, perplexity: perplexity, skipDiagonal: false)
        var triplets: [(row: Int, column: Int, value: Double)] = []
        triplets.reserveCapacity(2 * n * k)
        for i in 0..<n {
            for j in 0..<k {
                let value = conditional[i * k + j]
                let column = graph.indices[i * k + j]
                triplets.append((i, column, value))
                triplets.append((column, i, value))
            }
        }
        var p = SparseSymmetricMatrix(size: n, triplets: triplets)
        let sum = max(p.values.reduce(0, +), Double.ulpOfOne)
        p.values = p.values.map { $0 / sum }
        return p
    }

    /// The dense n x n P of the exact method (0 on the diagonal); sums to 1 (up to the clamp).
    public static func exact(_ points: PointSet, perplexity: Double) throws -> [Double] {
        try TSNEConfiguration.checkPerplexity(perplexity, count: points.count)
        let n = points.count
        let conditional = PerplexitySearch.conditionalProbabilities(
            squaredDistances: SquaredDistances.compute(points), count: n, candidates: n, perplexity: perplexity,
            skipDiagonal: true)
        var p = [Double](repeating: 0, count: n * n)
        var sum = 0.0
        for i in 0..<n {
            for j in 0..<n where j != i {
                let value = conditional[i * n + j] + conditional[j * n + i]
                p[i * n + j] = value
                sum += value
            }
        }
        sum = max(sum, Double.ulpOfOne)
        for i in 0..<n { for j in 0..<n where j != i { p[i * n + j] = max(p[i * n + j] / sum, Double.ulpOfOne) } }
        return p
    }
}
