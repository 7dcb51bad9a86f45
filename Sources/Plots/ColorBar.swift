/// A vertical colour bar: the colour map from `limits.lowerBound` (bottom) to
/// `limits.upperBound` (top), with ticks and a title on its right.
struct ColorBar {
    var colormap: Colormap
    var limits: ClosedRange<Float>
    var label: String
    /// Ticks to show instead of nice values in `limits`, e.g. "−max", "0", "max" for a bar
    /// that stands for many scales at once (`SOMGridFigure.perPatchNormalization`).
    var fixedTicks: [Tick]? = nil

    /// Steps in the drawn gradient; more than the 256-entry tables hold, so nothing is lost.
    static let gradientSteps = 512

    /// The axis along the bar's right edge, with ticks chosen for a bar `length` points tall.
    func axis(length: Double, on canvas: Canvas, style: FigureStyle) -> Axis {
        let range = Double(limits.lowerBound)...Double(limits.upperBound)
        if let fixedTicks { return Axis(edge: .right, range: range, ticks: fixedTicks, title: label) }
        return ValueAxis.axis(edge: .right, range: range, length: length, title: label, on: canvas, style: style)
    }

    /// The width the bar and its axis take to the right of the gap after the plot area.
    func width(length: Double, on canvas: Canvas, style: FigureStyle) -> Double {
        style.colorBarWidth + axis(length: length, on: canvas, style: style).thickness(on: canvas, style: style)
    }

    /// Draws the bar filling `rect` and its axis to the right.
    func draw(on canvas: Canvas, in rect: Rect, style: FigureStyle) throws {
        let steps = ColorBar.gradientSteps
        let low = limits.lowerBound
        let span = limits.upperBound - limits.lowerBound
        // Top row first: the highest value at the top.
        let values = (0..<steps).map { low + span * Float(steps - 1 - $0) / Float(steps - 1) }
        let gradient = HeatmapLayer(
            values: values, rowCount: steps, columnCount: 1, orientation: .rowsDownward,
            colormap: colormap, limits: limits, missingValueColor: style.missingValueColor)
        try gradient.draw(on: canvas, in: rect)
        canvas.stroke(rect, color: style.frameColor, lineWidth: style.lineWidth)
        axis(length: rect.height, on: canvas, style: style).draw(on: canvas, along: rect, style: style)
    }
}
