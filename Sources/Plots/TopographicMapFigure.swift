import Foundation

/// One panel of a `TopographicMapFigure`: a title and one value per SOM cell.
public struct TopographicPanel: Sendable {
    /// The line above the panel, e.g. a phoneme ("ʃ (n = 412)").
    public var title: String
    /// One value per cell, in the order of the figure's `cellPositions`; NaN: no value.
    public var values: [Double]

    public init(title: String, values: [Double]) {
        self.title = title
        self.values = values
    }
}

/// EEG scalp-map style maps of a self-organising map, one panel per group (e.g. phoneme): a
/// value per cell spread smoothly over the map, on one colour scale for every panel [TOPOMAP23].
///
/// Concretely: each panel's values are interpolated from the cell centres onto a grid of
/// square samples, `resolution` along the map's longer side (`TopographicInterpolation`:
/// modified Shepard weights within 1.5 cell spacings, exact at every centre, NaN cells left
/// out), for rectangular and hexagonal grids alike, and drawn as sharp pixels through
/// `colormap`; the map is the centres' bounding box grown by half a spacing (less what lies
/// more than 1.15 spacings from every centre, for scattered positions). All panels share
/// `colorLimits`, by default -m...m for the largest finite magnitude m over every panel, so
/// white is 0 on the default blue-white-red map. Cell centres are faint dots
/// (`showsCellCenters`).
///
/// Layout: the title; the panels in `columns` columns, row by row, each with its title above
/// and the map's true aspect ratio, the grid centred in the room left; one colour bar right of
/// the grid. Text shrinks with the
/// panels, down to 75 % (`PanelGrid.textScale`).
///
/// ```swift
/// let figure = TopographicMapFigure(
///     cellPositions: GridPoint.cellCenters(rows: 16, columns: 16, topology: .hexagonal),
///     panels: phonemes.map { TopographicPanel(title: $0.ipa, values: $0.meanActivationPerCell) },
///     colorbarLabel: "mean activation", title: "conv3 SOM: where each phoneme lands")
/// try figure.write(to: URL(fileURLWithPath: "topomaps.png"))
/// ```
public struct TopographicMapFigure: Sendable, FigureDrawing {
    /// The planar centre of every cell (see `GridPoint.cellCenters` for a SOM's), at least one,
    /// finite; y grows down the page.
    public var cellPositions: [GridPoint]
    /// The panels, at least one, each with one value per cell.
    public var panels: [TopographicPanel]
    /// Panels per row; 6 columns of 40 groups gives 7 rows.
    public var columns: Int = 6
    /// Samples along the map's longer side, 2 to 1000; 100 is smooth in panels up to about
    /// 200 points across (each sample is a sharp square; raise it for larger panels).
    public var resolution: Int = 100
    /// Default blue-white-red: mean activations are signed, and white marks 0.
    public var colormap: Colormap = .blueWhiteRed
    /// Values mapped to the colour map's ends, for every panel; nil: -m...m over all panels.
    public var colorLimits: ClosedRange<Float>? = nil
    /// Faint dots at the cell centres.
    public var showsCellCenters: Bool = true
    /// The colour bar's title, e.g. "mean activation".
    public var colorbarLabel: String
    /// The line above the figure; empty for none.
    public var title: String
    /// Figure size in points; 900 x 700 fits 40 panels of a square map in 6 columns.
    public var size: (width: Double, height: Double) = (900, 700)
    /// PNG resolution: 2 pixels per point keeps small text crisp.
    public var pixelsPerPoint: Double = 2

    public init(cellPositions: [GridPoint], panels: [TopographicPanel], colorbarLabel: String, title: String) {
        self.cellPositions = cellPositions
        self.panels = panels
        self.colorbarLabel = colorbarLabel
        self.title = title
    }

    /// Writes the figure to `url` as PNG, SVG or PDF, chosen by the extension (any case); see
    /// `FigureDrawing.writeFigure(to:)` for the checks made first.
    public func write(to url: URL) throws { try writeFigure(to: url) }

    static let untitled = "Topographic maps"

    // MARK: Data

    /// Checks every parameter; the error names the first bad one and what would be valid.
    func validate() throws {
        let invalid = FigureValidation.invalid
        guard !cellPositions.isEmpty else { throw invalid("cellPositions.count", 0, "at least 1 cell") }
        if let bad = cellPositions.firstIndex(where: { !$0.x.isFinite || !$0.y.isFinite }) {
            let position = cellPositions[bad]
            throw invalid("cellPositions[\(bad)]", "(\(position.x), \(position.y))", "a finite position")
        }
        guard !panels.isEmpty else { throw invalid("panels.count", 0, "at least 1 panel") }
        for (index, panel) in panels.enumerated() {
            guard panel.values.count == cellPositions.count else {
                throw invalid(
                    "panels[\(index)].values.count", panel.values.count,
                    "one value per cell position, \(cellPositions.count)")
            }
            if let bad = panel.values.firstIndex(where: \.isInfinite) {
                throw invalid("panels[\(index)].values[\(bad)]", panel.values[bad], "a finite value, or NaN for none")
            }
        }
        try FigureValidation.checkColumns(columns)
        guard resolution >= 2 && resolution <= 1000 else {
            throw invalid("resolution", resolution, "2 to 1000 samples along the map's longer side")
        }
        try FigureValidation.checkColorLimits(colorLimits)
        try FigureValidation.checkSize(size, pixelsPerPoint: pixelsPerPoint)
    }

