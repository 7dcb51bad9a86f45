/// Axes that label cells one by one: a category per column (phonemes) along the bottom or a
/// category per row down the left, and plain row numbers down the left.
///
/// Positions are fractional cell indices (cell i covers i - 0.5 ... i + 0.5), with rows
/// counted from the top: row r sits at position count - 1 - r, because a vertical `Axis`
/// runs upward.
enum CategoryAxis {
    /// Space kept between neighbouring category labels, in points.
    static let labelGap = 2.0

    /// One tick per column, labelled `labels[column]`, along the bottom of a plot `length`
    /// points wide: horizontal labels where they fit their cells, else turned upward, and
    /// then, where even that crowds, only every k-th label (the smallest k that fits).
    static func columns(
        _ labels: [String], length: Double, title: String, on canvas: Canvas, style: FigureStyle
    ) -> Axis {
        let cell = length / Double(labels.count)
        let widths = labels.map { canvas.inkSize(of: $0, fontSize: style.tickLabelSize).width }
        let fitsFlat = zip(widths, widths.dropFirst()).allSatisfy { ($0 + $1) / 2 + labelGap <= cell }
        let rotation: Canvas.TextRotation = fitsFlat ? .horizontal : .upward
        let step = fitsFlat ? 1 : thinningStep(labelExtent: labelHeight(on: canvas, style: style), cell: cell)
        let ticks = stride(from: 0, to: labels.count, by: step).map { Tick(position: Double($0), label: labels[$0]) }
        var axis = Axis(edge: .bottom, range: range(count: labels.count), ticks: ticks, title: title)
        axis.labelRotation = rotation
        axis.sharesBaseline = true
        return axis
    }

    /// One tick per row, labelled `labels[row]`, down the left of a plot `length` points tall,
    /// row 0 at the top; every k-th label where they would crowd.
    static func rows(_ labels: [String], length: Double, title: String, on canvas: Canvas, style: FigureStyle) -> Axis {
        let count = labels.count
        let step = thinningStep(labelExtent: labelHeight(on: canvas, style: style), cell: length / Double(count))
        let ticks = stride(from: 0, to: count, by: step).map {
            Tick(position: Double(count - 1 - $0), label: labels[$0])
        }
        return Axis(edge: .left, range: range(count: count), ticks: ticks, title: title)
    }

    /// Rows numbered 0 ..< `count` from the top, with nice integer ticks (`AxisTicks`) down
    /// the left of a plot `length` points tall.
    static func rowIndices(count: Int, length: Double, title: String, on canvas: Canvas, style: FigureStyle) -> Axis {
        let fontSize = style.tickLabelSize
        let ticks = AxisTicks.linear(
            range: range(count: count), length: length, minimumSpacing: style.minimumTickSpacing, labelGap: 4,
            labelExtent: { canvas.inkSize(of: $0, fontSize: fontSize).height }
        )
        .filter { $0.position == $0.position.rounded() && $0.position >= 0 && $0.position < Double(count) }
        .map { Tick(position: Double(count - 1) - $0.position, label: $0.label) }
        return Axis(edge: .left, range: range(count: count), ticks: ticks, title: title)
    }

    /// -0.5 ... count - 0.5: the cells' outer edges.
    static func range(count: Int) -> ClosedRange<Double> {
        -0.5...(Double(count) - 0.5)
    }

    /// The height every label is given along a vertical run of labels: that of "Hg"
    /// (ascender to descender), so spacing does not depend on which labels happen to be tall.
    private static func labelHeight(on canvas: Canvas, style: FigureStyle) -> Double {
        canvas.inkSize(of: "Hg", fontSize: style.tickLabelSize).height
    }

    /// The smallest k such that labels `labelExtent` long, k cells of `cell` points apart,
    /// keep `labelGap` between them.
    private static func thinningStep(labelExtent: Double, cell: Double) -> Int {
        guard cell > 0 else { return Int.max / 2 }
        return max(1, Int(((labelExtent + labelGap) / cell).rounded(.up)))
    }
}
