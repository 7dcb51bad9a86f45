import Foundation

/// A matrix as a heatmap, row 0 at the top, with a colour bar: network activation profiles
/// (units x time, units x phonemes) and ERP images (events x time).
///
/// Layout of `values`: row-major, `values[row * columnCount + column]`, one cell per value,
/// each a sharp-edged block (`HeatmapLayer`, one bitmap pixel per cell; above 32767 rows or
/// columns evenly spaced ones are drawn). NaN cells are grey; +-infinity take the colour map's
/// ends.
///
/// Concretely: with `.values(centers, _)` column c is centred at centers[c] and covers half a
/// step either side (`CellCenterAxis`), with nice numeric ticks, `verticalMarkers` as dashed
/// lines and `rowMarkers` (one column-axis value per row, e.g. the phone's end in an ERP
/// image) as small dots; with `.categories` each column is labelled, turned upward when the
/// labels crowd and every k-th when even that crowds. Rows are numbered 0 ..< rowCount
/// (`.index`) or labelled (`.categories`, every k-th when crowded). Colour limits default to
/// -m...m, m the largest finite magnitude (`symmetricLimits`, white is 0 on the diverging
/// default map), else min...max.
///
/// ```swift
/// var figure = MatrixFigure(
///     values: nap.values, rowCount: unitCount, columnCount: times.count,
///     columns: .values(times, label: "Time (ms)"), rows: .index(label: "unit"),
///     colorbarLabel: "z-scored activation", title: "conv3: NAP of /ʃ/")
/// figure.verticalMarkers = [0]
/// try figure.write(to: URL(fileURLWithPath: "nap.png"))
/// ```
public struct MatrixFigure: Sendable, FigureDrawing {
    /// What the columns are and how their axis is labelled.
    public enum ColumnAxis: Sendable {
        /// Column centres, finite and strictly increasing, e.g. times in ms; numeric ticks.
        case values([Double], label: String)
        /// One label per column (e.g. phonemes in IPA).
        case categories([String], label: String)
    }

    /// What the rows are and how their axis is labelled.
    public enum RowAxis: Sendable {
        /// Rows numbered 0 ..< rowCount with nice integer ticks, e.g. "unit" or "event".
        case index(label: String)
        /// One label per row.
        case categories([String], label: String)
    }

    /// Row-major, `values[row * columnCount + column]`; NaN is drawn grey.
    public var values: [Float]
    public var rowCount: Int
    public var columnCount: Int
    public var columns: ColumnAxis
    public var rows: RowAxis
    /// The colour bar's title, e.g. "activation (z)".
    public var colorbarLabel: String
    /// The line above the plot; empty for none.
    public var title: String
    /// Default blue-white-red: activations are signed, and white marks 0.
    public var colormap: Colormap = .blueWhiteRed
    /// Values mapped to the colour map's ends; nil: see `symmetricLimits`.
    public var colorLimits: ClosedRange<Float>? = nil
    /// With no `colorLimits`: -m...m for the largest finite magnitude m (so 0 is the map's
    /// middle) when true, min...max of the finite values when false.
    public var symmetricLimits: Bool = true
    /// Dashed vertical lines at these column-axis values, e.g. [0] for t = 0; only with
    /// `.values` columns.
    public var verticalMarkers: [Double] = []
    /// One column-axis value per row drawn as a dot in that row (NaN: none), e.g. each event's
    /// phone end time in an ERP image; only with `.values` columns.
    public var rowMarkers: [Double]? = nil
    /// Figure size in points; 800 x 500 suits a page-wide figure.
    public var size: (width: Double, height: Double) = (800, 500)
    /// PNG resolution: 2 pixels per point keeps text and IPA crisp.
    public var pixelsPerPoint: Double = 2

    public init(
        values: [Float], rowCount: Int, columnCount: Int, columns: ColumnAxis, rows: RowAxis, colorbarLabel: String,
        title: String
    ) {
        self.values = values
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.columns = columns
        self.rows = rows
        self.colorbarLabel = colorbarLabel
        self.title = title
    }

