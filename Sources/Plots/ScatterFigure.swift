import Foundation

/// A 2-D scatter plot of labelled points: e.g. phonemes or phone segments projected by PCA,
/// t-SNE or UMAP, each dot in its phonetic class's colour.
///
/// Concretely: point i is a filled disc at (x[i], y[i]) in `colors[i]` (dark grey without
/// colours), drawn in the given order, so later points lie on top; with `pointLabels`, its label
/// is written just right of and above it (for a few dozen points, e.g. one per phoneme). Both
/// axes cover their data padded by 5 % of the span at each end (+-1 around a single value),
/// with nice ticks; a projection's axes have no unit, so they are only named ("t-SNE 1").
/// The disc radius shrinks with the number of points: 4 pt up to 100 points, 2.5 pt up to
/// 1,000, 1.8 pt above, so dense clouds still show their structure.
///
/// Layout: the title (shrunk to fit the page's width); the plot with the y axis on the left and the x axis below; the legend
/// (one coloured line and label per entry, e.g. per class) to the right.
///
/// ```swift
/// var figure = ScatterFigure(
///     x: xs, y: ys, xLabel: "t-SNE 1", yLabel: "t-SNE 2", title: "conv3 · t-SNE · neighbourhood hit 0.71")
/// figure.colors = classes.map(PhoneticColors.color(ofClass:))
/// figure.legend = [LegendEntry(label: "vowel", color: .black)]
/// try figure.write(to: URL(fileURLWithPath: "tsne.png"))
/// ```
public struct ScatterFigure: Sendable, FigureDrawing {
    /// Horizontal positions, one per point, finite.
    public var x: [Double]
    /// Vertical positions, one per point, finite.
    public var y: [Double]
    /// One colour per point; nil: all dark grey.
    public var colors: [RGBColor]? = nil
    /// One text per point written beside it; nil: none. Empty strings are skipped.
    public var pointLabels: [String]? = nil
    /// Entries shown beside the plot, e.g. the classes with their colours; empty for none.
    public var legend: [LegendEntry] = []
    /// The axes' titles, e.g. "UMAP 1" and "UMAP 2".
    public var xLabel: String
    public var yLabel: String
    /// The line above the figure; empty for none.
    public var title: String
    /// Figure size in points; 800 x 600 leaves a near-square plot beside a legend.
    public var size: (width: Double, height: Double) = (800, 600)
    /// PNG resolution: 2 pixels per point keeps text and IPA crisp.
    public var pixelsPerPoint: Double = 2

    public init(x: [Double], y: [Double], xLabel: String, yLabel: String, title: String) {
        self.x = x
        self.y = y
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.title = title
    }

    /// Writes the figure to `url` as PNG, SVG or PDF, chosen by the extension (any case); see
    /// `FigureDrawing.writeFigure(to:)` for the checks made first.
    public func write(to url: URL) throws { try writeFigure(to: url) }

    static let untitled = "Scatter plot"

    // MARK: Data

    /// Checks every parameter; the error names the first bad one and what would be valid.
    func validate() throws {
        let invalid = FigureValidation.invalid
        guard !x.isEmpty else { throw invalid("x.count", 0, "at least 1 point") }
        guard y.count == x.count else { throw invalid("y.count", y.count, "one value per point, \(x.count)") }
        try FigureValidation.checkFinite(x, name: "x", valid: "a finite coordinate")
        try FigureValidation.checkFinite(y, name: "y", valid: "a finite coordinate")
        if let colors, colors.count != x.count {
            throw invalid("colors.count", colors.count, "one colour per point, \(x.count)")
        }
        if let pointLabels, pointLabels.count != x.count {
            throw invalid("pointLabels.count", pointLabels.count, "one label per point, \(x.count)")
        }
        try FigureValidation.checkSize(size, pixelsPerPoint: pixelsPerPoint)
    }

    /// The axis range of `values`: padded by 5 % of the span, or +-1 around a single value.
    static func range(of values: [Double]) -> ClosedRange<Double> {
        let low = values.min() ?? 0
        let high = values.max() ?? 0
        guard high > low else { return (low - 1)...(high + 1) }
        let padding = 0.05 * (high - low)
        return (low - padding)...(high + padding)
    }

