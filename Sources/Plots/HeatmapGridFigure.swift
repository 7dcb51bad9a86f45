import Foundation

/// Small multiples of time-by-frequency matrices on one colour scale with one colour bar:
/// e.g. the average spectrogram around each phoneme's onset, one panel per phoneme.
///
/// Concretely: panel p shows `panels[p].values` like `SpectrogramFigure` does, frame f centred
/// at `frameTimes[f]` (cells half a step either side, `CellCenterAxis`) and bin b at
/// `binFrequencies[b]` Hz (mel-spaced axes get ticks where their frequency is,
/// `FrequencyTicks`) or at index b; dashed lines mark `verticalMarkers` (t = 0). All panels
/// share the colour limits: -m...m for the largest finite magnitude m over every panel
/// (`symmetricLimits`), else min...max, unless `colorLimits` is set.
///
/// Layout: the title; the panels in `columns` columns, row by row, each with its title above;
/// time ticks under the panels with none below them and frequency ticks left of the left
/// column, `timeLabel` once under the grid and the frequency title once beside it; the colour
/// bar right of the grid. The text shrinks with the panels, down to 75 % (`PanelGrid.textScale`),
/// so 40 panels in 7 columns of a 1200 x 900 figure stay readable.
///
/// ```swift
/// var figure = HeatmapGridFigure(
///     panels: phonemes.map { HeatmapPanel(title: "\($0.ipa) (n = \($0.count))", values: $0.meanSpectrogram) },
///     frameCount: 25, binCount: 128, frameTimes: times, timeLabel: "Time (ms)",
///     binFrequencies: filterbank.centerFrequencies, colorbarLabel: "z-scored dB", title: "Mean log-mel by phoneme")
/// figure.columns = 7
/// figure.size = (1200, 900)
/// try figure.write(to: URL(fileURLWithPath: "phoneme-spectrograms.png"))
/// ```
public struct HeatmapGridFigure: Sendable, FigureDrawing {
    /// The panels, at least one, all `frameCount` x `binCount`.
    public var panels: [HeatmapPanel]
    public var frameCount: Int
    public var binCount: Int
    /// The time of each frame's centre, finite and strictly increasing, e.g. ms from the event.
    public var frameTimes: [Double]
    /// The time axis's title, e.g. "Time (ms)".
    public var timeLabel: String
    /// Centre frequency of each bin in Hz, strictly increasing (mel centres); nil: bin index.
    public var binFrequencies: [Double]?
    /// The colour bar's title.
    public var colorbarLabel: String
    /// The line above the figure; empty for none.
    public var title: String
    /// Panels per row; 6 columns of 40 phonemes gives 7 rows.
    public var columns: Int = 6
    /// Default blue-white-red: averages of normalised spectra are signed around 0.
    public var colormap: Colormap = .blueWhiteRed
    /// Values mapped to the colour map's ends, for every panel; nil: see `symmetricLimits`.
    public var colorLimits: ClosedRange<Float>? = nil
    /// With no `colorLimits`: -m...m over all panels when true, min...max when false.
    public var symmetricLimits: Bool = true
    /// Dashed vertical lines at these times; [0] marks the event.
    public var verticalMarkers: [Double] = [0]
    /// Figure size in points; 900 x 600 suits up to about 24 panels, 1200 x 900 40.
    public var size: (width: Double, height: Double) = (900, 600)
    /// PNG resolution: 2 pixels per point keeps small text crisp.
    public var pixelsPerPoint: Double = 2

    public init(
        panels: [HeatmapPanel], frameCount: Int, binCount: Int, frameTimes: [Double], timeLabel: String,
        binFrequencies: [Double]?, colorbarLabel: String, title: String
    ) {
        self.panels = panels
        self.frameCount = frameCount
        self.binCount = binCount
        self.frameTimes = frameTimes
        self.timeLabel = timeLabel
        self.binFrequencies = binFrequencies
        self.colorbarLabel = colorbarLabel
        self.title = title
    }

    /// Writes the figure to `url` as PNG, SVG or PDF, chosen by the extension (any case); see
    /// `FigureDrawing.writeFigure(to:)` for the checks made first.
    public func write(to url: URL) throws { try writeFigure(to: url) }

    static let untitled = "Heatmap grid"

    // MARK: Data

    /// Checks every parameter; the error names the first bad one and what would be valid.
    func validate() throws {
        let invalid = FigureValidation.invalid
        guard !panels.isEmpty else { throw invalid("panels.count", 0, "at least 1 panel") }
        for (index, panel) in panels.enumerated() {
            try FigureValidation.checkMatrixShape(
                valuesName: "panels[\(index)].values", valuesCount: panel.values.count, rowsName: "frameCount",
                rows: frameCount, rowUnit: "frame", columnsName: "binCount", columns: binCount, columnUnit: "bin")
        }
        try FigureValidation.checkStrictlyIncreasing(
            frameTimes, name: "frameTimes", items: "times", expectedCount: frameCount,
            countValid: "one time per frame, \(frameCount)")
        try SpectrogramMatrix.validate(binFrequencies: binFrequencies, binCount: binCount)
        try FigureValidation.checkColumns(columns)
        try FigureValidation.checkFinite(verticalMarkers, name: "verticalMarkers", valid: "a finite time")
        try FigureValidation.checkColorLimits(colorLimits)
        try FigureValidation.checkSize(size, pixelsPerPoint: pixelsPerPoint)
    }

    var resolvedColorLimits: ClosedRange<Float> {
        AutomaticColorLimits.resolved(colorLimits, matrices: panels.map(\.values), symmetric: symmetricLimits)
    }

