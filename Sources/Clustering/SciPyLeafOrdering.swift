extension HierarchicalClustering {
    /// SciPy's leaf ordering (see ``LeafOrderingAlgorithm/scipy``), computed as SciPy computes it:
    /// leaves renumbered by their position in the current leaf order, so that every cluster is a
    /// range of positions; M in float32; the search over (m, k) in increasing M with SciPy's
    /// early exits; each cluster's best (u, w) deciding whether its children are rotated; the
    /// rotations composed from the root down.
    static func scipyLeafOrdering(_ z: LinkageMatrix, distances: CondensedDistances) throws -> LinkageMatrix {
        let n = z.leafCount
        guard distances.count == n else {
            throw ClusteringError.countMismatch(
                what: "items of the distances for a tree of \(n) leaves", expected: n, actual: distances.count)
        }
        if n <= 2 { return z }
        let order = leafOrder(z)
        var position = [Int](repeating: 0, count: n)
        for (p, leaf) in order.enumerated() { position[leaf] = p }
        // Each cluster as the range of positions it covers.
        var lower = [Int](repeating: 0, count: 2 * n - 1)
        var upper = [Int](repeating: 0, count: 2 * n - 1)
        for leaf in 0..<n {
            lower[leaf] = position[leaf]
            upper[leaf] = position[leaf] + 1
        }
        for (k, merge) in z.merges.enumerated() {
            lower[n + k] = lower[merge.first]
            upper[n + k] = upper[merge.second]
        }
        func positions(_ c: Int) -> Range<Int> { lower[c]..<upper[c] }
        var sortedD = [Double](repeating: 0, count: n * n)
        for p in 0..<n {
            for q in 0..<n { sortedD[p * n + q] = distances[order[p], order[q]] }
        }
        let large: Float = 1_073_741_824  // SciPy's 2^30 "infinity"
        var m = [Float](repeating: 0, count: n * n)
        var mustSwap = [Bool](repeating: false, count: n - 1)
        for merge in z.merges {
            let (left, right) = (merge.first, merge.second)
            // (cluster of u, cluster of m) for swapL = 0, 1, and (cluster of w, cluster of k) for swapR.
            var uSides: [(Int, Int)] = [(left, left)]
            if left >= n {
                let (a, b) = z.children(left)
                uSides = [(a, b), (b, a)]
            }
            var wSides: [(Int, Int)] = [(right, right)]
            if right >= n {
                let (a, b) = z.children(right)
                wSides = [(b, a), (a, b)]
            }
            for (uCluster, mCluster) in uSides {
                for (wCluster, kCluster) in wSides {
                    var minimumMK = large
                    for a in positions(mCluster) {
                        for b in positions(kCluster) where sortedD[a * n + b] < Double(minimumMK) {
                            minimumMK = Float(sortedD[a * n + b])
                        }
                    }
                    let ks = positions(kCluster)
                    let kOrder = Dictionary(
                        uniqueKeysWithValues: positions(wCluster).map { w in
                            (w, ks.sorted { (m[$0 * n + w], $0) < (m[$1 * n + w], $1) })
                        })
                    for u in positions(uCluster) {
                        let mSorted = positions(mCluster).sorted { (m[$0 * n + u], $0) < (m[$1 * n + u], $1) }
                        for w in positions(wCluster) {
                            let kSorted = kOrder[w] ?? []
                            var best = large
                            for mm in mSorted {
                                let um = m[u * n + mm]
                                if um + m[w * n + kSorted[0]] + minimumMK >= best { break }
                                for k in kSorted {
                                    if um + m[w * n + k] + minimumMK >= best { break }
                                    let current = Float(Double(um + m[w * n + k]) + sortedD[mm * n + k])
                                    if current < best { best = current }
                                }
                            }
                            m[u * n + w] = best
                            m[w * n + u] = best
                        }
                    }
                }
            }
            var best = large
            var bestU = lower[left]
            var bestW = lower[right]
            for u in positions(left) {
                for w in positions(right) where m[u * n + w] < best {
                    best = m[u * n + w]
                    bestU = u
                    bestW = w
                }
            }
            if left >= n { mustSwap[left - n] = !positions(z.children(left).0).contains(bestU) }
            if right >= n { mustSwap[right - n] = positions(z.children(right).0).contains(bestW) }
        }
        // A rotation of a cluster flips the children of it and of every cluster below it.
        var parity = [Bool](repeating: false, count: n - 1)
        for row in stride(from: n - 2, through: 0, by: -1) {
            let merge = z.merges[row]
            for child in [merge.first, merge.second] where child >= n {
                parity[child - n] = parity[row] != mustSwap[child - n]
            }
        }
        return z.swapping(rows: (0..<(n - 1)).filter { parity[$0] })
    }
}
