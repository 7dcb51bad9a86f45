import Foundation

/// A Praat-style picture of one utterance: waveform, spectrogram and annotation tiers
/// stacked over one time axis, so a reader sees whether the phone boundaries fall where the
/// spectrum changes.
///
/// Top to bottom: the title; the waveform as a min/max envelope per pixel column with a zero
/// line and symmetric amplitude limits from the peak (`WaveformLayer`); the spectrogram with
/// its frequency axis and a colour bar on the right (the layout of `SpectrogramFigure`); one
/// strip per tier with boundaries and centred labels (`TierStrip`); the time axis in seconds.
/// Every panel spans 0...duration, duration = samples.count / sampleRate. The boundaries of
/// the last tier (the phones) are also drawn as faint dashed lines across the waveform and the
/// spectrogram.
///
/// Layout of `spectrogram`: time-major, `spectrogram[frame * binCount + bin]`; frame t is
/// centred at t * `secondsPerFrame` seconds, bin b at `binFrequencies[b]` Hz (nil: bin index).
/// Frames reaching past the audio's ends are clipped at the panel's edges. NaN cells are grey
/// and +-infinity (log of digital silence) take the colour map's ends.
///
/// ```swift
/// let figure = UtteranceFigure(
///     samples: audio.samples, sampleRate: 16000,
///     spectrogram: logMel.values, frameCount: logMel.frameCount, binCount: 80,
///     secondsPerFrame: 160.0 / 16000, binFrequencies: filterbank.centerFrequencies,
///     tiers: [FigureTier(name: "words", intervals: words), FigureTier(name: "phones", intervals: phones)],
///     title: "de-00001")
/// try figure.write(to: URL(fileURLWithPath: "de-00001.png"))
/// ```
public struct UtteranceFigure: Sendable, FigureDrawing {
    /// Audio samples, mono, any scale (the waveform's limits follow the peak).
    public var samples: [Float]
    /// Samples per second, which turns `samples.count` into the figure's duration.
    public var sampleRate: Int
    /// Time-major matrix, `spectrogram[frame * binCount + bin]`, usually power in dB.
    public var spectrogram: [Float]
    public var frameCount: Int
    public var binCount: Int
    /// Seconds between frames: hop length / sample rate.
    public var secondsPerFrame: Double
    /// Centre frequency of each bin in Hz, strictly increasing; nil labels the axis with bin indices.
    public var binFrequencies: [Double]?
    /// Annotation tiers, top to bottom; the last one's boundaries also cross the panels above.
    public var tiers: [FigureTier]
    /// The line above the figure, e.g. the utterance's id; empty for none.
    public var title: String
    /// The colour bar's title.
    public var colorbarLabel: String = "power (dB)"
    /// Values mapped to the colour map's ends; nil shows the top 80 dB, (max - 80)...max of
    /// the finite values (-80...0 when none is finite): the range a speech spectrogram's
    /// structure lives in, with the noise floor of quiet recordings dark.
    public var colorLimits: ClosedRange<Float>?
    /// Default magma: perceptually uniform, loud is bright.
    public var colormap: Colormap = .magma
    /// Figure size in points (1/72 inch); 1000 x 640 leaves a readable phone tier for a few
    /// seconds of speech.
    public var size: (width: Double, height: Double) = (1000, 640)
    /// PNG resolution: 2 pixels per point keeps text and IPA crisp. SVG and PDF are
    /// resolution-independent.
    public var pixelsPerPoint: Double = 2

    /// The dynamic range shown when `colorLimits` is nil, in the spectrogram's units (dB).
    static let defaultDynamicRange: Float = 80