    var colorBar: ColorBar {
        ColorBar(colormap: colormap, limits: resolvedColorLimits, label: colorbarLabel)
    }

    var timeCells: CellCenterAxis { CellCenterAxis(centers: frameTimes) }

    // MARK: Layout

    /// Where everything goes on a canvas; computed from measured text so that nothing is clipped.
    struct Layout {
        /// The figure's style with its text scaled for the grid.
        var style: FigureStyle
        var grid: PanelGrid
        var panelTitles: PanelTitles
        /// Under the bottom panels; positions are fractional frame indices (ticks only).
        var timeAxis: Axis
        /// Left of the left column; positions are fractional bin indices (ticks only).
        var frequencyAxis: Axis
        /// The frequency axis's title, drawn once beside the grid.
        var frequencyTitle: String
        var colorBar: Rect
        var timeTicksThickness: Double
        var frequencyTicksThickness: Double
        var titleCenterX: Double
    }

    func layout(on canvas: Canvas, style baseStyle: FigureStyle) -> Layout {
        let padding = baseStyle.outerPadding
        let columns = min(columns, panels.count)
        let rows = (panels.count + columns - 1) / columns
        let style = baseStyle.scaled(
            by: PanelGrid.textScale(
                width: canvas.width - 2 * padding - 90, height: canvas.height - 2 * padding - 50, columns: columns,
                rows: rows))

        // Vertical: title, rows of panel titles and frames, time ticks, time title.
        let top = padding + FigureTitle.height(of: title, on: canvas, style: baseStyle)
        let timeTicksThickness = timeCells.axis(
            edge: .bottom, length: canvas.width, title: "", on: canvas, style: style
        )
        .thickness(on: canvas, style: style)
        let bottom =
            canvas.height - padding - timeTicksThickness
            - PanelGrid.titleThickness(timeLabel, vertical: false, on: canvas, style: style)
        let panelTitles = PanelTitles(panels.map(\.title), on: canvas, style: style)
        let titleHeight = panelTitles.height(style: style)
        let rowGap = style.panelGap
        let plotHeight = max((bottom - top + rowGap) / Double(rows) - rowGap - titleHeight, 1)

        // Horizontal: frequency title and ticks, the columns, the colour bar.
        var frequencyAxis = SpectrogramMatrix.frequencyAxis(
            binFrequencies: binFrequencies, binCount: binCount, length: plotHeight, on: canvas, style: style)
        let frequencyTitle = frequencyAxis.title
        frequencyAxis.title = ""
        let frequencyTicksThickness = frequencyAxis.thickness(on: canvas, style: style)
        let barTop = top + titleHeight
        let colorBarWidth = colorBar.width(length: bottom - barTop, on: canvas, style: style)
        let left =
            padding + PanelGrid.titleThickness(frequencyTitle, vertical: true, on: canvas, style: style)
            + frequencyTicksThickness
        let right = canvas.width - padding - colorBarWidth - style.colorBarGap
        let timeCells = timeCells
        let (grid, timeAxis) = PanelGrid.withBottomAxis(
            panelCount: panels.count, columns: columns,
            area: Rect(x: left, y: top, width: right - left, height: bottom - top), titleHeight: titleHeight,
            columnGap: style.panelGap, rowGap: rowGap, on: canvas, style: style
        ) { width in
            timeCells.axis(edge: .bottom, length: width, title: "", on: canvas, style: style)
        }
        let bounds = grid.bounds
        return Layout(
            style: style, grid: grid, panelTitles: panelTitles, timeAxis: timeAxis,
            frequencyAxis: frequencyAxis, frequencyTitle: frequencyTitle,
            colorBar: Rect(
                x: bounds.maxX + style.colorBarGap, y: bounds.minY, width: style.colorBarWidth, height: bounds.height),
            timeTicksThickness: timeTicksThickness, frequencyTicksThickness: frequencyTicksThickness,
            titleCenterX: bounds.midX)
    }

    // MARK: Drawing

    func draw(on canvas: Canvas, style baseStyle: FigureStyle) throws {
        let layout = layout(on: canvas, style: baseStyle)
        let style = layout.style
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), color: style.background)
        let limits = resolvedColorLimits
        let markers = verticalMarkers.map(timeCells.index(of:))
        for (index, panel) in panels.enumerated() {
            let plot = layout.grid.plots[index]
            let heatmap = HeatmapLayer(
                values: panel.values, rowCount: frameCount, columnCount: binCount,
                orientation: .rowsAcrossColumnsUpward, colormap: colormap, limits: limits,
                missingValueColor: style.missingValueColor)
            try heatmap.draw(on: canvas, in: plot)
            MarkerLines.draw(at: markers, axis: layout.timeAxis, across: plot, on: canvas, style: style)
            canvas.stroke(plot, color: style.frameColor, lineWidth: style.lineWidth)
            if layout.grid.isInLeftColumn(index) {
                layout.frequencyAxis.draw(on: canvas, along: plot, style: style)
            }
            if !layout.grid.hasPanelBelow(index) {
                layout.timeAxis.draw(on: canvas, along: plot, style: style)
            }
            layout.panelTitles.draw(panel.title, above: plot, on: canvas, style: style)
        }
        layout.grid.drawTitles(
            x: timeLabel, belowBy: layout.timeTicksThickness, y: layout.frequencyTitle,
            leftBy: layout.frequencyTicksThickness, on: canvas, style: style)
        try colorBar.draw(on: canvas, in: layout.colorBar, style: style)
        FigureTitle.draw(title, centeredAt: layout.titleCenterX, on: canvas, style: baseStyle)
    }
}
