/// Where the leaves and merges of a validated `DendrogramTree` go, in tree coordinates
/// (leaf slot, height), and how its branches are coloured; shared by `DendrogramFigure` and
/// `TanglegramFigure`, which map these coordinates onto the page in their own orientations.
///
/// Concretely, as `scipy.cluster.hierarchy.dendrogram` draws: the leaves take slots 0 ..< n
/// in `order` (by default SciPy's `leaves_list`: depth first from the root, a merge's `first`
/// before its `second`); a merge sits midway between its two children, at its height; each
/// merge is drawn as a U (up from each child to the merge's height, and across). A merge whose
/// leaves all have one colour is drawn in that colour, any other in the branch grey.
struct DendrogramLayout {
    var leafCount: Int
    /// Leaf ids in drawing order: `order[slot]` is the leaf at that slot.
    var order: [Int]
    /// The slot of every cluster id (leaves 0 ..< n, then merge k as n + k); fractional for merges.
    var positions: [Double]
    /// The height of every cluster id; leaves are at 0.
    var heights: [Double]
    /// The colour every leaf under each cluster shares; nil where they differ or none is given.
    var uniformColors: [RGBColor?]
    var merges: [DendrogramMerge]

    /// The layout of `tree` (already validated) with its leaves in `leafOrder`, or SciPy's order.
    init(tree: DendrogramTree, leafOrder: [Int]? = nil) {
        let count = tree.leafCount
        leafCount = count
        merges = tree.merges
        order = leafOrder ?? DendrogramLayout.depthFirstOrder(merges: tree.merges, leafCount: count) { _ in false }
        var positions = [Double](repeating: 0, count: 2 * count - 1)
        for (slot, leaf) in order.enumerated() { positions[leaf] = Double(slot) }
        var heights = [Double](repeating: 0, count: 2 * count - 1)
        var colors: [RGBColor?] = tree.leafColors ?? [RGBColor?](repeating: nil, count: count)
        for (k, merge) in tree.merges.enumerated() {
            positions[count + k] = (positions[merge.first] + positions[merge.second]) / 2
            heights[count + k] = merge.height
            let first = colors[merge.first]
            colors.append(first != nil && first == colors[merge.second] ? first : nil)
        }
        self.positions = positions
        self.heights = heights
        uniformColors = colors
    }

    /// The leaves depth first from the root, visiting each merge's `first` child before its
    /// `second` unless `swaps(k)` says otherwise for merge k: SciPy's `leaves_list` when it
    /// never swaps.
    static func depthFirstOrder(merges: [DendrogramMerge], leafCount: Int, swaps: (Int) -> Bool) -> [Int] {
        var order: [Int] = []
        var stack = [2 * leafCount - 2]
        while let id = stack.popLast() {
            guard id >= leafCount else {
                order.append(id)
                continue
            }
            let k = id - leafCount
            let (first, second) = (merges[k].first, merges[k].second)
            // The child visited first goes on the stack last.
            stack.append(contentsOf: swaps(k) ? [first, second] : [second, first])
        }
        return order
    }

    /// The highest merge; 0 when every merge is at height 0.
    var maximumHeight: Double { merges.map(\.height).max() ?? 0 }

    /// The top of a height axis for this tree: 5 % above the highest merge, so the root's bar
    /// does not lie on the plot's edge (SciPy leaves the same margin); 1 for a flat tree.
    var heightAxisTop: Double { maximumHeight > 0 ? 1.05 * maximumHeight : 1 }

    /// Draws every merge's U through `point(slot, height)`, the page position of a tree
    /// coordinate: from the root down, so that coloured subtrees lie over the grey legs that
    /// lead to them.
    func draw(on canvas: Canvas, style: FigureStyle, point: (_ slot: Double, _ height: Double) -> Point) {
        for (k, merge) in merges.enumerated().reversed() {
            let id = leafCount + k
            let height = heights[id]
            let path = [
                point(positions[merge.first], heights[merge.first]), point(positions[merge.first], height),
                point(positions[merge.second], height), point(positions[merge.second], heights[merge.second]),
            ]
            canvas.polyline(path, color: uniformColors[id] ?? style.branchColor, lineWidth: style.branchWidth)
        }
    }
}

extension DendrogramLayout {
    /// The height axis for this tree on `edge`, with nice ticks for a plot `length` points
    /// long. With `reversed` (only meaningful along the bottom) the height grows to the left,
    /// for trees whose root is on the left: tick positions are the negated heights, so a
    /// height h lies at `axis.coordinate(of: -h, along:)`.
    func heightAxis(
        edge: Axis.Edge, reversed: Bool, length: Double, title: String, on canvas: Canvas, style: FigureStyle
    ) -> Axis {
        var axis = ValueAxis.axis(
            edge: edge, range: 0...heightAxisTop, length: length, title: title, on: canvas, style: style)
        guard reversed else { return axis }
        axis.ticks = axis.ticks.map { Tick(position: -$0.position, label: $0.label) }.reversed()
        axis.range = -axis.range.upperBound...(-axis.range.lowerBound)
        return axis
    }

    /// The coordinate of `height` on an axis made by `heightAxis(reversed:)`.
    static func coordinate(ofHeight height: Double, on axis: Axis, reversed: Bool, along rect: Rect) -> Double {
        axis.coordinate(of: reversed ? -height : height, along: rect)
    }

    /// The centre of `slot` on a run of `leafCount` slots spread over `start ... start + length`
    /// (slot 0 at `start`), each slot `length / leafCount` long.
    static func coordinate(ofSlot slot: Double, leafCount: Int, start: Double, length: Double) -> Double {
        start + (slot + 0.5) * length / Double(leafCount)
    }

    /// How far the widest tick label of a bottom `axis` reaches beyond either end of the plot
    /// (half its width): room to keep at the figure's edge.
    static func tickLabelOverhang(of axis: Axis, on canvas: Canvas, style: FigureStyle) -> Double {
        (axis.ticks.map { canvas.inkSize(of: $0.label, fontSize: style.tickLabelSize).width }.max() ?? 0) / 2
    }
}
