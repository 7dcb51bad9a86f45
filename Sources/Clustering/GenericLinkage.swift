/// Centroid and median linkage as SciPy computes them: Müllner's (2011) generic algorithm, for
/// methods whose merge heights may decrease (inversions), so the nearest-neighbour chain does not
/// apply. Each cluster x keeps a candidate nearest neighbour among the clusters after it and a
/// lower bound of that distance in a binary heap; the heap's minimum is recomputed until its bound
/// is exact, and that pair merges. O(n^2) memory, O(n^2 log n) typical time.
///
/// The merges are recorded in the order they happen (no sort: heights need not increase), the
/// new cluster keeping the slot of the larger index and taking id n + k, as SciPy does.
enum GenericLinkage {
    static func linkage(_ distances: CondensedDistances, method: LinkageMethod) -> LinkageMatrix {
        let n = distances.count
        var matrix = distances.square(diagonal: .infinity)
        var size = [Int](repeating: 1, count: n)
        var clusterID = Array(0..<n)
        var mask = [Double](repeating: 0, count: n)
        var neighbor = [Int](repeating: 0, count: n - 1)
        var merges: [LinkageMatrix.Merge] = []
        merges.reserveCapacity(n - 1)
        matrix.withUnsafeMutableBufferPointer { d in
            mask.withUnsafeMutableBufferPointer { mask in
                guard let base = d.baseAddress, let maskBase = mask.baseAddress else { return }
                // The nearest cluster after x (index, distance); (-1, inf) if none is left.
                func nearestAfter(_ x: Int) -> (Int, Double) {
                    let (value, at) = NearestNeighborChain.argmin(
                        base + x * n + x + 1, mask: maskBase + x + 1, count: n - x - 1)
                    return at < 0 ? (-1, .infinity) : (x + 1 + at, value)
                }
                var bounds = [Double](repeating: 0, count: n - 1)
                for x in 0..<(n - 1) {
                    (neighbor[x], bounds[x]) = nearestAfter(x)
                }
                var heap = IndexedMinHeap(values: bounds)
                for k in 0..<(n - 1) {
                    var (x, dist) = heap.minimum
                    var y = neighbor[x]
                    // At most n - k recomputations: each makes one bound exact.
                    for _ in 0..<(n - k) {
                        (x, dist) = heap.minimum
                        y = neighbor[x]
                        if dist == d[x * n + y] { break }
                        let (z, exact) = nearestAfter(x)
                        y = z
                        dist = exact
                        neighbor[x] = y
                        heap.change(key: x, to: exact)
                    }
                    heap.removeMinimum()
                    let idX = min(clusterID[x], clusterID[y])
                    let idY = max(clusterID[x], clusterID[y])
                    let sizeX = size[x]
                    let sizeY = size[y]
                    merges.append(.init(first: idX, second: idY, height: dist, size: sizeX + sizeY))
                    size[x] = 0
                    mask[x] = .infinity
                    size[y] = sizeX + sizeY
                    clusterID[y] = n + k
                    let rowX = base + x * n
                    let rowY = base + y * n
                    for z in 0..<n where size[z] > 0 && z != y {
                        let value = method.updated(
                            xi: rowX[z], yi: rowY[z], xy: dist, sizeX: Double(sizeX), sizeY: Double(sizeY),
                            sizeI: Double(size[z]))
                        rowY[z] = value
                        base[z * n + y] = value
                    }
                    // The neighbour guesses that pointed at x now point at the merged cluster.
                    for z in 0..<x where size[z] > 0 && neighbor[z] == x {
                        neighbor[z] = y
                    }
                    // Distances to the merged cluster may lower the bounds of clusters before it.
                    for z in 0..<y where size[z] > 0 {
                        let value = base[z * n + y]
                        if value < heap.value(of: z) {
                            neighbor[z] = y
                            heap.change(key: z, to: value)
                        }
                    }
                    if y < n - 1 {
                        let (z, value) = nearestAfter(y)
                        if z != -1 {
                            neighbor[y] = z
                            heap.change(key: y, to: value)
                        }
                    }
                }
            }
        }
        return LinkageMatrix(checked: merges, leafCount: n)
    }
}

/// A binary min-heap of values by key 0..<n whose values can change, laid out as SciPy's
/// `Heap` in `_hierarchy.pyx` (same sift rules), so that equal values come out in the same order.
struct IndexedMinHeap {
    private var values: [Double]
    private var keyByIndex: [Int]
    private var indexByKey: [Int]
    private var size: Int

    init(values: [Double]) {
        self.values = values
        size = values.count
        keyByIndex = Array(0..<values.count)
        indexByKey = Array(0..<values.count)
        for index in stride(from: size / 2 - 1, through: 0, by: -1) {
            siftDown(index)
        }
    }

    /// The key with the smallest value, and the value.
    var minimum: (Int, Double) { (keyByIndex[0], values[0]) }

    /// The current value of `key`.
    func value(of key: Int) -> Double { values[indexByKey[key]] }

    mutating func removeMinimum() {
        swapAt(0, size - 1)
        size -= 1
        siftDown(0)
    }

    mutating func change(key: Int, to value: Double) {
        let index = indexByKey[key]
        let old = values[index]
        values[index] = value
        if value < old { siftUp(index) } else { siftDown(index) }
    }

    private mutating func siftUp(_ start: Int) {
        var index = start
        while index > 0 {
            let parent = (index - 1) >> 1
            guard values[parent] > values[index] else { return }
            swapAt(index, parent)
            index = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var index = start
        var child = 2 * index + 1
        while child < size {
            if child + 1 < size && values[child + 1] < values[child] { child += 1 }
            guard values[index] > values[child] else { return }
            swapAt(index, child)
            index = child
            child = 2 * index + 1
        }
    }

    private mutating func swapAt(_ i: Int, _ j: Int) {
        values.swapAt(i, j)
        let keyI = keyByIndex[i]
        let keyJ = keyByIndex[j]
        keyByIndex[i] = keyJ
        keyByIndex[j] = keyI
        indexByKey[keyI] = j
        indexByKey[keyJ] = i
    }
}
