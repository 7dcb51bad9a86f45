/// A dendrogram in SciPy's linkage-matrix layout.
///
/// Layout: n - 1 merges; leaves are 0..<n and merge k creates cluster n + k. Each merge names its
/// two clusters (`first`, `second`), the distance at which they merged and the number of leaves
/// of the new cluster - the four columns of SciPy's `Z`.
public struct LinkageMatrix: Sendable, Equatable {
    /// One row of `Z`: clusters `first` and `second` merge at `height` into a cluster of `size` leaves.
    public struct Merge: Sendable, Equatable {
        /// The first (left) cluster: a leaf below n, or n + k for the cluster of merge k.
        public var first: Int
        /// The second (right) cluster.
        public var second: Int
        /// The distance between the two clusters when they merged.
        public var height: Double
        /// The number of leaves under the merge.
        public var size: Int

        /// A merge of `first` and `second` at `height` into a cluster of `size` leaves.
        public init(first: Int, second: Int, height: Double, size: Int) {
            self.first = first
            self.second = second
            self.height = height
            self.size = size
        }
    }

    /// The n - 1 merges in SciPy's row order.
    public private(set) var merges: [Merge]
    /// The number of leaves n.
    public let leafCount: Int

    /// Wraps merges that are known to be valid.
    init(checked merges: [Merge], leafCount: Int) {
        self.merges = merges
        self.leafCount = leafCount
    }

    /// A linkage matrix from its merges; throws unless they form a binary tree over `leafCount`
    /// leaves (each cluster used once, only clusters that exist, sizes adding up).
    public init(merges: [Merge], leafCount: Int) throws {
        guard leafCount >= 2 else { throw ClusteringError.tooFewItems(count: leafCount) }
        guard merges.count == leafCount - 1 else {
            throw ClusteringError.countMismatch(
                what: "merges of \(leafCount) leaves", expected: leafCount - 1, actual: merges.count)
        }
        var used = [Bool](repeating: false, count: 2 * leafCount - 1)
        var sizes = [Int](repeating: 1, count: 2 * leafCount - 1)
        for (k, merge) in merges.enumerated() {
            for child in [merge.first, merge.second] {
                guard child >= 0, child < leafCount + k else {
                    throw ClusteringError.invalidLinkage(
                        row: k, reason: "cluster \(child) does not exist yet; valid are 0..<\(leafCount + k)")
                }
                guard !used[child] else {
                    throw ClusteringError.invalidLinkage(row: k, reason: "cluster \(child) is merged twice")
                }
                used[child] = true
            }
            sizes[leafCount + k] = sizes[merge.first] + sizes[merge.second]
            guard merge.size == sizes[leafCount + k] else {
                throw ClusteringError.invalidLinkage(
                    row: k, reason: "size \(merge.size) should be \(sizes[leafCount + k])")
            }
        }
        self.init(checked: merges, leafCount: leafCount)
    }

    /// A linkage matrix from SciPy's `Z` as (n - 1) x 4 row-major float64 values.
    public init(scipyArray: [Double], leafCount: Int) throws {
        guard scipyArray.count == 4 * (leafCount - 1) else {
            throw ClusteringError.countMismatch(
                what: "values of a linkage matrix of \(leafCount) leaves", expected: 4 * (leafCount - 1),
                actual: scipyArray.count)
        }
        var merges: [Merge] = []
        for k in 0..<(leafCount - 1) {
            let row = Array(scipyArray[(4 * k)..<(4 * k + 4)])
            for column in [0, 1, 3] {
                let value = row[column]
                guard value.isFinite, value == value.rounded(), abs(value) < 1e15 else {
                    throw ClusteringError.invalidLinkage(
                        row: k, reason: "column \(column) holds \(value), not an integer")
                }
            }
            merges.append(Merge(first: Int(row[0]), second: Int(row[1]), height: row[2], size: Int(row[3])))
        }
        try self.init(merges: merges, leafCount: leafCount)
    }

    /// SciPy's `Z`: (n - 1) x 4 row-major float64 (first, second, height, size).
    public var scipyArray: [Double] {
        merges.flatMap { [Double($0.first), Double($0.second), $0.height, Double($0.size)] }
    }

    /// The heights, one per merge.
    public var heights: [Double] { merges.map(\.height) }

    /// The two children of cluster `node` (>= n).
    @inline(__always)
    func children(_ node: Int) -> (Int, Int) {
        let merge = merges[node - leafCount]
        return (merge.first, merge.second)
    }

    /// A copy in which merge `row` has its two children in the other order.
    func swapping(rows: [Int]) -> LinkageMatrix {
        var copy = self
        for row in rows {
            let first = copy.merges[row].first
            copy.merges[row].first = copy.merges[row].second
            copy.merges[row].second = first
        }
        return copy
    }
}
