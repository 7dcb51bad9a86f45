import Foundation

/// Small multiples of line plots over one shared x axis, MNE-style ERP panels: e.g. a unit's
/// mean activation around each phoneme's onset, one panel per unit or layer, one line per
/// phoneme, with confidence bands.
///
/// Concretely: panel p draws each series s as a line through (x[i], s.values[i]), broken
/// at NaN, over a translucent band from s.lower[i] to s.upper[i] where both are finite. The
/// y range covers every finite value and band edge, padded by 5 % of its span at each end
/// (`sharedYRange`: one range for all panels, else one per panel); a light grey line marks
/// y = 0 when it lies inside, and dashed lines mark `verticalMarkers` (t = 0).
///
/// Layout: the title; the panels in `columns` columns, row by row, each with its title above;
/// x ticks under the panels that have none below them, y ticks left of the left column (of
/// every panel when the ranges are not shared); `xLabel` once under the grid and `yLabel`
/// once beside it; the legend to the right, one entry per distinct label in order of first
/// appearance, in as many columns as it needs (40 phonemes fit). With many panels the text
/// shrinks, down to 75 % (`PanelGrid.textScale`).
///
/// ```swift
/// var figure = LinePanelsFigure(
///     x: times, panels: units.map { LinePanel(title: $0.name, series: $0.phonemeMeans) },
///     xLabel: "Time (ms)", yLabel: "activation", title: "conv3: responses to phoneme onsets")
/// figure.columns = 3
/// try figure.write(to: URL(fileURLWithPath: "erp.pdf"))
/// ```
public struct LinePanelsFigure: Sendable, FigureDrawing {
    /// The shared x values, finite and strictly increasing, e.g. time in ms from the event.
    public var x: [Double]
    /// The panels, at least one.
    public var panels: [LinePanel]
    /// The x axis's title, e.g. "Time (ms)".
    public var xLabel: String
    /// The y axis's title, e.g. "activation" or "global field power".
    public var yLabel: String
    /// The line above the figure; empty for none.
    public var title: String
    /// Panels per row; the grid has ceil(panels / columns) rows.
    public var columns: Int = 1
    /// Dashed vertical lines at these x values; [0] marks the event.
    public var verticalMarkers: [Double] = [0]
    /// One y range for all panels, so their amplitudes compare at a glance; false gives each
    /// panel its own range and tick labels.
    public var sharedYRange: Bool = true
    /// Figure size in points; 800 x 450 suits a page-wide figure of a few panels.
    public var size: (width: Double, height: Double) = (800, 450)
    /// PNG resolution: 2 pixels per point keeps text and IPA crisp.
    public var pixelsPerPoint: Double = 2

    public init(x: [Double], panels: [LinePanel], xLabel: String, yLabel: String, title: String) {
        self.x = x
        self.panels = panels
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.title = title
    }

    /// Writes the figure to `url` as PNG, SVG or PDF, chosen by the extension (any case); see
    /// `FigureDrawing.writeFigure(to:)` for the checks made first.
    public func write(to url: URL) throws { try writeFigure(to: url) }

    static let untitled = "Line panels"

    // MARK: Data

    /// Checks every parameter; the error names the first bad one and what would be valid.
    func validate() throws {
        let invalid = FigureValidation.invalid
        guard x.count >= 2 else { throw invalid("x.count", x.count, "at least 2 x values") }
        try FigureValidation.checkStrictlyIncreasing(x, name: "x", items: "x values")
        guard !panels.isEmpty else { throw invalid("panels.count", 0, "at least 1 panel") }
        for (panelIndex, panel) in panels.enumerated() {
            for (seriesIndex, series) in panel.series.enumerated() {
                try validate(series, name: "panels[\(panelIndex)].series[\(seriesIndex)]")
            }
        }
        try FigureValidation.checkColumns(columns)
        try FigureValidation.checkFinite(verticalMarkers, name: "verticalMarkers", valid: "a finite x value")
        try FigureValidation.checkSize(size, pixelsPerPoint: pixelsPerPoint)
    }

    /// One value (and band edge) per x value, each finite or NaN, lower <= upper.
    private func validate(_ series: LineSeries, name: String) throws {
        let invalid = FigureValidation.invalid
        let valid = "finite values or NaN for a gap"
        func check(_ values: [Double], _ part: String) throws {
            guard values.count == x.count else {
                throw invalid("\(name).\(part).count", values.count, "one value per x value, \(x.count)")
            }
            if let bad = values.firstIndex(where: \.isInfinite) {
                throw invalid("\(name).\(part)[\(bad)]", values[bad], valid)
            }
        }
        try check(series.values, "values")
        switch (series.lower, series.upper) {
        case (nil, nil):
            break
        case (let lower?, let upper?):
            try check(lower, "lower")
            try check(upper, "upper")
            if let bad = x.indices.first(where: { lower[$0] > upper[$0] }) {
                throw invalid(
                    "\(name).lower[\(bad)]", lower[bad], "at most \(name).upper[\(bad)] = \(upper[bad])")
            }
        case (nil, _):
            throw invalid("\(name).lower", "nil", "a lower edge to go with the band's upper edge")
        case (_, nil):
            throw invalid("\(name).upper", "nil", "an upper edge to go with the band's lower edge")
        }
    }