    public init(
        samples: [Float], sampleRate: Int,
        spectrogram: [Float], frameCount: Int, binCount: Int, secondsPerFrame: Double, binFrequencies: [Double]?,
        tiers: [FigureTier], title: String
    ) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.spectrogram = spectrogram
        self.frameCount = frameCount
        self.binCount = binCount
        self.secondsPerFrame = secondsPerFrame
        self.binFrequencies = binFrequencies
        self.tiers = tiers
        self.title = title
    }

    /// Writes the figure to `url` as PNG, SVG or PDF, chosen by the extension (any case); see
    /// `FigureDrawing.writeFigure(to:)` for the checks made first.
    public func write(to url: URL) throws { try writeFigure(to: url) }

    static let untitled = "Utterance"

    // MARK: Data

    /// The audio's length in seconds: the time axis runs over 0...duration.
    var duration: Double { Double(samples.count) / Double(sampleRate) }

    var timeRange: ClosedRange<Double> { 0...duration }

    var matrix: SpectrogramMatrix {
        SpectrogramMatrix(
            values: spectrogram, frameCount: frameCount, binCount: binCount, secondsPerFrame: secondsPerFrame,
            binFrequencies: binFrequencies)
    }

    /// `colorLimits`, or the top `defaultDynamicRange` below the largest finite value.
    var resolvedColorLimits: ClosedRange<Float> {
        if let colorLimits { return colorLimits }
        let top = matrix.finiteRange?.upperBound ?? 0
        return (top - UtteranceFigure.defaultDynamicRange)...top
    }

    /// Interval times may lie this far outside 0...duration (one sample period): alignments
    /// are often written rounded to the sample or millisecond. They are drawn clipped.
    var timeTolerance: Double { 1 / Double(sampleRate) }

    /// Checks every parameter; the error names the first bad one and what would be valid.
    func validate() throws {
        let invalid = FigureValidation.invalid
        guard sampleRate > 0 else { throw invalid("sampleRate", sampleRate, "a positive number of samples per second") }
        guard !samples.isEmpty else { throw invalid("samples.count", 0, "at least 1 sample") }
        if let bad = samples.firstIndex(where: { !$0.isFinite }) {
            throw invalid("samples[\(bad)]", samples[bad], "a finite sample value")
        }
        try matrix.validate(valuesName: "spectrogram")
        try FigureValidation.checkColorLimits(colorLimits)
        try FigureValidation.checkSize(size, pixelsPerPoint: pixelsPerPoint)
        for (tierIndex, tier) in tiers.enumerated() {
            try validate(tier, at: tierIndex)
        }
    }

    /// Each interval finite, non-empty, inside the audio and after the one before.
    private func validate(_ tier: FigureTier, at tierIndex: Int) throws {
        let invalid = FigureValidation.invalid
        let tolerance = timeTolerance
        let duration = duration
        let inTier = "in tier \"\(tier.name)\""
        let inside = "a time in seconds within 0...\(duration), the audio's duration, \(inTier)"
        var previousEnd = -Double.infinity
        for (index, interval) in tier.intervals.enumerated() {
            let name = "tiers[\(tierIndex)].intervals[\(index)]"
            guard interval.start.isFinite, interval.start >= -tolerance, interval.start <= duration + tolerance else {
                throw invalid("\(name).start", interval.start, inside)
            }
            guard interval.end.isFinite, interval.end >= -tolerance, interval.end <= duration + tolerance else {
                throw invalid("\(name).end", interval.end, inside)
            }
            guard interval.end > interval.start else {
                throw invalid("\(name).end", interval.end, "a time after its start \(interval.start) s \(inTier)")
            }
            guard interval.start >= previousEnd else {
                throw invalid(
                    "\(name).start", interval.start,
                    "intervals sorted by time without overlap: at or after the previous end \(previousEnd) s \(inTier)")
            }
            previousEnd = interval.end
        }
    }

    // MARK: Layout

    /// Where everything goes on a canvas; computed from measured text so that nothing is clipped.
    struct Layout {
        var waveform: Rect
        var spectrogram: Rect
        /// One strip per tier, top to bottom, touching.
        var tiers: [Rect]
        var colorBar: Rect
        var amplitudeAxis: Axis
        var frequencyAxis: Axis
        /// Drawn under the lowest panel; shared by all of them (same range and x extent).
        var timeAxis: Axis
        var titleCenterX: Double

        /// The panel the time axis hangs from: the last tier, or the spectrogram.
        var bottomPanel: Rect { tiers.last ?? spectrogram }

        /// The x of `time` seconds, the same in every panel.
        func x(ofTime time: Double) -> Double {
            timeAxis.coordinate(of: time, along: waveform)
        }
    }

    /// The share of the waveform and spectrogram's height that goes to the waveform: enough
    /// to see the envelope, the rest for the spectrum, where the phonetics is.
    static let waveformShare = 0.3

    func layout(on canvas: Canvas, style: FigureStyle) -> Layout {
        let padding = style.outerPadding
        // Vertical: title, waveform, spectrogram, tiers, time axis.
        let top = padding + FigureTitle.height(of: title, on: canvas, style: style)
        let timeAxisHeight = TimeAxis.axis(range: timeRange, length: canvas.width, on: canvas, style: style)
            .thickness(on: canvas, style: style)
        let bottom = canvas.height - padding - timeAxisHeight
        let gaps = style.panelGap * (tiers.isEmpty ? 1 : 2)
        let available = max(bottom - top - gaps, 0)
        // Tiers keep their height unless the figure is so small they would take over 40 %.
        let tierHeight = tiers.isEmpty ? 0 : min(style.tierHeight, 0.4 * available / Double(tiers.count))
        let panelsHeight = available - tierHeight * Double(tiers.count)
        let waveformHeight = UtteranceFigure.waveformShare * panelsHeight
        let spectrogramHeight = panelsHeight - waveformHeight

        // Horizontal: one left column for the amplitude axis, the frequency axis and the tier
        // names, whose labels line up; the panels; the colour bar.
        let amplitudeLimit = WaveformLayer.amplitudeLimit(of: samples)
        var amplitudeAxis = Axis(
            edge: .left, range: -amplitudeLimit...amplitudeLimit,
            ticks: amplitudeTicks(limit: amplitudeLimit, length: waveformHeight, on: canvas, style: style),
            title: "Amplitude")
        var frequencyAxis = matrix.frequencyAxis(length: spectrogramHeight, on: canvas, style: style)
        amplitudeAxis.title = fittingTitle(amplitudeAxis.title, length: waveformHeight, on: canvas, style: style)
        frequencyAxis.title = fittingTitle(frequencyAxis.title, length: spectrogramHeight, on: canvas, style: style)
        let axisLabelWidths = [amplitudeAxis, frequencyAxis].map { $0.labelExtent(on: canvas, style: style) }
        let tierNameWidths = tiers.map { TierStrip(tier: $0).nameWidth(on: canvas, style: style) }
        let labelColumn = (axisLabelWidths + tierNameWidths).max() ?? 0
        amplitudeAxis.minimumLabelExtent = labelColumn
        frequencyAxis.minimumLabelExtent = labelColumn
        let leftWidth = max(
            amplitudeAxis.thickness(on: canvas, style: style), frequencyAxis.thickness(on: canvas, style: style))
        let colorBarWidth = colorBar.width(length: spectrogramHeight, on: canvas, style: style)
        let left = padding + leftWidth
        let width = canvas.width - padding - colorBarWidth - style.colorBarGap - left

        let waveform = Rect(x: left, y: top, width: width, height: waveformHeight)
        let spectrogram = Rect(
            x: left, y: waveform.maxY + style.panelGap, width: width, height: spectrogramHeight)
        let tierTop = spectrogram.maxY + style.panelGap
        let tierRects = tiers.indices.map {
            Rect(x: left, y: tierTop + Double($0) * tierHeight, width: width, height: tierHeight)
        }
        return Layout(
            waveform: waveform, spectrogram: spectrogram, tiers: tierRects,
            colorBar: Rect(
                x: spectrogram.maxX + style.colorBarGap, y: spectrogram.minY, width: style.colorBarWidth,
                height: spectrogram.height),
            amplitudeAxis: amplitudeAxis, frequencyAxis: frequencyAxis,
            timeAxis: TimeAxis.axis(range: timeRange, length: width, on: canvas, style: style),
            titleCenterX: waveform.midX)
    }

    /// Nice amplitude ticks whose labels do not crowd; only 0 when no set fits (tiny panels).
    private func amplitudeTicks(limit: Double, length: Double, on canvas: Canvas, style: FigureStyle) -> [Tick] {
        let range = -limit...limit
        let labelHeight: (String) -> Double = { canvas.inkSize(of: $0, fontSize: style.tickLabelSize).height }
        let ticks = AxisTicks.linear(
            range: range, length: length, minimumSpacing: style.minimumTickSpacing, labelGap: 4,
            labelExtent: labelHeight)
        let fits = AxisTicks.fits(
            ticks, length: length, range: range, transform: { $0 }, minimumSpacing: style.minimumTickSpacing,
            labelGap: 4, labelExtent: labelHeight)
        return fits ? ticks : [Tick(position: 0, label: "0")]
    }

    /// `title` if, turned upward, it fits along a panel `length` points tall; else none.
    private func fittingTitle(_ title: String, length: Double, on canvas: Canvas, style: FigureStyle) -> String {
        canvas.inkSize(of: title, fontSize: style.axisTitleSize).width <= length ? title : ""
    }

    var colorBar: ColorBar {
        ColorBar(colormap: colormap, limits: resolvedColorLimits, label: colorbarLabel)
    }

    // MARK: Drawing

    func draw(on canvas: Canvas, style: FigureStyle) throws {
        let layout = layout(on: canvas, style: style)
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), color: style.background)
        // Phone boundaries inside the range; those on its ends coincide with the frames.
        let guides = (tiers.last?.boundaries ?? []).filter { $0 > 0 && $0 < duration }

        let waveform = layout.waveform
        canvas.clipped(to: waveform) {
            canvas.line(
                from: Point(x: waveform.minX, y: waveform.midY), to: Point(x: waveform.maxX, y: waveform.midY),
                color: style.zeroLineColor, lineWidth: style.guideWidth)
            drawGuides(guides, across: waveform, layout: layout, on: canvas, style: style)
            WaveformLayer(
                samples: samples, sampleRate: sampleRate, amplitudeLimit: layout.amplitudeAxis.range.upperBound,
                color: style.waveformColor
            ).draw(on: canvas, in: waveform, timeRange: timeRange)
        }
        canvas.stroke(waveform, color: style.frameColor, lineWidth: style.lineWidth)
        layout.amplitudeAxis.draw(on: canvas, along: waveform, style: style)

        let spectrogram = layout.spectrogram
        let matrix = matrix
        let imageLeft = layout.x(ofTime: matrix.timeRange.lowerBound)
        let imageRight = layout.x(ofTime: matrix.timeRange.upperBound)
        try canvas.clipped(to: spectrogram) {
            let heatmap = matrix.heatmap(colormap: colormap, limits: resolvedColorLimits, style: style)
            try heatmap.draw(
                on: canvas,
                in: Rect(x: imageLeft, y: spectrogram.minY, width: imageRight - imageLeft, height: spectrogram.height))
            drawGuides(guides, across: spectrogram, layout: layout, on: canvas, style: style)
        }
        canvas.stroke(spectrogram, color: style.frameColor, lineWidth: style.lineWidth)
        layout.frequencyAxis.draw(on: canvas, along: spectrogram, style: style)
        try colorBar.draw(on: canvas, in: layout.colorBar, style: style)

        for (tier, rect) in zip(tiers, layout.tiers) {
            TierStrip(tier: tier).draw(on: canvas, in: rect, timeAxis: layout.timeAxis, style: style)
        }
        layout.timeAxis.draw(on: canvas, along: layout.bottomPanel, style: style)
        FigureTitle.draw(title, centeredAt: layout.titleCenterX, on: canvas, style: style)
    }

    /// Faint dashed vertical lines at `times` across `panel`, starting with a dash at its top.
    private func drawGuides(
        _ times: [Double], across panel: Rect, layout: Layout, on canvas: Canvas, style: FigureStyle
    ) {
        for time in times {
            let x = layout.x(ofTime: time)
            canvas.line(
                from: Point(x: x, y: panel.minY), to: Point(x: x, y: panel.maxY), color: style.guideColor,
                lineWidth: style.guideWidth, dash: style.guideDash)
        }
    }
}
