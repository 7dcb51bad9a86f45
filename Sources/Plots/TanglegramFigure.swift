import Foundation

/// Two dendrograms facing each other with lines joining the leaves that share a label: e.g.
/// the phonemes of an English and a German model clustered the same way, to see which
/// groupings the two agree on.
///
/// Concretely: each tree is laid out as `DendrogramFigure` lays it out (`DendrogramLayout`:
/// U-shaped merges, subtrees of one leaf colour in that colour), the left one with its root at
/// the left and its leaves on its right, the right one mirrored; each has its own height axis
/// underneath (growing away from the leaves). A straight line joins every left leaf to the
/// right leaf with the same label, in the left leaf's colour (dark grey without colours);
/// labels found in only one tree get none. With `untangles` (and no `rightLeafOrder`) the
/// right tree's merges are turned, children swapped but the tree unchanged, so that its leaves
/// follow the left tree's order where they can: at every merge the child whose matched leaves
/// sit higher on the left on average comes first, which removes most crossings that are not
/// real disagreements.
///
/// Layout: the title; each tree's title over it; from left to right the left tree, its labels,
/// the lines, the right tree's labels (right-aligned) and the right tree; the legend, if any,
/// at the right.
///
/// ```swift
/// let figure = TanglegramFigure(
///     left: DendrogramTree(merges: english, leafLabels: englishPhonemes, leafColors: englishColors),
///     right: DendrogramTree(merges: german, leafLabels: germanPhonemes, leafColors: germanColors),
///     leftTitle: "English", rightTitle: "German", heightLabel: "cosine distance", title: "conv3")
/// try figure.write(to: URL(fileURLWithPath: "tanglegram.png"))
/// ```
public struct TanglegramFigure: Sendable, FigureDrawing {
    /// Drawn with its root at the left, leaves on its right.
    public var left: DendrogramTree
    /// Drawn mirrored: root at the right, leaves on its left.
    public var right: DendrogramTree
    /// The lines over the trees, e.g. "English" and "German"; empty for none.
    public var leftTitle: String
    public var rightTitle: String
    /// The title of both height axes, e.g. "cosine distance".
    public var heightLabel: String
    /// The line above the figure; empty for none.
    public var title: String
    /// Entries shown at the right, e.g. the classes with their colours; empty for none.
    public var legend: [LegendEntry] = []
    /// The left tree's leaves from top to bottom, each once; nil: SciPy's `leaves_list`.
    public var leftLeafOrder: [Int]? = nil
    /// The right tree's leaves from top to bottom, each once; nil: see `untangles`.
    public var rightLeafOrder: [Int]? = nil
    /// With no `rightLeafOrder`: turn the right tree's merges to follow the left tree's order
    /// (true), or keep SciPy's order (false).
    public var untangles: Bool = true
    /// Figure size in points; 900 x 700 holds 40 leaves a side at full label size.
    public var size: (width: Double, height: Double) = (900, 700)
    /// PNG resolution: 2 pixels per point keeps text and IPA crisp.
    public var pixelsPerPoint: Double = 2

    public init(
        left: DendrogramTree, right: DendrogramTree, leftTitle: String, rightTitle: String, heightLabel: String,
        title: String
    ) {
        self.left = left
        self.right = right
        self.leftTitle = leftTitle
        self.rightTitle = rightTitle
        self.heightLabel = heightLabel
        self.title = title
    }

    /// Writes the figure to `url` as PNG, SVG or PDF, chosen by the extension (any case); see
    /// `FigureDrawing.writeFigure(to:)` for the checks made first.
    public func write(to url: URL) throws { try writeFigure(to: url) }

    static let untitled = "Tanglegram"

    // MARK: Data

    /// Checks every parameter; the error names the first bad one and what would be valid.
    func validate() throws {
        for (tree, name) in [(left, "left"), (right, "right")] {
            try tree.validate(prefix: "\(name).")
            var seen = Set<String>()
            if let duplicate = tree.leafLabels.indices.first(where: { !seen.insert(tree.leafLabels[$0]).inserted }) {
                throw FigureValidation.invalid(
                    "\(name).leafLabels[\(duplicate)]", tree.leafLabels[duplicate],
                    "a label no other leaf of the tree has (lines join leaves by label)")
            }
        }
        try DendrogramTree.validate(leafOrder: leftLeafOrder, leafCount: left.leafCount, name: "leftLeafOrder")
        try DendrogramTree.validate(leafOrder: rightLeafOrder, leafCount: right.leafCount, name: "rightLeafOrder")
        try FigureValidation.checkSize(size, pixelsPerPoint: pixelsPerPoint)
    }