    /// Writes the figure to `url` as PNG, SVG or PDF, chosen by the extension (any case); see
    /// `FigureDrawing.writeFigure(to:)` for the checks made first.
    public func write(to url: URL) throws { try writeFigure(to: url) }

    static let untitled = "Matrix"

    // MARK: Data

    /// Checks every parameter; the error names the first bad one and what would be valid.
    func validate() throws {
        let invalid = FigureValidation.invalid
        try FigureValidation.checkMatrixShape(
            valuesName: "values", valuesCount: values.count, rowsName: "rowCount", rows: rowCount, rowUnit: "row",
            columnsName: "columnCount", columns: columnCount, columnUnit: "column")
        switch columns {
        case .values(let centers, _):
            try FigureValidation.checkStrictlyIncreasing(
                centers, name: "columns.values", items: "column centres", expectedCount: columnCount,
                countValid: "one value per column, \(columnCount)")
        case .categories(let labels, _):
            guard labels.count == columnCount else {
                throw invalid("columns.categories.count", labels.count, "one label per column, \(columnCount)")
            }
            let onlyWithValues = "none: markers need numeric columns, .values(_:label:)"
            guard verticalMarkers.isEmpty else { throw invalid("verticalMarkers", verticalMarkers, onlyWithValues) }
            guard rowMarkers == nil else { throw invalid("rowMarkers", "[\(rowCount) values]", onlyWithValues) }
        }
        if case .categories(let labels, _) = rows, labels.count != rowCount {
            throw invalid("rows.categories.count", labels.count, "one label per row, \(rowCount)")
        }
        try FigureValidation.checkFinite(verticalMarkers, name: "verticalMarkers", valid: "a finite column value")
        if let rowMarkers {
            guard rowMarkers.count == rowCount else {
                throw invalid("rowMarkers.count", rowMarkers.count, "one value per row, \(rowCount)")
            }
            if let bad = rowMarkers.firstIndex(where: \.isInfinite) {
                throw invalid("rowMarkers[\(bad)]", rowMarkers[bad], "a finite column value, or NaN for none")
            }
        }
        try FigureValidation.checkColorLimits(colorLimits)
        try FigureValidation.checkSize(size, pixelsPerPoint: pixelsPerPoint)
    }

    var resolvedColorLimits: ClosedRange<Float> {
        AutomaticColorLimits.resolved(colorLimits, matrices: [values], symmetric: symmetricLimits)
    }

    var colorBar: ColorBar {
        ColorBar(colormap: colormap, limits: resolvedColorLimits, label: colorbarLabel)
    }

    /// The column axis's cells with their values, for `.values` columns.
    var columnCenters: CellCenterAxis? {
        guard case .values(let centers, _) = columns else { return nil }
        return CellCenterAxis(centers: centers)
    }

    // MARK: Layout

    /// Where everything goes on a canvas; computed from measured text so that nothing is clipped.
    struct Layout {
        var plot: Rect
        var colorBar: Rect
        /// Along the bottom; positions are fractional column indices.
        var columnAxis: Axis
        /// Down the left; positions are fractional row indices counted from the bottom row.
        var rowAxis: Axis
        var titleCenterX: Double
    }

    func columnAxis(length: Double, on canvas: Canvas, style: FigureStyle) -> Axis {
        switch columns {
        case .values(let centers, let label):
            return CellCenterAxis(centers: centers).axis(
                edge: .bottom, length: length, title: label, on: canvas, style: style)
        case .categories(let labels, let label):
            return CategoryAxis.columns(labels, length: length, title: label, on: canvas, style: style)
        }
    }

    func rowAxis(length: Double, on canvas: Canvas, style: FigureStyle) -> Axis {
        switch rows {
        case .index(let label):
            return CategoryAxis.rowIndices(count: rowCount, length: length, title: label, on: canvas, style: style)
        case .categories(let labels, let label):
            return CategoryAxis.rows(labels, length: length, title: label, on: canvas, style: style)
        }
    }

