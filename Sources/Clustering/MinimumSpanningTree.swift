/// Single linkage as SciPy computes it: Prim's minimum spanning tree on the condensed matrix,
/// O(n^2) time and O(n) extra memory, growing the tree from item 0 and always adding the
/// outside item nearest to it (the first one on ties).
enum MinimumSpanningTree {
    static func single(_ distances: CondensedDistances) -> LinkageMatrix {
        let n = distances.count
        var raw: [RawMerge] = []
        raw.reserveCapacity(n - 1)
        // Items not yet in the tree, in increasing order, and their distance to the tree.
        var outside = Array(1..<n)
        var nearest = [Double](repeating: .infinity, count: n)
        distances.values.withUnsafeBufferPointer { d in
            var x = 0
            for _ in 0..<(n - 1) {
                var currentMin = Double.infinity
                var y = -1
                var position = -1
                // Row x of the condensed matrix: (i, x) for i < x is strided, (x, j) for j > x contiguous.
                let rowStart = x < n - 1 ? CondensedDistances.index(x, x + 1, count: n) - x - 1 : 0
                for (p, i) in outside.enumerated() {
                    let dist = i < x ? d[CondensedDistances.index(i, x, count: n)] : d[rowStart + i]
                    if nearest[i] > dist { nearest[i] = dist }
                    if nearest[i] < currentMin {
                        currentMin = nearest[i]
                        y = i
                        position = p
                    }
                }
                if y < 0 {
                    // Only NaN distances left: SciPy would keep y from before; take the first outside item.
                    y = outside[0]
                    position = 0
                    currentMin = .nan
                }
                raw.append(RawMerge(first: x, second: y, height: currentMin))
                outside.remove(at: position)
                x = y
            }
        }
        return LinkageLabeling.sortedAndLabelled(raw, leafCount: n)
    }
}
