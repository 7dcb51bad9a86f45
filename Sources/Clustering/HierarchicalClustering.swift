/// Agglomerative hierarchical clustering equal to `scipy.cluster.hierarchy`, and questions about
/// the resulting dendrogram.
public enum HierarchicalClustering {
    /// The dendrogram of the rows of `data`, equal to `scipy.cluster.hierarchy.linkage(data,
    /// method, metric, optimal_ordering)`.
    ///
    /// Concretely: ``PairwiseDistances/compute(_:rows:dimension:metric:)`` followed by
    /// ``linkage(distances:method:optimalOrdering:)``.
    ///
    /// - Parameters:
    ///   - data: `rows` x `dimension` values, row-major, one observation per row.
    ///   - rows: the number of observations, at least 2.
    ///   - dimension: the length of each observation.
    ///   - method: how cluster distances follow from item distances; `centroid`, `median` and
    ///     `ward` need `metric: .euclidean`, as in SciPy.
    ///   - metric: the item distance.
    ///   - optimalOrdering: reorder the leaves to minimise the sum of distances between
    ///     neighbouring leaves (Bar-Joseph et al. 2001); off by default as in SciPy because it
    ///     costs O(n^3) in the worst case.
    /// - Returns: SciPy's linkage matrix `Z` (see ``linkage(distances:method:optimalOrdering:)``).
    /// - Throws: ``ClusteringError/requiresEuclidean(method:metric:)``,
    ///   ``ClusteringError/tooFewItems(count:)`` and the errors of
    ///   ``PairwiseDistances/compute(_:rows:dimension:metric:)``.
    public static func linkage(
        _ data: [Double], rows: Int, dimension: Int, method: LinkageMethod, metric: DistanceMetric,
        optimalOrdering: Bool = false
    ) throws -> LinkageMatrix {
        if method.requiresEuclidean && metric != .euclidean {
            throw ClusteringError.requiresEuclidean(method: method, metric: metric)
        }
        guard rows >= 2 else {
            if rows >= 1 && data.count == rows * dimension { throw ClusteringError.tooFewItems(count: rows) }
            throw ClusteringError.invalidShape(rows: rows, dimension: dimension, valueCount: data.count)
        }
        let distances = try PairwiseDistances.compute(data, rows: rows, dimension: dimension, metric: metric)
        return try linkage(distances: distances, method: method, optimalOrdering: optimalOrdering)
    }

    /// The dendrogram of items with the given distances, equal to
    /// `scipy.cluster.hierarchy.linkage(y, method, optimal_ordering)` for a condensed `y`.
    ///
    /// The algorithms are SciPy's, so ties break the same way: Prim's minimum spanning tree for
    /// `single`; the nearest-neighbour chain for `complete`, `average`, `weighted` and `ward`;
    /// the generic algorithm with a heap for `centroid` and `median`. For all but centroid and
    /// median the merges are sorted by height (stable) and renamed, so merge k creates cluster
    /// n + k and each row names the smaller cluster first; centroid and median rows stay in merge
    /// order and may decrease in height.
    ///
    /// `centroid`, `median` and `ward` treat the distances as Euclidean, as SciPy does; nothing
    /// here can check that.
    ///
    /// - Throws: ``ClusteringError/tooFewItems(count:)`` for fewer than 2 items,
    ///   ``ClusteringError/nonFiniteDistance(first:second:value:)`` for NaN or infinite distances.
    public static func linkage(distances: CondensedDistances, method: LinkageMethod, optimalOrdering: Bool = false)
        throws -> LinkageMatrix
    {
        guard distances.count >= 2 else { throw ClusteringError.tooFewItems(count: distances.count) }
        if let (i, j, value) = distances.firstNonFinite() {
            throw ClusteringError.nonFiniteDistance(first: i, second: j, value: value)
        }
        let tree: LinkageMatrix
        switch method {
        case .single:
            tree = MinimumSpanningTree.single(distances)
        case .complete, .average, .weighted, .ward:
            tree = NearestNeighborChain.linkage(distances, method: method)
        case .centroid, .median:
            tree = GenericLinkage.linkage(distances, method: method)
        }
        return optimalOrdering ? try optimalLeafOrdering(tree, distances: distances) : tree
    }
}