    /// The disc radius in points for `count` points.
    static func radius(count: Int) -> Double { count <= 100 ? 4 : count <= 1000 ? 2.5 : 1.8 }

    var legendLayer: Legend {
        Legend(entries: legend.map { Legend.Entry(label: $0.label, color: $0.color, dash: []) })
    }

    // MARK: Layout

    struct Layout {
        var plot: Rect
        var xAxis: Axis
        var yAxis: Axis
        var legend: Legend.Placement?
        var legendOrigin: Point
    }

    func layout(on canvas: Canvas, style: FigureStyle) -> Layout {
        let padding = style.outerPadding
        let xRange = Self.range(of: x)
        let yRange = Self.range(of: y)
        let top = padding + FigureTitle.height(of: title, on: canvas, style: style)
        let xProbe = ValueAxis.axis(
            edge: .bottom, range: xRange, length: canvas.width, title: xLabel, on: canvas, style: style)
        let bottom = canvas.height - padding - xProbe.thickness(on: canvas, style: style)
        let yAxis = ValueAxis.axis(
            edge: .left, range: yRange, length: bottom - top, title: yLabel, on: canvas, style: style)
        let left = padding + yAxis.thickness(on: canvas, style: style)
        let placement = legendLayer.placement(
            maxWidth: 0.35 * canvas.width, maxHeight: bottom - top, on: canvas, style: style)
        let right = canvas.width - padding - (placement.map { $0.width + style.colorBarGap } ?? 0)
        let plot = Rect(x: left, y: top, width: max(right - left, 1), height: max(bottom - top, 1))
        let xAxis = ValueAxis.axis(
            edge: .bottom, range: xRange, length: plot.width, title: xLabel, on: canvas, style: style)
        return Layout(
            plot: plot, xAxis: xAxis, yAxis: yAxis, legend: placement,
            legendOrigin: Point(x: right + style.colorBarGap, y: top))
    }

    // MARK: Drawing

    func draw(on canvas: Canvas, style: FigureStyle) throws {
        let layout = layout(on: canvas, style: style)
        let plot = layout.plot
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), color: style.background)
        let radius = Self.radius(count: x.count)
        let labelSize = 0.85 * style.tickLabelSize
        canvas.clipped(to: plot) {
            for i in x.indices {
                let center = Point(
                    x: layout.xAxis.coordinate(of: x[i], along: plot), y: layout.yAxis.coordinate(of: y[i], along: plot)
                )
                canvas.fillCircle(center: center, radius: radius, color: colors?[i] ?? style.frameColor)
            }
            guard let pointLabels else { return }
            for i in x.indices where !pointLabels[i].isEmpty {
                let point = Point(
                    x: layout.xAxis.coordinate(of: x[i], along: plot) + radius + 1,
                    y: layout.yAxis.coordinate(of: y[i], along: plot) - radius - 1)
                canvas.draw(
                    text: pointLabels[i], at: point, fontSize: labelSize, color: style.textColor, horizontal: .leading,
                    vertical: .baseline)
            }
        }
        canvas.stroke(plot, color: style.frameColor, lineWidth: style.lineWidth)
        layout.xAxis.draw(on: canvas, along: plot, style: style)
        layout.yAxis.draw(on: canvas, along: plot, style: style)
        if let placement = layout.legend {
            legendLayer.draw(placement, at: layout.legendOrigin, on: canvas, style: style)
        }
        // A long title shrinks (down to 8 pt) and centres on the page rather than being cut off.
        var titleStyle = style
        while canvas.inkSize(of: title, fontSize: titleStyle.titleSize).width > canvas.width - 2 * style.outerPadding,
            titleStyle.titleSize > 8
        {
            titleStyle.titleSize -= 0.5
        }
        let width = canvas.inkSize(of: title, fontSize: titleStyle.titleSize).width
        let center = min(max(plot.midX, style.outerPadding + width / 2), canvas.width - style.outerPadding - width / 2)
        FigureTitle.draw(title, centeredAt: center, on: canvas, style: titleStyle)
    }
}
