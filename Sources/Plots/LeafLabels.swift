/// The labels of a dendrogram's leaves, one per slot, each in its leaf's colour, sized so that
/// neighbours do not overlap: along the bottom (horizontal where they fit, else turned
/// upward) or stacked beside the leaves (always horizontal).
///
/// Concretely: every label is drawn, none thinned out (a leaf without its label is no use);
/// where the slots are too small the labels shrink, down to `style.minimumLeafLabelSize`, and
/// at that size they are drawn even if they touch (the figure is then too small for its leaves).
struct LeafLabels {
    /// The labels and colours in slot order.
    var labels: [String]
    var colors: [RGBColor?]
    var fontSize: Double
    var rotation: Canvas.TextRotation

    /// Space kept between neighbouring labels, in points.
    static let gap = 2.0

    /// The labels of `layout`'s leaves in slot order.
    init(tree: DendrogramTree, layout: DendrogramLayout, fontSize: Double, rotation: Canvas.TextRotation) {
        labels = layout.order.map { tree.leafLabels[$0] }
        colors = layout.order.map { tree.leafColors?[$0] }
        self.fontSize = fontSize
        self.rotation = rotation
    }

    /// The height every label is given across a run of labels: that of "Hg" (ascender to
    /// descender), so spacing does not depend on which labels happen to be tall.
    static func lineHeight(on canvas: Canvas, fontSize: Double) -> Double {
        canvas.inkSize(of: "Hg", fontSize: fontSize).height
    }

    /// The largest size up to `style.tickLabelSize` (at least the minimum) at which lines of
    /// text `slot` points apart keep `gap` between them. Unhinted text scales linearly.
    static func stackedSize(slot: Double, on canvas: Canvas, style: FigureStyle) -> Double {
        let full = style.tickLabelSize
        let needed = lineHeight(on: canvas, fontSize: full) + gap
        return max(min(full, full * slot / needed), style.minimumLeafLabelSize)
    }

    /// Horizontal labels along the bottom shrink down to this share of the full size before
    /// they are turned upward: short IPA labels read better level and a little smaller.
    static let minimumFlatScale = 0.8

    /// Labels along the bottom of a run `length` points long: horizontal where neighbours fit
    /// their slots at full size or down to `minimumFlatScale` of it, else turned upward and as
    /// large as the slots allow.
    static func alongBottom(
        tree: DendrogramTree, layout: DendrogramLayout, length: Double, on canvas: Canvas, style: FigureStyle
    ) -> LeafLabels {
        var labels = LeafLabels(tree: tree, layout: layout, fontSize: style.tickLabelSize, rotation: .horizontal)
        let slot = length / Double(layout.leafCount)
        let widths = labels.labels.map { canvas.inkSize(of: $0, fontSize: style.tickLabelSize).width }
        let widest = zip(widths, widths.dropFirst()).map { ($0 + $1) / 2 }.max() ?? 0
        // Unhinted text scales linearly: the size at which neighbours keep `gap` between them.
        let flatScale = widest > 0 ? (slot - gap) / widest : 1
        if flatScale >= 1 { return labels }
        if flatScale >= minimumFlatScale {
            labels.fontSize = style.tickLabelSize * flatScale
            return labels
        }
        labels.rotation = .upward
        labels.fontSize = stackedSize(slot: slot, on: canvas, style: style)
        return labels
    }

    /// Labels stacked beside a run `length` points long (horizontal text, one line per slot).
    static func stacked(
        tree: DendrogramTree, layout: DendrogramLayout, length: Double, on canvas: Canvas, style: FigureStyle
    ) -> LeafLabels {
        let size = stackedSize(slot: length / Double(layout.leafCount), on: canvas, style: style)
        return LeafLabels(tree: tree, layout: layout, fontSize: size, rotation: .horizontal)
    }

    /// How far the labels reach away from the leaves: the tallest along the bottom (the
    /// longest when turned upward), the widest when stacked.
    func depth(stacked: Bool, on canvas: Canvas) -> Double {
        if stacked || rotation == .upward {
            return labels.map { canvas.inkSize(of: $0, fontSize: fontSize, rotation: .horizontal).width }.max() ?? 0
        }
        let (ascent, descent) = baseline(on: canvas)
        return ascent + descent
    }

    /// How far the ink reaches above and below one baseline shared by every label (and "Hg").
    private func baseline(on canvas: Canvas) -> (ascent: Double, descent: Double) {
        let extents = (labels + ["Hg"]).map { canvas.extents(of: $0, fontSize: fontSize) }
        return (-(extents.map(\.top).min() ?? 0), max(extents.map(\.bottom).max() ?? 0, 0))
    }

    /// Draws the labels below the leaves: slot s centred at `x(s)`, the labels' tops (their
    /// ends, when turned upward) at `top`.
    func drawAlongBottom(top: Double, x: (Double) -> Double, on canvas: Canvas, style: FigureStyle) {
        let ascent = baseline(on: canvas).ascent
        for (slot, label) in labels.enumerated() {
            let color = colors[slot] ?? style.textColor
            if rotation == .upward {
                canvas.draw(
                    text: label, at: Point(x: x(Double(slot)), y: top), fontSize: fontSize, color: color,
                    horizontal: .center, vertical: .top, rotation: .upward)
            } else {
                canvas.draw(
                    text: label, at: Point(x: x(Double(slot)), y: top + ascent), fontSize: fontSize, color: color,
                    horizontal: .center, vertical: .baseline)
            }
        }
    }

    /// Draws the labels stacked beside the leaves: slot s centred on `y(s)` (by the middle of
    /// "Hg", so IPA with and without diacritics lines up), starting at `x` (`.leading`) or
    /// ending there (`.trailing`).
    func drawStacked(
        x: Double, anchor: Canvas.HorizontalAnchor, y: (Double) -> Double, on canvas: Canvas, style: FigureStyle
    ) {
        let reference = canvas.extents(of: "Hg", fontSize: fontSize)
        let middle = (reference.top + reference.bottom) / 2
        for (slot, label) in labels.enumerated() {
            canvas.draw(
                text: label, at: Point(x: x, y: y(Double(slot)) - middle), fontSize: fontSize,
                color: colors[slot] ?? style.textColor, horizontal: anchor, vertical: .baseline)
        }
    }
}