    /// The right tree's leaf order: given, turned to follow `leftLayout`, or SciPy's.
    func rightOrder(following leftLayout: DendrogramLayout) -> [Int] {
        if let rightLeafOrder { return rightLeafOrder }
        let count = right.leafCount
        guard untangles else {
            return DendrogramLayout.depthFirstOrder(merges: right.merges, leafCount: count) { _ in false }
        }
        var leftSlot: [String: Double] = [:]
        for (slot, leaf) in leftLayout.order.enumerated() { leftSlot[left.leafLabels[leaf]] = Double(slot) }
        // Per cluster: the sum and number of its leaves' slots on the left.
        var sums = right.leafLabels.map { leftSlot[$0] ?? 0 }
        var counts = right.leafLabels.map { leftSlot[$0] == nil ? 0 : 1 }
        for merge in right.merges {
            sums.append(sums[merge.first] + sums[merge.second])
            counts.append(counts[merge.first] + counts[merge.second])
        }
        return DendrogramLayout.depthFirstOrder(merges: right.merges, leafCount: count) { k in
            let (a, b) = (right.merges[k].first, right.merges[k].second)
            guard counts[a] > 0 && counts[b] > 0 else { return false }
            return sums[a] / Double(counts[a]) > sums[b] / Double(counts[b])
        }
    }

    var legendLayer: Legend {
        Legend(entries: legend.map { Legend.Entry(label: $0.label, color: $0.color, dash: []) })
    }

    // MARK: Layout

    /// Where everything goes on a canvas; computed from measured text so that nothing is clipped.
    struct Layout {
        var leftTree: DendrogramLayout
        var rightTree: DendrogramLayout
        /// The areas the branches fill: the left tree's leaves on its plot's right edge, the
        /// right tree's on its plot's left edge.
        var leftPlot: Rect
        var rightPlot: Rect
        /// Under each plot; the left one reversed (positions are negated heights).
        var leftAxis: Axis
        var rightAxis: Axis
        var leftLabels: LeafLabels
        var rightLabels: LeafLabels
        var treeTitles: PanelTitles
        /// Where the joining lines start and end.
        var lineStart: Double
        var lineEnd: Double
        var legend: Legend.Placement?
        var legendOrigin: Point
        var titleCenterX: Double

        func leftPoint(slot: Double, height: Double) -> Point {
            Point(
                x: DendrogramLayout.coordinate(ofHeight: height, on: leftAxis, reversed: true, along: leftPlot),
                y: DendrogramLayout.coordinate(
                    ofSlot: slot, leafCount: leftTree.leafCount, start: leftPlot.minY, length: leftPlot.height))
        }

        func rightPoint(slot: Double, height: Double) -> Point {
            Point(
                x: DendrogramLayout.coordinate(ofHeight: height, on: rightAxis, reversed: false, along: rightPlot),
                y: DendrogramLayout.coordinate(
                    ofSlot: slot, leafCount: rightTree.leafCount, start: rightPlot.minY, length: rightPlot.height))
        }
    }

    /// Space between a label column and the joining lines.
    static let lineGap = 4.0