    func layout(on canvas: Canvas, style: FigureStyle) -> Layout {
        let padding = style.outerPadding
        let top = padding + FigureTitle.height(of: title, on: canvas, style: style)
        // The column axis's height depends on the plot's width (crowded categories turn
        // upward), which depends on the row axis and colour bar, which depend on the plot's
        // height. Reserve the largest height met until the axis fits what is reserved.
        var reserved = 0.0
        var plot = Rect(x: 0, y: 0, width: 0, height: 0)
        var columnAxis = columnAxis(length: canvas.width, on: canvas, style: style)
        var rowAxis = rowAxis(length: canvas.height, on: canvas, style: style)
        var colorBarWidth = 0.0
        for _ in 0..<4 {
            let needed = columnAxis.thickness(on: canvas, style: style)
            if needed <= reserved && plot.width > 0 { break }
            reserved = max(reserved, needed)
            let height = max(canvas.height - padding - reserved - top, 1)
            rowAxis = self.rowAxis(length: height, on: canvas, style: style)
            colorBarWidth = colorBar.width(length: height, on: canvas, style: style)
            let left = padding + rowAxis.thickness(on: canvas, style: style)
            let right = canvas.width - padding - colorBarWidth - style.colorBarGap
            plot = Rect(x: left, y: top, width: max(right - left, 1), height: height)
            columnAxis = self.columnAxis(length: plot.width, on: canvas, style: style)
        }
        return Layout(
            plot: plot,
            colorBar: Rect(
                x: plot.maxX + style.colorBarGap, y: plot.minY, width: style.colorBarWidth, height: plot.height),
            columnAxis: columnAxis, rowAxis: rowAxis, titleCenterX: plot.midX)
    }

    // MARK: Drawing

    func draw(on canvas: Canvas, style: FigureStyle) throws {
        let layout = layout(on: canvas, style: style)
        let plot = layout.plot
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), color: style.background)
        let heatmap = HeatmapLayer(
            values: values, rowCount: rowCount, columnCount: columnCount, orientation: .rowsDownward,
            colormap: colormap, limits: resolvedColorLimits, missingValueColor: style.missingValueColor)
        try heatmap.draw(on: canvas, in: plot)
        if let centers = columnCenters {
            canvas.clipped(to: plot) {
                drawRowMarkers(centers: centers, layout: layout, on: canvas, style: style)
            }
            MarkerLines.draw(
                at: verticalMarkers.map(centers.index(of:)), axis: layout.columnAxis, across: plot, on: canvas,
                style: style)
        }
        canvas.stroke(plot, color: style.frameColor, lineWidth: style.lineWidth)
        layout.rowAxis.draw(on: canvas, along: plot, style: style)
        layout.columnAxis.draw(on: canvas, along: plot, style: style)
        try colorBar.draw(on: canvas, in: layout.colorBar, style: style)
        FigureTitle.draw(title, centeredAt: layout.titleCenterX, on: canvas, style: style)
    }

    /// A dot per row at its `rowMarkers` value: a third of a row across, but 0.8 to 5 points,
    /// so that dense ERP images show a curve and sparse ones show dots.
    private func drawRowMarkers(centers: CellCenterAxis, layout: Layout, on canvas: Canvas, style: FigureStyle) {
        guard let rowMarkers else { return }
        let rowHeight = layout.plot.height / Double(rowCount)
        let radius = min(max(rowHeight / 6, 0.4), 2.5)
        for (row, value) in rowMarkers.enumerated() where value.isFinite {
            let index = centers.index(of: value)
            guard index.isFinite else { continue }
            let center = Point(
                x: layout.columnAxis.coordinate(of: index, along: layout.plot),
                y: layout.rowAxis.coordinate(of: Double(rowCount - 1 - row), along: layout.plot))
            canvas.fillCircle(center: center, radius: radius, color: style.rowMarkerColor)
        }
    }
}