    var resolvedColorLimits: ClosedRange<Float> {
        AutomaticColorLimits.resolved(
            colorLimits, matrices: panels.map { $0.values.map { Float($0) } }, symmetric: true)
    }

    var colorBar: ColorBar {
        ColorBar(colormap: colormap, limits: resolvedColorLimits, label: colorbarLabel)
    }

    // MARK: Layout

    /// Where everything goes on a canvas; computed from measured text so that nothing is clipped.
    struct Layout {
        /// The figure's style with its text scaled for the grid.
        var style: FigureStyle
        var interpolation: TopographicInterpolation
        /// Each panel's map: the samples' pixels, half a step beyond the outer samples.
        var grid: PanelGrid
        var panelTitles: PanelTitles
        var colorBar: Rect
        var titleCenterX: Double

        /// Where a point in cell units lands on the map of panel `index`.
        func point(_ position: GridPoint, inPanel index: Int) -> Point {
            let plot = grid.plots[index]
            let scale = plot.width / (Double(interpolation.columns) * interpolation.step)
            let left = interpolation.origin.x - interpolation.step / 2
            let top = interpolation.origin.y - interpolation.step / 2
            return Point(x: plot.minX + (position.x - left) * scale, y: plot.minY + (position.y - top) * scale)
        }
    }

    func layout(on canvas: Canvas, style baseStyle: FigureStyle) -> Layout {
        let padding = baseStyle.outerPadding
        let columns = min(columns, panels.count)
        let rows = (panels.count + columns - 1) / columns
        let style = baseStyle.scaled(
            by: PanelGrid.textScale(
                width: canvas.width - 2 * padding - 90, height: canvas.height - 2 * padding - 30, columns: columns,
                rows: rows))
        let interpolation = TopographicInterpolation(points: cellPositions, resolution: resolution)
        let aspect = Double(interpolation.rows) / Double(interpolation.columns)

        let top = padding + FigureTitle.height(of: title, on: canvas, style: baseStyle)
        let panelTitles = PanelTitles(panels.map(\.title), on: canvas, style: style)
        let titleHeight = panelTitles.height(style: style)
        let gap = style.panelGap
        let height = canvas.height - padding - top
        let barWidth = colorBar.width(length: height, on: canvas, style: style)
        let width = canvas.width - 2 * padding - barWidth - style.colorBarGap
        // The largest maps of the true aspect that fit both ways.
        let mapWidth = max(
            min(
                (width - Double(columns - 1) * gap) / Double(columns),
                ((height + gap) / Double(rows) - gap - titleHeight) / aspect), 1)
        let mapHeight = mapWidth * aspect
        let gridWidth = Double(columns) * mapWidth + Double(columns - 1) * gap
        let gridHeight = Double(rows) * (titleHeight + mapHeight) + Double(rows - 1) * gap
        // Centred in the room left.
        let left = padding + (width - gridWidth) / 2
        let grid = PanelGrid(
            panelCount: panels.count, columns: columns,
            area: Rect(x: left, y: top + max(height - gridHeight, 0) / 2, width: gridWidth, height: gridHeight),
            titleHeight: titleHeight,
            columnGap: gap, rowGap: gap)
        let bounds = grid.bounds
        return Layout(
            style: style, interpolation: interpolation, grid: grid, panelTitles: panelTitles,
            colorBar: Rect(
                x: bounds.maxX + style.colorBarGap, y: bounds.minY, width: style.colorBarWidth, height: bounds.height),
            titleCenterX: bounds.midX)
    }

    // MARK: Drawing

    func draw(on canvas: Canvas, style baseStyle: FigureStyle) throws {
        let layout = layout(on: canvas, style: baseStyle)
        let style = layout.style
        let interpolation = layout.interpolation
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), color: style.background)
        let limits = resolvedColorLimits
        for (index, panel) in panels.enumerated() {
            let plot = layout.grid.plots[index]
            var heatmap = HeatmapLayer(
                values: interpolation.samples(of: panel.values), rowCount: interpolation.rows,
                columnCount: interpolation.columns, orientation: .rowsDownward, colormap: colormap, limits: limits,
                missingValueColor: style.missingValueColor)
            heatmap.inside = interpolation.inside
            heatmap.outsideColor = style.background
            try heatmap.draw(on: canvas, in: plot)
            if showsCellCenters {
                let radius = min(
                    max(
                        0.07 * interpolation.spacing * plot.width / Double(interpolation.columns)
                            / interpolation.step, 0.3), 1)
                for position in cellPositions {
                    canvas.fillCircle(
                        center: layout.point(position, inPanel: index), radius: radius, color: style.cellCenterColor)
                }
            }
            layout.panelTitles.draw(panel.title, above: plot, on: canvas, style: style)
        }
        try colorBar.draw(on: canvas, in: layout.colorBar, style: style)
        FigureTitle.draw(title, centeredAt: layout.titleCenterX, on: canvas, style: baseStyle)
    }
}
