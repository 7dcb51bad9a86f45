import Foundation

/// A spectrogram: a time-by-frequency matrix as an image, with a time axis in seconds, a
/// frequency axis in Hz (or bin index), a colour bar and a title.
///
/// Layout of `values`: time-major, `values[frame * binCount + bin]`, as Phonoscope's feature
/// matrices are stored; bin 0 (low frequencies) is drawn at the bottom. Frame t is centred at
/// t * `secondsPerFrame` seconds and bin b at `binFrequencies[b]` Hz; each cell is drawn as one
/// sharp-edged block covering half a frame/bin either side of its centre. Frequencies may be
/// non-uniform (mel bands): tick labels are placed where their frequency falls between bin
/// centres (`BinFrequencyMapping`). NaN cells are grey; +-infinity take the colour map's ends.
///
/// ```swift
/// var figure = SpectrogramFigure(
///     values: features.values, frameCount: features.frameCount, binCount: features.binCount,
///     secondsPerFrame: 160.0 / 16000, binFrequencies: filterbank.centerFrequencies,
///     colorbarLabel: "power (dB)", title: "hello.wav")
/// figure.colorLimits = -80...0
/// try figure.write(to: URL(fileURLWithPath: "hello.pdf"))
/// ```
public struct SpectrogramFigure: Sendable, FigureDrawing {
    public var values: [Float]
    public var frameCount: Int
    public var binCount: Int
    /// Seconds between frames: hop length / sample rate.
    public var secondsPerFrame: Double
    /// Centre frequency of each bin in Hz, strictly increasing; nil labels the axis with bin indices.
    public var binFrequencies: [Double]?
    /// The colour bar's title, e.g. "power (dB)" or "z-score of dB".
    public var colorbarLabel: String
    /// The line above the plot, e.g. the audio file's name; empty for none.
    public var title: String
    /// Values mapped to the colour map's ends; nil uses min...max of the finite values.
    public var colorLimits: ClosedRange<Float>?
    /// Default magma: perceptually uniform, loud is bright.
    public var colormap: Colormap = .magma
    /// Figure size in points (1/72 inch); 800 x 400 suits a page-wide figure.
    public var size: (width: Double, height: Double) = (800, 400)
    /// PNG resolution: 2 pixels per point (a 1600 x 800 PNG by default) keeps text crisp on
    /// high-density screens and in print. SVG and PDF are resolution-independent.
    public var pixelsPerPoint: Double = 2

    public init(
        values: [Float], frameCount: Int, binCount: Int, secondsPerFrame: Double, binFrequencies: [Double]?,
        colorbarLabel: String, title: String
    ) {
        self.values = values
        self.frameCount = frameCount
        self.binCount = binCount
        self.secondsPerFrame = secondsPerFrame
        self.binFrequencies = binFrequencies
        self.colorbarLabel = colorbarLabel
        self.title = title
    }

    /// Writes the figure to `url` as PNG, SVG or PDF, chosen by the extension (any case); see
    /// `FigureDrawing.writeFigure(to:)` for the checks made first.
    public func write(to url: URL) throws { try writeFigure(to: url) }

    static let untitled = "Spectrogram"

    /// Checks every parameter; the error names the first bad one and what would be valid.
    func validate() throws {
        try matrix.validate(valuesName: "values")
        try FigureValidation.checkColorLimits(colorLimits)
        try FigureValidation.checkSize(size, pixelsPerPoint: pixelsPerPoint)
    }

    /// The matrix with its scales, as the shared spectrogram helpers take it.
    var matrix: SpectrogramMatrix {
        SpectrogramMatrix(
            values: values, frameCount: frameCount, binCount: binCount, secondsPerFrame: secondsPerFrame,
            binFrequencies: binFrequencies)
    }

    /// `colorLimits`, or min...max of the finite values (widened by 0.5 either side when all
    /// are equal; 0...1 when none is finite).
    var resolvedColorLimits: ClosedRange<Float> {
        if let colorLimits { return colorLimits }
        guard let range = matrix.finiteRange else { return 0...1 }
        return range.lowerBound < range.upperBound
            ? range : (range.lowerBound - 0.5)...(range.upperBound + 0.5)
    }

    /// Where everything goes on a canvas; computed from measured text so that nothing is clipped.
    struct Layout {
        var plot: Rect
        var colorBar: Rect
        var timeAxis: Axis
        var frequencyAxis: Axis
        var titleOrigin: Point
    }

    func layout(on canvas: Canvas, style: FigureStyle) -> Layout {
        let padding = style.outerPadding
        let matrix = matrix
        // Vertical: title, plot, time axis. Their heights do not depend on which ticks are chosen.
        let plotTop = padding + FigureTitle.height(of: title, on: canvas, style: style)
        let timeAxisHeight = TimeAxis.axis(range: matrix.timeRange, length: canvas.width, on: canvas, style: style)
            .thickness(on: canvas, style: style)
        let plotHeight = canvas.height - padding - timeAxisHeight - plotTop

        // Horizontal: frequency axis, plot, colour bar; their widths depend on the tick labels,
        // which depend on the plot height found above.
        let frequencyAxis = matrix.frequencyAxis(length: plotHeight, on: canvas, style: style)
        let colorBarWidth = colorBar.width(length: plotHeight, on: canvas, style: style)
        let plotLeft = padding + frequencyAxis.thickness(on: canvas, style: style)
        let plotRight = canvas.width - padding - colorBarWidth - style.colorBarGap
        let plot = Rect(x: plotLeft, y: plotTop, width: plotRight - plotLeft, height: plotHeight)

        let timeAxis = TimeAxis.axis(range: matrix.timeRange, length: plot.width, on: canvas, style: style)
        let colorBarRect = Rect(
            x: plot.maxX + style.colorBarGap, y: plot.minY, width: style.colorBarWidth, height: plot.height)
        return Layout(
            plot: plot, colorBar: colorBarRect, timeAxis: timeAxis, frequencyAxis: frequencyAxis,
            titleOrigin: Point(x: plot.midX, y: padding))
    }

    var colorBar: ColorBar {
        ColorBar(colormap: colormap, limits: resolvedColorLimits, label: colorbarLabel)
    }

    func draw(on canvas: Canvas, style: FigureStyle) throws {
        let layout = layout(on: canvas, style: style)
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), color: style.background)
        let heatmap = matrix.heatmap(colormap: colormap, limits: resolvedColorLimits, style: style)
        try heatmap.draw(on: canvas, in: layout.plot)
        canvas.stroke(layout.plot, color: style.frameColor, lineWidth: style.lineWidth)
        layout.frequencyAxis.draw(on: canvas, along: layout.plot, style: style)
        layout.timeAxis.draw(on: canvas, along: layout.plot, style: style)
        try colorBar.draw(on: canvas, in: layout.colorBar, style: style)
        FigureTitle.draw(title, centeredAt: layout.titleOrigin.x, on: canvas, style: style)
    }
}