    func layout(on canvas: Canvas, style: FigureStyle) -> Layout {
        let padding = style.outerPadding
        let leftTree = DendrogramLayout(tree: left, leafOrder: leftLeafOrder)
        let rightTree = DendrogramLayout(tree: right, leafOrder: rightOrder(following: leftTree))

        // Vertical: title, tree titles, plots, height axes.
        let treeTitles = PanelTitles([leftTitle, rightTitle], on: canvas, style: style)
        let top =
            padding + FigureTitle.height(of: title, on: canvas, style: style) + treeTitles.height(style: style)
        let probes = [(leftTree, true), (rightTree, false)].map { tree, reversed in
            tree.heightAxis(
                edge: .bottom, reversed: reversed, length: canvas.width / 3, title: heightLabel, on: canvas,
                style: style)
        }
        let axisThickness = probes.map { $0.thickness(on: canvas, style: style) }.max() ?? 0
        let height = max(canvas.height - padding - axisThickness - top, 1)

        // Horizontal: both label columns at one size, the lines, the trees share the rest.
        var leftLabels = LeafLabels.stacked(tree: left, layout: leftTree, length: height, on: canvas, style: style)
        var rightLabels = LeafLabels.stacked(
            tree: right, layout: rightTree, length: height, on: canvas, style: style)
        let fontSize = min(leftLabels.fontSize, rightLabels.fontSize)
        leftLabels.fontSize = fontSize
        rightLabels.fontSize = fontSize
        let legendPlacement = legendLayer.placement(
            maxWidth: 0.25 * canvas.width, maxHeight: height, on: canvas, style: style)
        let legendWidth = legendPlacement.map { $0.width + style.colorBarGap } ?? 0
        let innerLeft = padding + DendrogramLayout.tickLabelOverhang(of: probes[0], on: canvas, style: style)
        let innerRight =
            canvas.width - padding - legendWidth
            - DendrogramLayout.tickLabelOverhang(of: probes[1], on: canvas, style: style)
        let inner = innerRight - innerLeft
        let lineLength = max(0.12 * inner, 40)
        let leftDepth = leftLabels.depth(stacked: true, on: canvas)
        let rightDepth = rightLabels.depth(stacked: true, on: canvas)
        let middle =
            2 * style.leafLabelGap + leftDepth + rightDepth + 2 * TanglegramFigure.lineGap + lineLength
        let treeWidth = max((inner - middle) / 2, 1)
        let leftPlot = Rect(x: innerLeft, y: top, width: treeWidth, height: height)
        let lineStart = leftPlot.maxX + style.leafLabelGap + leftDepth + TanglegramFigure.lineGap
        let lineEnd = lineStart + lineLength
        let rightPlot = Rect(
            x: lineEnd + TanglegramFigure.lineGap + rightDepth + style.leafLabelGap, y: top, width: treeWidth,
            height: height)
        return Layout(
            leftTree: leftTree, rightTree: rightTree, leftPlot: leftPlot, rightPlot: rightPlot,
            leftAxis: leftTree.heightAxis(
                edge: .bottom, reversed: true, length: treeWidth, title: heightLabel, on: canvas, style: style),
            rightAxis: rightTree.heightAxis(
                edge: .bottom, reversed: false, length: treeWidth, title: heightLabel, on: canvas, style: style),
            leftLabels: leftLabels, rightLabels: rightLabels, treeTitles: treeTitles, lineStart: lineStart,
            lineEnd: lineEnd, legend: legendPlacement,
            legendOrigin: Point(x: innerRight + style.colorBarGap, y: top),
            titleCenterX: (leftPlot.minX + rightPlot.maxX) / 2)
    }

    /// The joining lines as (left slot, right slot, colour), in the left tree's slot order.
    func lines(in layout: Layout, style: FigureStyle) -> [(leftSlot: Int, rightSlot: Int, color: RGBColor)] {
        var rightSlot: [String: Int] = [:]
        for (slot, leaf) in layout.rightTree.order.enumerated() { rightSlot[right.leafLabels[leaf]] = slot }
        return layout.leftTree.order.enumerated().compactMap { slot, leaf in
            guard let other = rightSlot[left.leafLabels[leaf]] else { return nil }
            return (slot, other, left.leafColors?[leaf] ?? style.branchColor)
        }
    }

    // MARK: Drawing

    func draw(on canvas: Canvas, style: FigureStyle) throws {
        let layout = layout(on: canvas, style: style)
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), color: style.background)
        layout.leftTree.draw(on: canvas, style: style) { layout.leftPoint(slot: $0, height: $1) }
        layout.rightTree.draw(on: canvas, style: style) { layout.rightPoint(slot: $0, height: $1) }
        for line in lines(in: layout, style: style) {
            canvas.line(
                from: Point(x: layout.lineStart, y: layout.leftPoint(slot: Double(line.leftSlot), height: 0).y),
                to: Point(x: layout.lineEnd, y: layout.rightPoint(slot: Double(line.rightSlot), height: 0).y),
                color: line.color, lineWidth: style.lineWidth)
        }
        layout.leftLabels.drawStacked(
            x: layout.leftPlot.maxX + style.leafLabelGap, anchor: .leading,
            y: { layout.leftPoint(slot: $0, height: 0).y }, on: canvas, style: style)
        layout.rightLabels.drawStacked(
            x: layout.rightPlot.minX - style.leafLabelGap, anchor: .trailing,
            y: { layout.rightPoint(slot: $0, height: 0).y }, on: canvas, style: style)
        for (plot, axis) in [(layout.leftPlot, layout.leftAxis), (layout.rightPlot, layout.rightAxis)] {
            canvas.line(
                from: Point(x: plot.minX, y: plot.maxY), to: Point(x: plot.maxX, y: plot.maxY),
                color: style.frameColor, lineWidth: style.lineWidth)
            axis.draw(on: canvas, along: plot, style: style)
        }
        layout.treeTitles.draw(leftTitle, above: layout.leftPlot, on: canvas, style: style)
        layout.treeTitles.draw(rightTitle, above: layout.rightPlot, on: canvas, style: style)
        if let placement = layout.legend {
            legendLayer.draw(placement, at: layout.legendOrigin, on: canvas, style: style)
        }
        FigureTitle.draw(title, centeredAt: layout.titleCenterX, on: canvas, style: style)
    }
}
