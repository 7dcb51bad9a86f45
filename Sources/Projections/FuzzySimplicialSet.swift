import Foundation

/// UMAP's weighted k-nearest-neighbour graph, the fuzzy union of every point's local fuzzy
/// simplicial set, as umap-learn's `fuzzy_simplicial_set` builds it for Euclidean data
/// (McInnes et al. 2018, section 3.1, with `set_op_mix_ratio` 1).
///
/// Concretely: the exact k nearest neighbours (the point itself first, as umap-learn's
/// brute-force search on fewer than 4,096 points returns them) by Euclidean distance;
/// `SmoothKNN`'s rho and sigma; memberships a_ij = exp(-(d_ij - rho_i) / sigma_i), 1 where
/// d_ij <= rho_i (or sigma_i = 0), 0 for the point itself; then the symmetric
/// w_ij = a_ij + a_ji - a_ij a_ji, zeros dropped.
public enum FuzzySimplicialSet {
    /// The graph and the intermediate values tests compare with umap-learn.
    public struct Graph: Sendable {
        public var weights: SparseSymmetricMatrix
        /// n x k neighbour indices and Euclidean distances, self first.
        public var neighborIndices: [Int]
        public var neighborDistances: [Double]
        public var sigmas: [Double]
        public var rhos: [Double]
    }

    public static func build(_ points: PointSet, neighbors k: Int, localConnectivity: Double = 1) throws -> Graph {
        let n = points.count
        guard k >= 2 else {
            throw ProjectionError.invalidParameter(name: "neighbors", value: "\(k)", valid: "2 or more")
        }
        guard n >= k + 1 else {
            throw ProjectionError.tooFewPoints(count: n, needed: k + 1, reason: "UMAP with \(k) neighbours")
        }
        let distances = SquaredDistances.compute(points).map { $0.squareRoot() }
        let knn = NeighborGraph(distanceMatrix: distances, count: n, neighbors: k, includeSelf: true)
        let (sigmas, rhos) = SmoothKNN.sigmasAndRhos(
            distances: knn.distances, count: n, neighbors: k, localConnectivity: localConnectivity)
        var membership = [[Int: Double]](repeating: [:], count: n)
        for i in 0..<n {
            for j in 0..<k {
                let column = knn.indices[i * k + j]
                let d = knn.distances[i * k + j]
                let value: Double
                if column == i {
                    value = 0
                } else if d - rhos[i] <= 0 || sigmas[i] == 0 {
                    value = 1
                } else {
                    value = exp(-((d - rhos[i]) / sigmas[i]))
                }
                membership[i][column] = value
            }
        }
        var triplets: [(row: Int, column: Int, value: Double)] = []
        for i in 0..<n {
            for (j, a) in membership[i] {
                let b = membership[j][i] ?? 0
                let union = a + b - a * b
                triplets.append((i, j, union))
                // The (j, i) entry, unless row j lists i itself (then its own loop adds it).
                if membership[j][i] == nil { triplets.append((j, i, union)) }
            }
        }
        return Graph(
            weights: SparseSymmetricMatrix(size: n, triplets: triplets), neighborIndices: knn.indices,
            neighborDistances: knn.distances, sigmas: sigmas, rhos: rhos)
    }
}
