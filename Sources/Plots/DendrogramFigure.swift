import Foundation

/// A dendrogram of a hierarchical clustering given as a SciPy linkage matrix: e.g. phonemes
/// clustered by the cosine distance between their mean activations, coloured by class.
///
/// Concretely, as `scipy.cluster.hierarchy.dendrogram` draws it (`DendrogramLayout`): leaves
/// in SciPy's order (`leaves_list`) unless `leafOrder` is given, each merge a U at its height,
/// in dark grey, or in the leaves' colour where every leaf under it has the same one (SciPy
/// colours clusters below a threshold; here the caller's leaf colours decide). The height axis
/// runs from 0 to 5 % above the highest merge, with nice ticks. Leaf labels are drawn in their
/// leaves' colours, shrinking where the leaves crowd (`LeafLabels`).
///
/// Layout: the title; with `.top`, the root at the top, the height axis on the left and the
/// labels under the leaves (turned upward when they do not fit side by side); with `.left`,
/// the root at the left, the height axis (growing to the left) at the bottom and the labels
/// horizontal down the right; the legend, if any, at the right.
///
/// ```swift
/// var figure = DendrogramFigure(
///     merges: linkage, leafLabels: phonemes, heightLabel: "cosine distance", title: "conv3: phonemes")
/// figure.leafColors = phonemes.map { classColor[$0] }
/// figure.legend = classes.map { LegendEntry(label: $0.name, color: $0.color) }
/// try figure.write(to: URL(fileURLWithPath: "dendrogram.pdf"))
/// ```
public struct DendrogramFigure: Sendable, FigureDrawing {
    /// Where the root is; the leaves are on the opposite side.
    public enum Orientation: String, Sendable, CaseIterable {
        /// Root at the top, leaves along the bottom (labels turned upward when crowded).
        case top
        /// Root at the left, leaves down the right, labels horizontal.
        case left
    }

    /// n - 1 merges in SciPy's layout (see `DendrogramMerge`).
    public var merges: [DendrogramMerge]
    /// One label per leaf, e.g. a phoneme in IPA ("ʃ", "aɪ").
    public var leafLabels: [String]
    /// One colour per leaf, e.g. by phonetic class; nil: every branch dark grey, labels dark.
    public var leafColors: [RGBColor]? = nil
    /// Entries shown beside the plot, e.g. the classes with their colours; empty for none.
    public var legend: [LegendEntry] = []
    public var orientation: Orientation = .top
    /// The height axis's title, e.g. "cosine distance".
    public var heightLabel: String
    /// The line above the figure; empty for none.
    public var title: String
    /// The leaves from the first slot (left, or top) to the last, each once; nil: SciPy's
    /// `leaves_list` (depth first from the root, each merge's first cluster first).
    public var leafOrder: [Int]? = nil
    /// Figure size in points; 900 x 500 holds 45 phonemes either way.
    public var size: (width: Double, height: Double) = (900, 500)
    /// PNG resolution: 2 pixels per point keeps text and IPA crisp.
    public var pixelsPerPoint: Double = 2

    public init(merges: [DendrogramMerge], leafLabels: [String], heightLabel: String, title: String) {
        self.merges = merges
        self.leafLabels = leafLabels
        self.heightLabel = heightLabel
        self.title = title
    }

    /// The figure of `tree`: its merges, labels and colours.
    public init(tree: DendrogramTree, heightLabel: String, title: String) {
        self.init(merges: tree.merges, leafLabels: tree.leafLabels, heightLabel: heightLabel, title: title)
        leafColors = tree.leafColors
    }

    /// Writes the figure to `url` as PNG, SVG or PDF, chosen by the extension (any case); see
    /// `FigureDrawing.writeFigure(to:)` for the checks made first.
    public func write(to url: URL) throws { try writeFigure(to: url) }

    static let untitled = "Dendrogram"

    // MARK: Data

    var tree: DendrogramTree { DendrogramTree(merges: merges, leafLabels: leafLabels, leafColors: leafColors) }

    /// Checks every parameter; the error names the first bad one and what would be valid.
    func validate() throws {
        try tree.validate()
        try DendrogramTree.validate(leafOrder: leafOrder, leafCount: leafLabels.count, name: "leafOrder")
        try FigureValidation.checkSize(size, pixelsPerPoint: pixelsPerPoint)
    }

    var legendLayer: Legend {
        Legend(entries: legend.map { Legend.Entry(label: $0.label, color: $0.color, dash: []) })
    }

    // MARK: Layout

    /// Where everything goes on a canvas; computed from measured text so that nothing is clipped.
    struct Layout {
        var tree: DendrogramLayout
        /// The area the branches fill: leaves on its bottom (`.top`) or right (`.left`) edge,
        /// the root's height 5 % short of the opposite edge.
        var plot: Rect
        /// On the left (`.top`) or bottom (`.left`, reversed: positions are negated heights).
        var heightAxis: Axis
        var labels: LeafLabels
        var legend: Legend.Placement?
        var legendOrigin: Point
        var titleCenterX: Double

