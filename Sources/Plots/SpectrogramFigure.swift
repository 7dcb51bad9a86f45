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
public struct SpectrogramFigure: Sendable {
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

    /// Writes the figure to `url` as PNG, SVG or PDF, chosen by the extension (any case).
    ///
    /// Throws `PlotError.unsupportedFormat` for other extensions and `PlotError.invalidParameter`
    /// for inconsistent data, both before touching the disk; PhonoscopeIO's `FileError` if the
    /// directory is missing. The file appears complete or not at all.
    public func write(to url: URL) throws {
        _ = try OutputFormat(url: url)
        try validate()
        try FigureFile.write(
            to: url, width: size.width, height: size.height, pixelsPerPoint: pixelsPerPoint,
            documentTitle: title.isEmpty ? "Spectrogram" : title
        ) { canvas in
            try draw(on: canvas, style: .standard)
        }
    }

    /// Checks every parameter; the error names the first bad one and what would be valid.
    func validate() throws {
        func invalid(_ name: String, _ value: Any, _ valid: String) -> PlotError {
            .invalidParameter(name: name, value: "\(value)", valid: valid)
        }
        guard frameCount >= 1 else { throw invalid("frameCount", frameCount, "at least 1 frame") }
        guard binCount >= 1 else { throw invalid("binCount", binCount, "at least 1 bin") }
        guard values.count == frameCount * binCount else {
            throw invalid(
                "values.count", values.count,
                "frameCount x binCount = \(frameCount) x \(binCount) = \(frameCount * binCount) values")
        }
        guard secondsPerFrame > 0, secondsPerFrame.isFinite else {
            throw invalid("secondsPerFrame", secondsPerFrame, "a positive number of seconds (hop length / sample rate)")
        }
        if let frequencies = binFrequencies {
            guard frequencies.count == binCount else {
                throw invalid("binFrequencies.count", frequencies.count, "one frequency per bin, \(binCount)")
            }
            if let bad = frequencies.firstIndex(where: { !$0.isFinite }) {
                throw invalid("binFrequencies[\(bad)]", frequencies[bad], "a finite frequency in Hz")
            }
            if let bad = frequencies.indices.dropLast().first(where: { frequencies[$0] >= frequencies[$0 + 1] }) {
                throw invalid(
                    "binFrequencies[\(bad + 1)]", frequencies[bad + 1],
                    "strictly increasing frequencies (above binFrequencies[\(bad)] = \(frequencies[bad]))")
            }
        }
        if let limits = colorLimits {
            guard limits.lowerBound.isFinite, limits.upperBound.isFinite, limits.lowerBound < limits.upperBound else {
                throw invalid("colorLimits", limits, "finite limits with lower < upper, e.g. -80...0")
            }
        }
        guard size.width.isFinite, size.height.isFinite, size.width >= 240, size.height >= 160,
            size.width <= 10000, size.height <= 10000
        else {
            throw invalid(
                "size", "\(size.width) x \(size.height)", "at least 240 x 160 and at most 10000 x 10000 points")
        }
        let largestPixels = max(size.width, size.height) * pixelsPerPoint
        guard pixelsPerPoint.isFinite, pixelsPerPoint >= 0.25,
            largestPixels <= Double(CairoSurface.maximumImageDimension)
        else {
            throw invalid(
                "pixelsPerPoint", pixelsPerPoint,
                "at least 0.25, with the PNG at most \(CairoSurface.maximumImageDimension) pixels a side")
        }
    }

    /// `colorLimits`, or min...max of the finite values (widened by 0.5 either side when all
    /// are equal; 0...1 when none is finite).
    var resolvedColorLimits: ClosedRange<Float> {
        if let colorLimits { return colorLimits }
        var low = Float.infinity
        var high = -Float.infinity
        for value in values where value.isFinite {
            low = min(low, value)
            high = max(high, value)
        }
        guard low <= high else { return 0...1 }
        return low < high ? low...high : (low - 0.5)...(high + 0.5)
    }

    /// The time covered by the image, from half a frame before frame 0's centre to half a frame
    /// after the last frame's centre.
    var timeRange: ClosedRange<Double> {
        (-0.5 * secondsPerFrame)...((Double(frameCount) - 0.5) * secondsPerFrame)
    }

    /// The fractional bin indices covered by the image.
    var binRange: ClosedRange<Double> {
        -0.5...(Double(binCount) - 0.5)
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
        // Vertical: title, plot, time axis. Their heights do not depend on which ticks are chosen.
        let titleHeight =
            title.isEmpty ? 0 : canvas.inkSize(of: title, fontSize: style.titleSize).height + style.titleGap
        let provisionalTicks = NiceTicks.values(in: timeRange, intervalCount: 4).map {
            Tick(position: $0, label: TickLabelFormatter.label($0, decimals: 3))
        }
        var timeAxis = Axis(edge: .bottom, range: timeRange, ticks: provisionalTicks, title: "Time (s)")
        let plotTop = padding + titleHeight
        let plotHeight = canvas.height - padding - timeAxis.thickness(on: canvas, style: style) - plotTop

        // Horizontal: frequency axis, plot, colour bar; their widths depend on the tick labels,
        // which depend on the plot height found above.
        let labelHeight: (String) -> Double = { canvas.inkSize(of: $0, fontSize: style.tickLabelSize).height }
        let frequencyTicks: [Tick]
        let frequencyTitle: String
        if let binFrequencies {
            frequencyTicks = FrequencyTicks.ticks(
                mapping: BinFrequencyMapping(frequencies: binFrequencies), length: plotHeight,
                minimumSpacing: style.minimumTickSpacing, labelGap: 4, labelExtent: labelHeight)
            frequencyTitle = "Frequency (Hz)"
        } else {
            frequencyTicks = AxisTicks.linear(
                range: binRange, length: plotHeight, minimumSpacing: style.minimumTickSpacing, labelGap: 4,
                labelExtent: labelHeight
            ).filter { $0.position == $0.position.rounded() }
            frequencyTitle = "Frequency bin"
        }
        let frequencyAxis = Axis(edge: .left, range: binRange, ticks: frequencyTicks, title: frequencyTitle)
        let colorBarWidth = colorBar.width(length: plotHeight, on: canvas, style: style)
        let plotLeft = padding + frequencyAxis.thickness(on: canvas, style: style)
        let plotRight = canvas.width - padding - colorBarWidth - style.colorBarGap
        let plot = Rect(x: plotLeft, y: plotTop, width: plotRight - plotLeft, height: plotHeight)

        timeAxis.ticks = AxisTicks.linear(
            range: timeRange, length: plot.width, minimumSpacing: 2 * style.minimumTickSpacing, labelGap: 12,
            labelExtent: { canvas.inkSize(of: $0, fontSize: style.tickLabelSize).width })
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
        let heatmap = HeatmapLayer(
            values: values, rowCount: frameCount, columnCount: binCount, orientation: .rowsAcrossColumnsUpward,
            colormap: colormap, limits: resolvedColorLimits, missingValueColor: style.missingValueColor)
        try heatmap.draw(on: canvas, in: layout.plot)
        canvas.stroke(layout.plot, color: style.frameColor, lineWidth: style.lineWidth)
        layout.frequencyAxis.draw(on: canvas, along: layout.plot, style: style)
        layout.timeAxis.draw(on: canvas, along: layout.plot, style: style)
        try colorBar.draw(on: canvas, in: layout.colorBar, style: style)
        canvas.draw(
            text: title, at: layout.titleOrigin, fontSize: style.titleSize, color: style.textColor,
            horizontal: .center, vertical: .top)
    }
}
