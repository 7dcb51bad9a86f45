/// How ``HierarchicalClustering/optimalLeafOrdering(_:distances:algorithm:)`` orders the leaves.
public enum LeafOrderingAlgorithm: String, Sendable, CaseIterable {
    /// SciPy's `optimal_leaf_ordering`, leaf for leaf. Its dynamic programme is Bar-Joseph et
    /// al.'s, but it fixes each cluster's children from that cluster's own best end pair, bottom
    /// up, so the result can miss the optimum (SciPy issue #11227, open since 2019).
    case scipy
    /// The true minimum of the sum of distances between neighbouring leaves: the same dynamic
    /// programme, traced back from the root.
    case exact
}

extension HierarchicalClustering {
    /// The same dendrogram with its clusters flipped so that the sum of distances between
    /// neighbouring leaves is small, by default equal to `scipy.cluster.hierarchy.optimal_leaf_ordering`
    /// [Bar-Joseph, Gifford & Jaakkola 2001, "Fast optimal leaf ordering for hierarchical
    /// clustering"].
    ///
    /// Concretely: for every cluster v = (l, r) and every leaf u of l and w of r,
    /// M(v; u, w) = min over m, k of M(l; u, m) + D(m, k) + M(r; k, w), the cheapest ordering of v
    /// that starts at u and ends at w, where m ranges over the leaves of the child of l that does
    /// not hold u (m = u if l is a leaf) and k likewise in r. `.exact` takes the root's best pair
    /// and traces the choices back down. `.scipy` does as SciPy: at every cluster it takes that
    /// cluster's best pair (u, w) and rotates its children so that u and w are outermost, then
    /// composes the rotations - which keeps SciPy's answer, float32 M matrix included, even where
    /// it is not optimal (SciPy issue #11227). Either way the root's first child stays on the left,
    /// and the rows, ids and heights are unchanged; only `first` and `second` trade places.
    /// O(n^2) memory, O(n^3) time in the worst case (SciPy prunes the search as SciPy does).
    ///
    /// Ties between orderings of equal cost may be broken differently from SciPy.
    ///
    /// - Parameters:
    ///   - z: the dendrogram.
    ///   - distances: the distances it was built from.
    ///   - algorithm: `.scipy` (the default, to match SciPy) or `.exact`.
    /// - Returns: `z` with the children of some merges swapped.
    /// - Throws: ``ClusteringError/countMismatch(what:expected:actual:)`` if the distances are of
    ///   a different number of items.
    public static func optimalLeafOrdering(
        _ z: LinkageMatrix, distances: CondensedDistances, algorithm: LeafOrderingAlgorithm = .scipy
    ) throws -> LinkageMatrix {
        switch algorithm {
        case .scipy: return try scipyLeafOrdering(z, distances: distances)
        case .exact: return try exactOptimalLeafOrdering(z, distances: distances)
        }
    }

    /// The exact optimum (see ``LeafOrderingAlgorithm/exact``).
    static func exactOptimalLeafOrdering(_ z: LinkageMatrix, distances: CondensedDistances) throws -> LinkageMatrix {
        let n = z.leafCount
        guard distances.count == n else {
            throw ClusteringError.countMismatch(
                what: "items of the distances for a tree of \(n) leaves", expected: n, actual: distances.count)
        }
        if n <= 2 { return z }
        let d = distances.square(diagonal: 0)
        let (order, start, size) = leafSpans(z)
        var position = [Int](repeating: 0, count: n)
        for (p, leaf) in order.enumerated() { position[leaf] = p }
        func contains(_ c: Int, _ leaf: Int) -> Bool {
            position[leaf] >= start[c] && position[leaf] < start[c] + size[c]
        }
        // Leaves of a cluster, as the slice of the initial leaf order it covers.
        func leaves(_ node: Int) -> ArraySlice<Int> { order[start[node]..<(start[node] + size[node])] }
        // For leaf u inside cluster c, the leaves u's ordering of c may end at: those of the
        // child of c that does not hold u (u itself if c is a leaf).
        func otherEnds(_ u: Int, in c: Int) -> ArraySlice<Int> {
            if c < n { return leaves(c) }
            let (first, second) = z.children(c)
            return contains(first, u) ? leaves(second) : leaves(first)
        }
        var m = [Double](repeating: 0, count: n * n)
        var through = [Double](repeating: 0, count: n * n)  // T(u, k) = min over m of M(u, m) + D(m, k)
        for node in n..<(2 * n - 1) {
            let (l, r) = z.children(node)
            for u in leaves(l) {
                let ends = otherEnds(u, in: l)
                for k in leaves(r) {
                    var best = Double.infinity
                    for e in ends {
                        let value = m[u * n + e] + d[e * n + k]
                        if value < best { best = value }
                    }
                    through[u * n + k] = best
                }
            }
            for w in leaves(r) {
                let ends = otherEnds(w, in: r)
                for u in leaves(l) {
                    var best = Double.infinity
                    for k in ends {
                        let value = through[u * n + k] + m[k * n + w]
                        if value < best { best = value }
                    }
                    m[u * n + w] = best
                    m[w * n + u] = best
                }
            }
        }
        // The root's best pair, its first child on the left.
        let root = 2 * n - 2
        let (rootFirst, rootSecond) = z.children(root)
        var best = (Double.infinity, rootFirst, rootSecond)
        for u in leaves(rootFirst) {
            for w in leaves(rootSecond) where m[u * n + w] < best.0 {
                best = (m[u * n + w], u, w)
            }
        }
        // Trace back: cluster `node` is laid out from leaf `left` to leaf `right`.
        var swapped: [Int] = []
        var stack = [(root, best.1, best.2)]
        while let (node, left, right) = stack.popLast() {
            guard node >= n else { continue }
            let (first, second) = z.children(node)
            let (leftChild, rightChild) = contains(first, left) ? (first, second) : (second, first)
            if leftChild != first { swapped.append(node - n) }
            var choice = (Double.infinity, left, right)
            for e in otherEnds(left, in: leftChild) {
                for k in otherEnds(right, in: rightChild) {
                    let value = m[left * n + e] + d[e * n + k] + m[k * n + right]
                    if value < choice.0 { choice = (value, e, k) }
                }
            }
            stack.append((leftChild, left, choice.1))
            stack.append((rightChild, choice.2, right))
        }
        return z.swapping(rows: swapped)
    }
}
