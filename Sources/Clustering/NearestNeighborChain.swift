/// Complete, average, weighted and Ward linkage as SciPy computes them: the nearest-neighbour
/// chain (Murtagh 1983; Müllner 2011, "Modern hierarchical, agglomerative clustering
/// algorithms"), O(n^2) time, valid for methods whose merges never decrease (reducible ones).
///
/// Follow nearest neighbours from a cluster until two clusters are each other's nearest (the
/// chain's previous element wins ties, so the chain cannot cycle), merge them into the slot of
/// the larger index, update its distances by the Lance-Williams formula, and continue from the
/// rest of the chain. The merges come out of order; SciPy sorts and relabels them
/// (``LinkageLabeling``).
///
/// Storage: the full symmetric n x n matrix (twice SciPy's condensed one) so that every row is
/// contiguous - a scan of a cluster's neighbours is one sequential pass. Dead clusters are
/// masked by an additive +inf, the diagonal is +inf.
enum NearestNeighborChain {
    static func linkage(_ distances: CondensedDistances, method: LinkageMethod) -> LinkageMatrix {
        let n = distances.count
        var matrix = distances.square(diagonal: .infinity)
        var size = [Int](repeating: 1, count: n)
        var mask = [Double](repeating: 0, count: n)
        var chain: [Int] = []
        chain.reserveCapacity(n)
        var raw: [RawMerge] = []
        raw.reserveCapacity(n - 1)
        matrix.withUnsafeMutableBufferPointer { d in
            mask.withUnsafeMutableBufferPointer { mask in
                guard let base = d.baseAddress, let maskBase = mask.baseAddress else { return }
                var firstAlive = 0
                for _ in 0..<(n - 1) {
                    if chain.isEmpty {
                        while size[firstAlive] == 0 { firstAlive += 1 }
                        chain.append(firstAlive)
                    }
                    var x = 0
                    var y = 0
                    var currentMin = 0.0
                    while true {
                        x = chain[chain.count - 1]
                        let (minimum, at) = argmin(base + x * n, mask: maskBase, count: n)
                        if chain.count > 1 {
                            let previous = chain[chain.count - 2]
                            let toPrevious = d[x * n + previous]
                            if !(minimum < toPrevious) {
                                y = previous
                                currentMin = toPrevious
                                break
                            }
                        }
                        y = at
                        currentMin = minimum
                        chain.append(y)
                    }
                    chain.removeLast(2)
                    if x > y { swap(&x, &y) }
                    let sizeX = Double(size[x])
                    let sizeY = Double(size[y])
                    raw.append(RawMerge(first: x, second: y, height: currentMin))
                    size[y] += size[x]
                    size[x] = 0
                    mask[x] = .infinity
                    let rowX = base + x * n
                    let rowY = base + y * n
                    for i in 0..<n where size[i] > 0 && i != y {
                        let value = method.updated(
                            xi: rowX[i], yi: rowY[i], xy: currentMin, sizeX: sizeX, sizeY: sizeY,
                            sizeI: Double(size[i]))
                        rowY[i] = value
                        base[i * n + y] = value
                    }
                }
            }
        }
        return LinkageLabeling.sortedAndLabelled(raw, leafCount: n)
    }

    /// The smallest of row[i] + mask[i] and its first index (-1 if none is below +inf).
    @inline(__always)
    static func argmin(_ row: UnsafeMutablePointer<Double>, mask: UnsafeMutablePointer<Double>, count n: Int) -> (
        Double, Int
    ) {
        var best = Double.infinity
        var at = -1
        for i in 0..<n {
            let value = row[i] + mask[i]
            if value < best {
                best = value
                at = i
            }
        }
        return (best, at)
    }
}