        /// The page position of tree coordinate (slot, height).
        func point(slot: Double, height: Double, orientation: Orientation) -> Point {
            let count = tree.leafCount
            switch orientation {
            case .top:
                return Point(
                    x: DendrogramLayout.coordinate(
                        ofSlot: slot, leafCount: count, start: plot.minX, length: plot.width),
                    y: heightAxis.coordinate(of: height, along: plot))
            case .left:
                return Point(
                    x: DendrogramLayout.coordinate(ofHeight: height, on: heightAxis, reversed: true, along: plot),
                    y: DendrogramLayout.coordinate(
                        ofSlot: slot, leafCount: count, start: plot.minY, length: plot.height))
            }
        }
    }

    func layout(on canvas: Canvas, style: FigureStyle) -> Layout {
        let padding = style.outerPadding
        let tree = tree
        let treeLayout = DendrogramLayout(tree: tree, leafOrder: leafOrder)
        let top = padding + FigureTitle.height(of: title, on: canvas, style: style)
        let available = canvas.height - padding - top
        let legendPlacement = legendLayer.placement(
            maxWidth: 0.3 * canvas.width, maxHeight: available, on: canvas, style: style)
        let legendWidth = legendPlacement.map { $0.width + style.colorBarGap } ?? 0
        let right = canvas.width - padding - legendWidth
        var plot: Rect
        var heightAxis: Axis
        var labels: LeafLabels
        switch orientation {
        case .top:
            // The label block's depth depends on the plot's width, which depends on the height
            // axis, whose tick labels depend on the plot's height: twice round settles it.
            var height = available
            heightAxis = treeLayout.heightAxis(
                edge: .left, reversed: false, length: height, title: heightLabel, on: canvas, style: style)
            plot = Rect(x: 0, y: top, width: 1, height: 1)
            labels = LeafLabels.alongBottom(tree: tree, layout: treeLayout, length: 1, on: canvas, style: style)
            for _ in 0..<2 {
                let left = padding + heightAxis.thickness(on: canvas, style: style)
                let width = max(right - left, 1)
                labels = LeafLabels.alongBottom(
                    tree: tree, layout: treeLayout, length: width, on: canvas, style: style)
                height = max(available - style.leafLabelGap - labels.depth(stacked: false, on: canvas), 1)
                plot = Rect(x: left, y: top, width: width, height: height)
                heightAxis = treeLayout.heightAxis(
                    edge: .left, reversed: false, length: height, title: heightLabel, on: canvas, style: style)
            }
        case .left:
            let probe = treeLayout.heightAxis(
                edge: .bottom, reversed: true, length: canvas.width, title: heightLabel, on: canvas, style: style)
            let height = max(available - probe.thickness(on: canvas, style: style), 1)
            labels = LeafLabels.stacked(tree: tree, layout: treeLayout, length: height, on: canvas, style: style)
            let labelsRight = right - style.leafLabelGap - labels.depth(stacked: true, on: canvas)
            let overhang = DendrogramLayout.tickLabelOverhang(of: probe, on: canvas, style: style)
            let left = padding + overhang
            plot = Rect(x: left, y: top, width: max(labelsRight - left, 1), height: height)
            heightAxis = treeLayout.heightAxis(
                edge: .bottom, reversed: true, length: plot.width, title: heightLabel, on: canvas, style: style)
        }
        return Layout(
            tree: treeLayout, plot: plot, heightAxis: heightAxis, labels: labels, legend: legendPlacement,
            legendOrigin: Point(x: right + style.colorBarGap, y: top), titleCenterX: plot.midX)
    }

    // MARK: Drawing

    func draw(on canvas: Canvas, style: FigureStyle) throws {
        let layout = layout(on: canvas, style: style)
        let plot = layout.plot
        let orientation = orientation
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), color: style.background)
        layout.tree.draw(on: canvas, style: style) { slot, height in
            layout.point(slot: slot, height: height, orientation: orientation)
        }
        switch orientation {
        case .top:
            canvas.line(
                from: Point(x: plot.minX, y: plot.minY), to: Point(x: plot.minX, y: plot.maxY),
                color: style.frameColor, lineWidth: style.lineWidth)
            layout.labels.drawAlongBottom(
                top: plot.maxY + style.leafLabelGap,
                x: { layout.point(slot: $0, height: 0, orientation: orientation).x }, on: canvas, style: style)
        case .left:
            canvas.line(
                from: Point(x: plot.minX, y: plot.maxY), to: Point(x: plot.maxX, y: plot.maxY),
                color: style.frameColor, lineWidth: style.lineWidth)
            layout.labels.drawStacked(
                x: plot.maxX + style.leafLabelGap, anchor: .leading,
                y: { layout.point(slot: $0, height: 0, orientation: orientation).y }, on: canvas, style: style)
        }
        layout.heightAxis.draw(on: canvas, along: plot, style: style)
        if let placement = layout.legend {
            legendLayer.draw(placement, at: layout.legendOrigin, on: canvas, style: style)
        }
        FigureTitle.draw(title, centeredAt: layout.titleCenterX, on: canvas, style: style)
    }
}