    /// The distinct non-empty labels in order of first appearance: the legend's entries and
    /// the palette's categories.
    var distinctLabels: [String] {
        var seen = Set<String>()
        return panels.flatMap(\.series).map(\.label).filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The colour and dash pattern of every series, by its label's category.
    func appearance(of series: LineSeries, categories: [String: Int]) -> (color: RGBColor, dash: [Double]) {
        let category = categories[series.label] ?? 0
        return (series.color ?? CategoricalPalette.color(at: category), CategoricalPalette.dash(at: category))
    }

    private var categories: [String: Int] {
        Dictionary(uniqueKeysWithValues: distinctLabels.enumerated().map { ($1, $0) })
    }

    var legend: Legend {
        let categories = categories
        var entries: [Legend.Entry] = []
        var seen = Set<String>()
        for series in panels.flatMap(\.series) where !series.label.isEmpty && seen.insert(series.label).inserted {
            let look = appearance(of: series, categories: categories)
            entries.append(Legend.Entry(label: series.label, color: look.color, dash: look.dash))
        }
        return Legend(entries: entries)
    }

    /// The y range of `panels`: every finite value and band edge, padded by 5 % of the span at
    /// each end; a single value v gets v +- 5 % of |v| (or +-1 for 0), no value at all -1...1.
    static func yRange(of panels: some Sequence<LinePanel>) -> ClosedRange<Double> {
        var low = Double.infinity
        var high = -Double.infinity
        for series in panels.flatMap(\.series) {
            for value in series.values + (series.lower ?? []) + (series.upper ?? []) where value.isFinite {
                low = min(low, value)
                high = max(high, value)
            }
        }
        guard low <= high else { return -1...1 }
        let padding = low < high ? 0.05 * (high - low) : (low == 0 ? 1 : 0.05 * abs(low))
        return (low - padding)...(high + padding)
    }

    /// The y range of panel `index`: shared by all panels or its own.
    func yRange(ofPanel index: Int) -> ClosedRange<Double> {
        sharedYRange ? LinePanelsFigure.yRange(of: panels) : LinePanelsFigure.yRange(of: [panels[index]])
    }

    // MARK: Layout

    /// Where everything goes on a canvas; computed from measured text so that nothing is clipped.
    struct Layout {
        /// The figure's style with its text scaled for the grid.
        var style: FigureStyle
        var grid: PanelGrid
        var panelTitles: PanelTitles
        /// The same x axis under every panel (ticks only; `xLabel` is drawn once).
        var xAxis: Axis
        /// One y axis per panel (ticks only; `yLabel` is drawn once).
        var yAxes: [Axis]
        var legend: Legend.Placement?
        var legendOrigin: Point
        /// How far the tick labels reach below the grid and left of it: where the shared
        /// axis titles start.
        var xTicksThickness: Double
        var yTicksThickness: Double
        var titleCenterX: Double
    }

    func layout(on canvas: Canvas, style baseStyle: FigureStyle) -> Layout {
        let padding = baseStyle.outerPadding
        let columns = min(columns, panels.count)
        let rows = (panels.count + columns - 1) / columns
        let style = baseStyle.scaled(
            by: PanelGrid.textScale(
                width: canvas.width - 2 * padding - 100, height: canvas.height - 2 * padding - 60, columns: columns,
                rows: rows))
        let xRange = x[0]...x[x.count - 1]

        // Vertical: title, rows of panel titles and frames, x ticks, x title. None of their
        // heights depends on which ticks are chosen.
        let top = padding + FigureTitle.height(of: title, on: canvas, style: baseStyle)
        let xTicksThickness = ValueAxis.axis(
            edge: .bottom, range: xRange, length: canvas.width, title: "", on: canvas, style: style
        ).thickness(on: canvas, style: style)
        let bottom =
            canvas.height - padding - xTicksThickness
            - PanelGrid.titleThickness(xLabel, vertical: false, on: canvas, style: style)
        let panelTitles = PanelTitles(panels.map(\.title), on: canvas, style: style)
        let titleHeight = panelTitles.height(style: style)
        let rowGap = style.panelGap
        let plotHeight = max((bottom - top + rowGap) / Double(rows) - rowGap - titleHeight, 1)

        // Horizontal: y title, y ticks, the columns, the legend; the y tick labels depend on
        // the panels' height found above.
        let yAxes = panels.indices.map { index in
            ValueAxis.axis(
                edge: .left, range: yRange(ofPanel: index), length: plotHeight, title: "", on: canvas, style: style)
        }
        let yTicksThickness = yAxes.map { $0.thickness(on: canvas, style: style) }.max() ?? 0
        let left =
            padding + PanelGrid.titleThickness(yLabel, vertical: true, on: canvas, style: style) + yTicksThickness
        let legendPlacement = legend.placement(
            maxWidth: 0.4 * canvas.width, maxHeight: bottom - top - titleHeight, on: canvas, style: style)
        let legendWidth = legendPlacement.map { $0.width + style.colorBarGap } ?? 0
        let right = canvas.width - padding - legendWidth
        // Columns keep the y tick labels between them, or at least the x tick labels apart.
        let (grid, xAxis) = PanelGrid.withBottomAxis(
            panelCount: panels.count, columns: columns,
            area: Rect(x: left, y: top, width: right - left, height: bottom - top), titleHeight: titleHeight,
            columnGap: sharedYRange ? 1.5 * style.panelGap : style.panelGap + yTicksThickness, rowGap: rowGap,
            on: canvas, style: style
        ) { width in
            ValueAxis.axis(edge: .bottom, range: xRange, length: width, title: "", on: canvas, style: style)
        }
        let bounds = grid.bounds
        return Layout(
            style: style, grid: grid, panelTitles: panelTitles, xAxis: xAxis, yAxes: yAxes, legend: legendPlacement,
            legendOrigin: Point(x: right + style.colorBarGap, y: bounds.minY), xTicksThickness: xTicksThickness,
            yTicksThickness: yTicksThickness, titleCenterX: bounds.midX)
    }

    // MARK: Drawing

    func draw(on canvas: Canvas, style baseStyle: FigureStyle) throws {
        let layout = layout(on: canvas, style: baseStyle)
        let style = layout.style
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), color: style.background)
        let categories = categories
        for (index, panel) in panels.enumerated() {
            let plot = layout.grid.plots[index]
            let yAxis = layout.yAxes[index]
            canvas.clipped(to: plot) {
                drawContents(
                    of: panel, in: plot, xAxis: layout.xAxis, yAxis: yAxis, categories: categories,
                    on: canvas, style: style)
            }
            canvas.stroke(plot, color: style.frameColor, lineWidth: style.lineWidth)
            if !sharedYRange || layout.grid.isInLeftColumn(index) {
                yAxis.draw(on: canvas, along: plot, style: style)
            }
            if !layout.grid.hasPanelBelow(index) {
                layout.xAxis.draw(on: canvas, along: plot, style: style)
            }
            layout.panelTitles.draw(panel.title, above: plot, on: canvas, style: style)
        }
        layout.grid.drawTitles(
            x: xLabel, belowBy: layout.xTicksThickness, y: yLabel, leftBy: layout.yTicksThickness, on: canvas,
            style: style)
        if let placement = layout.legend {
            legend.draw(placement, at: layout.legendOrigin, on: canvas, style: style)
        }
        FigureTitle.draw(title, centeredAt: layout.titleCenterX, on: canvas, style: baseStyle)
    }

    /// Bands, the zero line, the markers and the lines of one panel, in that order, so that
    /// every line shows over every band.
    private func drawContents(
        of panel: LinePanel, in plot: Rect, xAxis: Axis, yAxis: Axis, categories: [String: Int], on canvas: Canvas,
        style: FigureStyle
    ) {
        let xs = x.map { xAxis.coordinate(of: $0, along: plot) }
        func point(_ index: Int, _ value: Double) -> Point {
            Point(x: xs[index], y: yAxis.coordinate(of: value, along: plot))
        }
        for series in panel.series {
            guard let lower = series.lower, let upper = series.upper else { continue }
            let color = appearance(of: series, categories: categories).color
            for run in LinePanelsFigure.finiteRuns(lower, upper) {
                let polygon = run.map { point($0, upper[$0]) } + run.reversed().map { point($0, lower[$0]) }
                canvas.fill(polygon: polygon, color: color, opacity: style.bandOpacity)
            }
        }
        if yAxis.range.lowerBound < 0 && yAxis.range.upperBound > 0 {
            let y = yAxis.coordinate(of: 0, along: plot)
            canvas.line(
                from: Point(x: plot.minX, y: y), to: Point(x: plot.maxX, y: y), color: style.zeroLineColor,
                lineWidth: style.lineWidth)
        }
        MarkerLines.draw(at: verticalMarkers, axis: xAxis, across: plot, on: canvas, style: style)
        for series in panel.series {
            let look = appearance(of: series, categories: categories)
            for run in LinePanelsFigure.finiteRuns(series.values) {
                canvas.polyline(
                    run.map { point($0, series.values[$0]) }, color: look.color, lineWidth: style.seriesLineWidth,
                    dash: look.dash)
            }
        }
    }

    /// The maximal runs of consecutive indices at which every one of `arrays` is finite.
    static func finiteRuns(_ arrays: [Double]...) -> [[Int]] {
        let count = arrays.map(\.count).min() ?? 0
        var runs: [[Int]] = []
        var current: [Int] = []
        for index in 0..<count {
            if arrays.allSatisfy({ $0[index].isFinite }) {
                current.append(index)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}
