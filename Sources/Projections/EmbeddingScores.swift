/// How well an embedding keeps what matters: neighbourhood hit (do a point's neighbours in
/// the projection share its label?) and trustworthiness (are they its neighbours in the data?).
public enum EmbeddingScores {
    /// Neighbourhood hit (Rauber et al., IEEE TVCG 2017, [RAUBER17]): the mean over points of the
    /// fraction of their k nearest neighbours in the embedding (Euclidean, the point itself
    /// left out, ties to the lower index) that carry the same label. 1 means every
    /// neighbourhood is pure; a random layout of c equally common labels scores about 1 / c.
    /// k = 6 is the paper's choice; it must be below the number of points. Points of more than
    /// three dimensions (a layer's features rather than a projection) are scored the same way.
    public static func neighborhoodHit(embedding: PointSet, labels: [String], neighbors k: Int = 6) throws -> Double {
        let n = embedding.count
        guard labels.count == n else { throw ProjectionError.labelCountMismatch(labels: labels.count, points: n) }
        guard k >= 1 && k < n else {
            throw ProjectionError.invalidParameter(
                name: "neighbors", value: "\(k)", valid: "1 to \(n - 1) (fewer than the points)")
        }
        // Projections (2-D, 3-D) exactly; a layer's features (many dimensions) by one BLAS product.
        let distances =
            embedding.dimension <= 3 ? SquaredDistances.direct(embedding) : SquaredDistances.compute(embedding)
        let graph = NeighborGraph(distanceMatrix: distances, count: n, neighbors: k, includeSelf: false)
        var sum = 0.0
        for i in 0..<n {
            var same = 0
            for j in 0..<k where labels[graph.indices[i * k + j]] == labels[i] { same += 1 }
            sum += Double(same) / Double(k)
        }
        return sum / Double(n)
    }

    /// Trustworthiness as `sklearn.manifold.trustworthiness` defines it (Venna & Kaski 2001):
    /// T(k) = 1 - 2 / (n k (2n - 3k - 1)) Σ_i Σ_{j ∈ U_i^k} (r(i, j) - k), where U_i^k are
    /// the embedding's k nearest neighbours of i that are not among its k nearest in the data
    /// and r(i, j) is j's rank by distance from i in the data (1 = nearest). Euclidean in both
    /// spaces; needs k < n / 2 (scikit-learn's bound). 1 means no false neighbours.
    public static func trustworthiness(data: PointSet, embedding: PointSet, neighbors k: Int = 5) throws -> Double {
        let n = data.count
        guard embedding.count == n else {
            throw ProjectionError.invalidParameter(
                name: "embedding points", value: "\(embedding.count)", valid: "one per data point (\(n))")
        }
        guard k >= 1 && Double(k) < Double(n) / 2 else {
            throw ProjectionError.invalidParameter(
                name: "neighbors", value: "\(k)", valid: "1 to below half the points (\(n) / 2)")
        }
        let dataRanks = NeighborGraph(
            distanceMatrix: SquaredDistances.compute(data), count: n, neighbors: n - 1, includeSelf: false)
        let embedded = NeighborGraph(
            distanceMatrix: SquaredDistances.direct(embedding), count: n, neighbors: k, includeSelf: false)
        var rank = [Int](repeating: 0, count: n)
        var penalty = 0.0
        for i in 0..<n {
            for r in 0..<(n - 1) { rank[dataRanks.indices[i * (n - 1) + r]] = r + 1 }
            for j in 0..<k {
                let excess = rank[embedded.indices[i * k + j]] - k
                if excess > 0 { penalty += Double(excess) }
            }
        }
        let nk = Double(n) * Double(k)
        return 1 - penalty * 2 / (nk * (2 * Double(n) - 3 * Double(k) - 1))
    }
}
