/// The Barnes-Hut quadtree of a 2-D embedding (Barnes & Hut 1986; van der Maaten 2014): each
/// cell knows its points' count, centre of mass and width, so that a far cell's repulsion
/// acts as one body at its centre of mass.
///
/// Concretely: the root is the points' bounding box; a cell with more than one distinct point
/// splits into four quadrants at its centre (empty quadrants are dropped), down to cells of a
/// single point or of identical points (or 48 levels, where the remaining points stay together
/// in one leaf and are visited one by one). `squaredWidth` is the square of the cell's larger
/// side, scikit-learn's `squared_max_width`.
struct QuadTree {
    struct Cell {
        /// The cell's points are `order[start ..< end]`.
        var start: Int
        var end: Int
        var centerX: Double
        var centerY: Double
        var squaredWidth: Double
        /// Children are `cells[firstChild ..< firstChild + childCount]`; none for a leaf.
        var firstChild: Int
        var childCount: Int
        var count: Int { end - start }
    }

    var cells: [Cell] = []
    /// Point indices, grouped by cell.
    var order: [Int]
    let x: [Double]
    let y: [Double]

    init(x: [Double], y: [Double]) {
        self.x = x
        self.y = y
        order = Array(x.indices)
        guard !x.isEmpty else { return }
        let minX = x.min() ?? 0
        let maxX = x.max() ?? 0
        let minY = y.min() ?? 0
        let maxY = y.max() ?? 0
        cells.reserveCapacity(2 * x.count)
        cells.append(
            Cell(start: 0, end: x.count, centerX: 0, centerY: 0, squaredWidth: 0, firstChild: 0, childCount: 0))
        split(0, minX: minX, maxX: maxX, minY: minY, maxY: maxY, depth: 0)
    }

    private mutating func split(_ index: Int, minX: Double, maxX: Double, minY: Double, maxY: Double, depth: Int) {
        let start = cells[index].start
        let end = cells[index].end
        var sumX = 0.0
        var sumY = 0.0
        var distinct = false
        let first = order[start]
        for k in start..<end {
            let p = order[k]
            sumX += x[p]
            sumY += y[p]
            if x[p] != x[first] || y[p] != y[first] { distinct = true }
        }
        let count = Double(end - start)
        let width = max(maxX - minX, maxY - minY)
        cells[index].centerX = sumX / count
        cells[index].centerY = sumY / count
        cells[index].squaredWidth = width * width
        guard distinct && depth < 48 else { return }
        let midX = (minX + maxX) / 2
        let midY = (minY + maxY) / 2
        // Partition order[start..<end] in place: x < midX first, then each half by y < midY,
        // giving quadrants 0 (low x, low y), 1 (high x, low y), 2 (low x, high y), 3 (high x, high y).
        let (xs, ys) = (x, y)
        let splitX = partition(start, end, xs, below: midX)
        let splitLowX = partition(start, splitX, ys, below: midY)
        let splitHighX = partition(splitX, end, ys, below: midY)
        let ranges = [
            (start, splitLowX, minX, midX, minY, midY), (splitX, splitHighX, midX, maxX, minY, midY),
            (splitLowX, splitX, minX, midX, midY, maxY), (splitHighX, end, midX, maxX, midY, maxY),
        ]
        let firstChild = cells.count
        var bounds: [(Double, Double, Double, Double)] = []
        for range in ranges where range.0 < range.1 {
            cells.append(
                Cell(
                    start: range.0, end: range.1, centerX: 0, centerY: 0, squaredWidth: 0, firstChild: 0,
                    childCount: 0))
            bounds.append((range.2, range.3, range.4, range.5))
        }
        cells[index].firstChild = firstChild
        cells[index].childCount = bounds.count
        for (offset, b) in bounds.enumerated() {
            split(firstChild + offset, minX: b.0, maxX: b.1, minY: b.2, maxY: b.3, depth: depth + 1)
        }
    }

    /// Moves the points of order[low..<high] whose `coordinate` is below `threshold` to the
    /// front; returns where the others begin.
    private mutating func partition(_ low: Int, _ high: Int, _ coordinate: [Double], below threshold: Double) -> Int {
        var boundary = low
        for k in low..<high where coordinate[order[k]] < threshold {
            order.swapAt(k, boundary)
            boundary += 1
        }
        return boundary
    }

    /// The repulsion on every point i: Z = Σ_i Σ_{j≠i} q_ij and F_i = Σ_{j≠i} q_ij^2 (y_i - y_j)
    /// (2 values per point) with q_ij = 1 / (1 + |y_i - y_j|^2), cells with
    /// squaredWidth / distance^2 < theta^2 (and single-point leaves) taken as one body at their
    /// centre of mass; the point itself is left out. theta = 0 visits every point: the exact sums.
    func repulsion(squaredTheta: Double) -> (z: Double, forces: [Double]) {
        let n = x.count
        var forces = [Double](repeating: 0, count: 2 * n)
        var z = 0.0
        var stack = [Int](repeating: 0, count: 4 * 64 + 4)
        cells.withUnsafeBufferPointer { cells in
            order.withUnsafeBufferPointer { order in
                x.withUnsafeBufferPointer { x in
                    y.withUnsafeBufferPointer { y in
                        stack.withUnsafeMutableBufferPointer { stack in
                            for i in 0..<n {
                                let r = Self.repulsion(
                                    of: i, cells: cells, order: order, x: x, y: y, stack: stack,
                                    squaredTheta: squaredTheta)
                                z += r.z
                                forces[2 * i] = r.forceX
                                forces[2 * i + 1] = r.forceY
                            }
                        }
                    }
                }
            }
        }
        return (z, forces)
    }

    /// One point's sums; `stack` holds at most 3 pending siblings per level plus one.
    private static func repulsion(
        of i: Int, cells: UnsafeBufferPointer<Cell>, order: UnsafeBufferPointer<Int>, x: UnsafeBufferPointer<Double>,
        y: UnsafeBufferPointer<Double>, stack: UnsafeMutableBufferPointer<Int>, squaredTheta: Double
    ) -> (z: Double, forceX: Double, forceY: Double) {
        var z = 0.0
        var fx = 0.0
        var fy = 0.0
        let px = x[i]
        let py = y[i]
        var top = 1
        stack[0] = 0
        while top > 0 {
            top -= 1
            let cell = cells[stack[top]]
            let dx = px - cell.centerX
            let dy = py - cell.centerY
            let d2 = dx * dx + dy * dy
            let isLeaf = cell.childCount == 0
            if isLeaf && (cell.end - cell.start > 1 || order[cell.start] == i) {
                // Identical points (or the depth limit): each on its own, without i itself.
                for k in cell.start..<cell.end where order[k] != i {
                    let j = order[k]
                    let ex = px - x[j]
                    let ey = py - y[j]
                    let q = 1 / (1 + ex * ex + ey * ey)
                    z += q
                    fx += q * q * ex
                    fy += q * q * ey
                }
            } else if isLeaf || cell.squaredWidth < squaredTheta * d2 {
                let size = Double(cell.end - cell.start)
                let q = 1 / (1 + d2)
                z += size * q
                fx += size * q * q * dx
                fy += size * q * q * dy
            } else {
                for c in cell.firstChild..<(cell.firstChild + cell.childCount) {
                    stack[top] = c
                    top += 1
                }
            }
        }
        return (z, fx, fy)
    }
}
