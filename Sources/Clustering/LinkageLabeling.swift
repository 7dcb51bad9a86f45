/// A merge as an algorithm finds it: two representatives (items or SciPy ids) and the height.
struct RawMerge {
    var first: Int
    var second: Int
    var height: Double
}

/// SciPy's last step for the monotone methods: sort the merges by height with a stable sort
/// (NaN last, as numpy's argsort puts it), then name clusters with a union-find so that merge k
/// creates id n + k, the smaller id first in each row.
enum LinkageLabeling {
    static func sortedAndLabelled(_ raw: [RawMerge], leafCount n: Int) -> LinkageMatrix {
        let order = raw.indices.sorted { a, b in
            let ha = raw[a].height
            let hb = raw[b].height
            if ha.isNaN || hb.isNaN {
                return ha.isNaN == hb.isNaN ? a < b : hb.isNaN
            }
            return ha < hb || (ha == hb && a < b)
        }
        var parent = Array(0..<(2 * n - 1))
        var size = [Int](repeating: 1, count: 2 * n - 1)
        func find(_ x: Int) -> Int {
            var root = x
            while parent[root] != root { root = parent[root] }
            var node = x
            while parent[node] != root {
                let next = parent[node]
                parent[node] = root
                node = next
            }
            return root
        }
        var merges: [LinkageMatrix.Merge] = []
        merges.reserveCapacity(n - 1)
        for (k, index) in order.enumerated() {
            let a = find(raw[index].first)
            let b = find(raw[index].second)
            let label = n + k
            parent[a] = label
            parent[b] = label
            size[label] = size[a] + size[b]
            merges.append(.init(first: min(a, b), second: max(a, b), height: raw[index].height, size: size[label]))
        }
        return LinkageMatrix(checked: merges, leafCount: n)
    }
}
