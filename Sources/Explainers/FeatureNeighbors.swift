import Foundation
import Projections

/// Nearest neighbours in a layer's feature space (Krizhevsky et al. 2012 showed the images
/// nearest in the last hidden layer to say what the network treats as alike): for each query,
/// the `count` pool items closest by Euclidean or cosine distance, ties by the lower index.
///
/// Also the k-nearest-neighbour agreement of a labelled pool: the share of each item's
/// neighbours (itself excluded) that carry its label, averaged over items, a score of how well
/// the layer groups the classes (the neighbourhood hit of Rauber et al. 2017, in feature space).
public struct FeatureNeighbors: Sendable {
    public enum Metric: String, CaseIterable, Sendable { case euclidean, cosine }

    public struct Neighbor: Equatable, Sendable {
        public var index: Int
        public var distance: Double
    }

    public let metric: Metric
    public let dimension: Int
    /// The pool, row after row.
    public let pool: [Float]

    public init(pool: [Float], dimension: Int, metric: Metric = .euclidean) throws {
        guard dimension >= 1, pool.count % dimension == 0, !pool.isEmpty else {
            throw ExplainerError.invalidOption(
                name: "feature dimension", value: "\(dimension) for \(pool.count) values",
                valid: "a positive divisor of the value count")
        }
        if let bad = pool.firstIndex(where: { !$0.isFinite }) {
            throw ExplainerError.invalidOption(
                name: "features", value: "\(pool[bad]) in row \(bad / dimension)", valid: "finite numbers")
        }
        self.pool = pool
        self.dimension = dimension
        self.metric = metric
    }

    public var count: Int { pool.count / dimension }

    /// The distance between two feature vectors (as `Clustering.PairwiseDistances` defines it):
    /// cosine distance is 1 - cos clipped to [0, 2]; 0 between two zero vectors, 1 from one to any other.
    public func distance(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        var (dot, aa, bb, squared) = (0.0, 0.0, 0.0, 0.0)
        for (x, y) in zip(a, b) {
            let (u, v) = (Double(x), Double(y))
            dot += u * v
            aa += u * u
            bb += v * v
            squared += (u - v) * (u - v)
        }
        switch metric {
        case .euclidean: return squared.squareRoot()
        case .cosine:
            if aa == 0 || bb == 0 { return aa == bb ? 0 : 1 }
            return min(2, max(0, 1 - dot / (aa.squareRoot() * bb.squareRoot())))
        }
    }

    func row(_ i: Int) -> ArraySlice<Float> { pool[(i * dimension)..<((i + 1) * dimension)] }

    /// The `count` pool items nearest `query` (one feature vector), skipping `excluded`.
    public func nearest(_ query: ArraySlice<Float>, count: Int, excluding excluded: Int? = nil) -> [Neighbor] {
        // The best `count` so far, nearest first; items arrive by index, so a tie never displaces.
        var best: [Neighbor] = []
        best.reserveCapacity(count + 1)
        for i in 0..<self.count where i != excluded {
            let d = distance(query, row(i))
            guard best.count < count || d < best[best.count - 1].distance else { continue }
            let position = best.firstIndex { $0.distance > d } ?? best.count
            best.insert(Neighbor(index: i, distance: d), at: position)
            if best.count > count { best.removeLast() }
        }
        return best
    }

    /// The mean share of each pool item's `k` nearest other items that share its label: the
    /// neighbourhood hit (`Projections.EmbeddingScores`) of the features themselves.
    public func agreement(labels: [Int], k: Int) throws -> Double {
        guard labels.count == count else {
            throw ExplainerError.invalidOption(
                name: "labels", value: "\(labels.count) labels", valid: "one per pool item (\(count))")
        }
        guard k >= 1, k < count else {
            throw ExplainerError.invalidOption(
                name: "--neighbors", value: String(k), valid: "1 to \(count - 1) (fewer than the pool's items)")
        }
        // Projections' neighbourhood hit, in feature space. Cosine distance ranks neighbours as
        // the Euclidean distance of unit vectors does (|u - v|^2 = 2 - 2 cos).
        var rows = pool.map(Double.init)
        if metric == .cosine {
            for i in 0..<count {
                let norm = rows[(i * dimension)..<((i + 1) * dimension)].reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm > 0 { for j in (i * dimension)..<((i + 1) * dimension) { rows[j] /= norm } }
            }
        }
        return try EmbeddingScores.neighborhoodHit(
            embedding: PointSet(values: rows, count: count, dimension: dimension), labels: labels.map(String.init),
            neighbors: k)
    }
}
