/// Exact k nearest neighbours by brute force over a full distance matrix: fine for the few
/// thousand points this target embeds, and free of the approximation (NN-descent) umap-learn
/// uses only above 4,096 points.
///
/// Concretely: for each row, the k columns with the smallest distances, nearest first, ties
/// broken by the lower index; `includeSelf` puts the point itself first (as umap-learn's
/// `fast_knn_indices` on precomputed distances does: its distance 0 ties only with exact
/// duplicates), otherwise it is left out (as scikit-learn's `kneighbors()` on the training
/// data does). Small k keeps a bounded max-heap per row (O(n log k)); large k sorts the row.
struct NeighborGraph: Sendable {
    /// n x k row-major neighbour indices.
    var indices: [Int]
    /// n x k row-major distances (the matrix's values, e.g. squared or plain Euclidean).
    var distances: [Double]
    var count: Int
    var neighbors: Int

    init(distanceMatrix: [Double], count n: Int, neighbors k: Int, includeSelf: Bool) {
        precondition(k >= 1 && k <= (includeSelf ? n : n - 1), "k out of range")
        var indices = [Int](repeating: 0, count: n * k)
        var distances = [Double](repeating: 0, count: n * k)
        // Others than the point itself: k - 1 with it first, k without it.
        let wanted = includeSelf ? k - 1 : k
        var heap: [(distance: Double, index: Int)] = []
        heap.reserveCapacity(max(wanted, 1))
        distanceMatrix.withUnsafeBufferPointer { matrix in
            for i in 0..<n {
                let row = matrix.baseAddress.map { $0 + i * n }
                var nearest: [(distance: Double, index: Int)]
                if wanted * 8 >= n {
                    nearest = []
                    nearest.reserveCapacity(n)
                    for j in 0..<n where j != i { nearest.append((row?[j] ?? 0, j)) }
                    nearest.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.index < $1.index) }
                    nearest.removeLast(nearest.count - wanted)
                } else {
                    heap.removeAll(keepingCapacity: true)
                    for j in 0..<n where j != i {
                        Self.offer((row?[j] ?? 0, j), to: &heap, capacity: wanted)
                    }
                    nearest = heap.sorted {
                        $0.distance < $1.distance || ($0.distance == $1.distance && $0.index < $1.index)
                    }
                }
                var column = i * k
                if includeSelf {
                    indices[column] = i
                    distances[column] = row?[i] ?? 0
                    column += 1
                }
                for entry in nearest {
                    indices[column] = entry.index
                    distances[column] = entry.distance
                    column += 1
                }
            }
        }
        self.indices = indices
        self.distances = distances
        self.count = n
        self.neighbors = k
    }

    /// Keeps the `capacity` smallest candidates (by distance, then index) in a max-heap.
    private static func offer(
        _ candidate: (distance: Double, index: Int), to heap: inout [(distance: Double, index: Int)], capacity: Int
    ) {
        func larger(_ a: (distance: Double, index: Int), _ b: (distance: Double, index: Int)) -> Bool {
            a.distance > b.distance || (a.distance == b.distance && a.index > b.index)
        }
        guard capacity > 0 else { return }
        if heap.count < capacity {
            heap.append(candidate)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard larger(heap[child], heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
            return
        }
        guard larger(heap[0], candidate) else { return }
        heap[0] = candidate
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            var largest = left
            if left + 1 < heap.count && larger(heap[left + 1], heap[left]) { largest = left + 1 }
            guard larger(heap[largest], heap[parent]) else { break }
            heap.swapAt(largest, parent)
            parent = largest
        }
    }
}
