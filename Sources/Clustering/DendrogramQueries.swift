extension HierarchicalClustering {
    /// The leaves from left to right, equal to `scipy.cluster.hierarchy.leaves_list(Z)`: a
    /// depth-first walk from the root that visits each merge's `first` cluster before its `second`.
    public static func leafOrder(_ z: LinkageMatrix) -> [Int] {
        let n = z.leafCount
        var order: [Int] = []
        order.reserveCapacity(n)
        var stack = [2 * n - 2]
        while let node = stack.popLast() {
            if node < n {
                order.append(node)
            } else {
                let (first, second) = z.children(node)
                stack.append(second)
                stack.append(first)
            }
        }
        return order
    }

    /// Where each cluster's leaves lie in `leafOrder`: cluster c covers positions
    /// start[c] ..< start[c] + size(c) (clusters are 0..<2n-1, leaves first).
    static func leafSpans(_ z: LinkageMatrix) -> (order: [Int], start: [Int], size: [Int]) {
        let n = z.leafCount
        let order = leafOrder(z)
        var size = [Int](repeating: 1, count: 2 * n - 1)
        for (k, merge) in z.merges.enumerated() { size[n + k] = merge.size }
        var start = [Int](repeating: 0, count: 2 * n - 1)
        // Parents have larger ids than their children, so walking ids downwards goes top-down.
        for node in stride(from: 2 * n - 2, through: n, by: -1) {
            let (first, second) = z.children(node)
            start[first] = start[node]
            start[second] = start[node] + size[first]
        }
        return (order, start, size)
    }

    /// The cophenetic distances, equal to `scipy.cluster.hierarchy.cophenet(Z)`: for each pair of
    /// leaves, the height of the merge that first joins them (the height of their lowest common
    /// ancestor, which for centroid and median linkage need not be the largest height below it).
    public static func cophenetic(_ z: LinkageMatrix) -> CondensedDistances {
        let n = z.leafCount
        let (order, start, size) = leafSpans(z)
        var values = [Double](repeating: 0, count: n * (n - 1) / 2)
        for (k, merge) in z.merges.enumerated() {
            for p in start[merge.first]..<(start[merge.first] + size[merge.first]) {
                for q in start[merge.second]..<(start[merge.second] + size[merge.second]) {
                    let i = min(order[p], order[q])
                    let j = max(order[p], order[q])
                    values[CondensedDistances.index(i, j, count: n)] = z.merges[k].height
                }
            }
        }
        return CondensedDistances(unchecked: n, values: values)
    }

    /// How faithfully the dendrogram keeps the distances: Pearson's correlation between the
    /// distances and the cophenetic distances, equal to `scipy.cluster.hierarchy.cophenet(Z, y)[0]`.
    ///
    /// Concretely: sum (y - mean y)(c - mean c) / sqrt(sum (y - mean y)^2 sum (c - mean c)^2).
    /// NaN when either has no variance (two items, or all distances equal), as in SciPy.
    ///
    /// - Throws: ``ClusteringError/countMismatch(what:expected:actual:)`` if the distances are of
    ///   a different number of items.
    public static func copheneticCorrelation(_ z: LinkageMatrix, distances: CondensedDistances) throws -> Double {
        guard distances.count == z.leafCount else {
            throw ClusteringError.countMismatch(
                what: "items of the distances for a tree of \(z.leafCount) leaves", expected: z.leafCount,
                actual: distances.count)
        }
        let c = cophenetic(z).values
        let y = distances.values
        let meanY = y.reduce(0, +) / Double(y.count)
        let meanC = c.reduce(0, +) / Double(c.count)
        var numerator = 0.0
        var sumY = 0.0
        var sumC = 0.0
        for (a, b) in zip(y, c) {
            numerator += (a - meanY) * (b - meanC)
            sumY += (a - meanY) * (a - meanY)
            sumC += (b - meanC) * (b - meanC)
        }
        return numerator / (sumY * sumC).squareRoot()
    }

    /// A flat clustering into at most `k` clusters, equal to `scipy.cluster.hierarchy.fcluster(Z,
    /// k, criterion="maxclust")`, labels numbered 1... exactly as SciPy numbers them.
    ///
    /// Concretely: with each cluster's key the largest height in its subtree, the cut is the
    /// smallest key t that leaves at most k clusters (the subtrees whose key is <= t, and the
    /// leaves outside them). Labels follow SciPy's walk: depth-first from the root, a cut subtree
    /// takes the next label when the walk enters it, a leaf outside any when the walk leaves its
    /// parent. For k >= n every leaf is its own cluster and leaf i gets label i + 1, as in SciPy.
    ///
    /// - Throws: ``ClusteringError/invalidClusterCount(_:)`` for k < 1.
    public static func clusters(_ z: LinkageMatrix, count k: Int) throws -> [Int] {
        guard k >= 1 else { throw ClusteringError.invalidClusterCount(k) }
        let n = z.leafCount
        if k >= n { return Array(1...n) }
        var key = [Double](repeating: 0, count: n - 1)
        for (row, merge) in z.merges.enumerated() {
            var value = merge.height
            for child in [merge.first, merge.second] where child >= n { value = max(value, key[child - n]) }
            key[row] = value
        }
        let threshold = key.sorted()[n - k - 1]
        var labels = [Int](repeating: 0, count: n)
        var visited = [Bool](repeating: false, count: 2 * n - 1)
        var stack = [2 * n - 2]
        var count = 0
        var cut = -1  // the row of the cut subtree the walk is in, or -1
        while let node = stack.last {
            let row = node - n
            let (first, second) = z.children(node)
            if cut == -1 && key[row] <= threshold {
                cut = row
                count += 1
            }
            if !visited[first] {
                visited[first] = true
                if first >= n {
                    stack.append(first)
                    continue
                }
            }
            if !visited[second] {
                visited[second] = true
                if second >= n {
                    stack.append(second)
                    continue
                }
            }
            for leaf in [first, second] where leaf < n {
                if cut == -1 { count += 1 }
                labels[leaf] = count
            }
            if cut == row { cut = -1 }
            stack.removeLast()
        }
        return labels
    }
}
