import Foundation

/// A self-organising map drawn cell by cell on its rectangular or hexagonal grid: a small
/// patch per cell (e.g. 250 convolution filters re-arranged by similarity on a 2-D map), or
/// one value per cell as a filled square or hexagon (a U-matrix, hit counts).
///
/// Concretely: cell `row * columns + column` sits at row `row` from the top and column
/// `column` from the left (`SOMCellGeometry`; hexagonal grids shift odd rows right by half a
/// cell, pointy-topped hexagons). With `patches`, each patch is a `patchHeight` x `patchWidth`
/// matrix, row-major with patch row 0 at the bottom (frequency bin 0 low, time to the right),
/// drawn as sharp cells in the cell's square, or in the widest rectangle a hexagon holds
/// (0.8 of the cell across); nil patches (no item mapped) are light grey cells. With
/// `perPatchNormalization` each patch has its own limits, -m...m for its largest finite
/// magnitude m (`symmetricLimits`) or its own min...max, and the colour bar reads "−max, 0,
/// max"; without it every patch shares `colorLimits` (or automatic limits over all patches)
/// and the bar is numeric. With `cellValues` (the `init(rows:columns:topology:cellValues:...)`
/// U-matrix form) each cell is filled with its value's colour, NaN in grey, on
/// `colorLimits` or automatic limits, and the patches are not drawn. `counts` are printed small
/// in each cell's top-left corner (hexagons: in the cap above the patch).
///
/// Layout: the title; the grid as large as the page allows with its cells' true shape,
/// centred in the room left, the colour bar at its right; `patchAxisNote` centred under the grid.
///
/// ```swift
/// var figure = SOMGridFigure(
///     rows: 16, columns: 16, topology: .hexagonal, patches: filtersByCell, patchWidth: 48, patchHeight: 128,
///     colorbarLabel: "weight", title: "conv1 filters on a 16 x 16 SOM")
/// figure.counts = hitsByCell
/// figure.patchAxisNote = "each cell: frequency (up) x time (right)"
/// try figure.write(to: URL(fileURLWithPath: "som.png"))
/// ```
public struct SOMGridFigure: Sendable, FigureDrawing {
    /// How the cells tile the map.
    public enum Topology: String, Sendable, CaseIterable {
        /// Unit squares in rows and columns.
        case rectangular
        /// Pointy-topped hexagons, odd rows offset right by half a cell.
        case hexagonal
    }

    public var rows: Int
    public var columns: Int
    public var topology: Topology
    /// One entry per cell (`row * columns + column`), each `patchHeight * patchWidth` values,
    /// `patch[r * patchWidth + c]` with patch row 0 at the bottom; nil: no item mapped there.
    public var patches: [[Float]?]
    /// The size of every patch, e.g. 48 taps x 128 mel bins.
    public var patchWidth: Int
    public var patchHeight: Int
    /// One value per cell (e.g. a U-matrix: the mean distance to the neighbours' weights); when
    /// set, the cells are filled with their values' colours and `patches` are not drawn.
    public var cellValues: [Double]? = nil
    /// Items mapped to each cell, printed small in its corner; nil for none.
    public var counts: [Int]? = nil
    /// Default blue-white-red for signed filter weights (the U-matrix form uses viridis).
    public var colormap: Colormap = .blueWhiteRed
    /// Automatic limits -m...m for the largest finite magnitude m (true), else min...max.
    public var symmetricLimits: Bool = true
    /// Each patch on its own scale (filters differ in scale), the colour bar reading "−max, 0,
    /// max"; false: one scale for all (`colorLimits` or automatic) with a numeric colour bar.
    /// Not used with `cellValues`.
    public var perPatchNormalization: Bool = true
    /// Values mapped to the colour map's ends when the cells share a scale; nil: automatic.
    public var colorLimits: ClosedRange<Float>? = nil
    /// The colour bar's title, e.g. "weight".
    public var colorbarLabel: String
    /// The line above the figure; empty for none.
    public var title: String
    /// A line under the grid saying how to read a patch, e.g. "each cell: frequency (up) x
    /// time (right)"; empty for none.
    public var patchAxisNote: String = ""
    /// Figure size in points; 900 x 900 gives a 16 x 16 map cells of about 50 points.
    public var size: (width: Double, height: Double) = (900, 900)
    /// PNG resolution: 2 pixels per point keeps small patches and counts crisp.
    public var pixelsPerPoint: Double = 2

    /// A map of patches, one (or none) per cell.
    public init(
        rows: Int, columns: Int, topology: Topology, patches: [[Float]?], patchWidth: Int, patchHeight: Int,
        colorbarLabel: String, title: String
    ) {
        self.rows = rows
        self.columns = columns
        self.topology = topology
        self.patches = patches
        self.patchWidth = patchWidth
        self.patchHeight = patchHeight
        self.colorbarLabel = colorbarLabel
        self.title = title
    }

    /// A map of one value per cell, e.g. a U-matrix: viridis from the smallest to the largest
    /// value (not symmetric: distances start at 0, not in the middle).
    public init(
        rows: Int, columns: Int, topology: Topology, cellValues: [Double], colorbarLabel: String, title: String
    ) {
        self.init(
            rows: rows, columns: columns, topology: topology, patches: [], patchWidth: 0, patchHeight: 0,
            colorbarLabel: colorbarLabel, title: title)
        self.cellValues = cellValues
        colormap = .viridis
        symmetricLimits = false
    }

    /// Writes the figure to `url` as PNG, SVG or PDF, chosen by the extension (any case); see
    /// `FigureDrawing.writeFigure(to:)` for the checks made first.
    public func write(to url: URL) throws { try writeFigure(to: url) }

    static let untitled = "Self-organising map"

    // MARK: Data

    var cellCount: Int { rows * columns }

    /// Checks every parameter; the error names the first bad one and what would be valid.
    func validate() throws {
        let invalid = FigureValidation.invalid
        guard rows >= 1 else { throw invalid("rows", rows, "at least 1 row of cells") }
        guard columns >= 1 else { throw invalid("columns", columns, "at least 1 column of cells") }
        let cells = "one per cell, rows x columns = \(rows) x \(columns) = \(cellCount)"
        if let cellValues {
            guard cellValues.count == cellCount else { throw invalid("cellValues.count", cellValues.count, cells) }
            if let bad = cellValues.firstIndex(where: \.isInfinite) {
                throw invalid("cellValues[\(bad)]", cellValues[bad], "a finite value, or NaN for none")
            }
        } else {
            guard patchWidth >= 1 else { throw invalid("patchWidth", patchWidth, "at least 1 column per patch") }
            guard patchHeight >= 1 else { throw invalid("patchHeight", patchHeight, "at least 1 row per patch") }
            guard patches.count == cellCount else { throw invalid("patches.count", patches.count, cells) }
            let valuesPerPatch = patchWidth * patchHeight
            if let bad = patches.firstIndex(where: { ($0?.count ?? valuesPerPatch) != valuesPerPatch }) {
                throw invalid(
                    "patches[\(bad)].count", patches[bad]?.count ?? 0,
                    "patchHeight x patchWidth = \(patchHeight) x \(patchWidth) = \(valuesPerPatch) values, or nil")
            }
        }
        if let counts {
            guard counts.count == cellCount else { throw invalid("counts.count", counts.count, cells) }
            if let bad = counts.firstIndex(where: { $0 < 0 }) {
                throw invalid("counts[\(bad)]", counts[bad], "a count >= 0")
            }
        }
        try FigureValidation.checkColorLimits(colorLimits)
        try FigureValidation.checkSize(size, pixelsPerPoint: pixelsPerPoint)
    }

    var geometry: SOMCellGeometry { SOMCellGeometry(rows: rows, columns: columns, topology: topology) }

    /// Whether each patch gets its own limits (patches only).
    var scalesEachPatch: Bool { cellValues == nil && perPatchNormalization }

    /// The limits every cell shares: of the cell values, or of all patches.
    var sharedColorLimits: ClosedRange<Float> {
        let matrices = cellValues.map { [$0.map { Float($0) }] } ?? patches.compactMap { $0 }
        return AutomaticColorLimits.resolved(colorLimits, matrices: matrices, symmetric: symmetricLimits)
    }

    /// The limits patch `patch` is drawn with.
    func colorLimits(ofPatch patch: [Float]) -> ClosedRange<Float> {
        scalesEachPatch
            ? AutomaticColorLimits.resolved(nil, matrices: [patch], symmetric: symmetricLimits) : sharedColorLimits
    }

    var colorBar: ColorBar {
        guard scalesEachPatch else {
            return ColorBar(colormap: colormap, limits: sharedColorLimits, label: colorbarLabel)
        }
        var bar = ColorBar(colormap: colormap, limits: symmetricLimits ? -1...1 : 0...1, label: colorbarLabel)
        bar.fixedTicks =
            symmetricLimits
            ? [
                Tick(position: -1, label: "\u{2212}max"), Tick(position: 0, label: "0"),
                Tick(position: 1, label: "max"),
            ]
            : [Tick(position: 0, label: "min"), Tick(position: 1, label: "max")]
        return bar
    }

    // MARK: Layout

    /// Where everything goes on a canvas; computed from measured text so that nothing is clipped.
    struct Layout {
        /// The grid's extent on the page; one cell unit is `scale` points.
        var grid: Rect
        var scale: Double
        var colorBar: Rect
        var countFontSize: Double
        var titleCenterX: Double

        /// The page position of a point in cell units.
        func point(_ x: Double, _ y: Double) -> Point {
            Point(x: grid.minX + x * scale, y: grid.minY + y * scale)
        }
    }

    func layout(on canvas: Canvas, style: FigureStyle) -> Layout {
        let padding = style.outerPadding
        let top = padding + FigureTitle.height(of: title, on: canvas, style: style)
        let noteHeight =
            patchAxisNote.isEmpty
            ? 0 : style.axisTitleGap + canvas.inkSize(of: patchAxisNote, fontSize: style.tickLabelSize).height
        let height = max(canvas.height - padding - noteHeight - top, 1)
        let barWidth = colorBar.width(length: height, on: canvas, style: style)
        let width = max(canvas.width - 2 * padding - barWidth - style.colorBarGap, 1)
        let geometry = geometry
        let scale = min(width / geometry.width, height / geometry.height)
        // Centred in the room left; the note follows the grid's bottom.
        let grid = Rect(
            x: padding + (width - scale * geometry.width) / 2, y: top + (height - scale * geometry.height) / 2,
            width: scale * geometry.width, height: scale * geometry.height)
        return Layout(
            grid: grid, scale: scale,
            colorBar: Rect(
                x: grid.maxX + style.colorBarGap, y: grid.minY, width: style.colorBarWidth, height: grid.height),
            countFontSize: min(max(0.15 * scale, 4.5), 8), titleCenterX: grid.midX)
    }

    // MARK: Drawing

    /// Squares inset by this many cell units keep neighbouring patches apart.
    static let squareInset = 0.05

    func draw(on canvas: Canvas, style: FigureStyle) throws {
        let layout = layout(on: canvas, style: style)
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), color: style.background)
        let limits = sharedColorLimits
        for row in 0..<rows {
            for column in 0..<columns {
                let cell = row * columns + column
                if let cellValues {
                    drawValue(cellValues[cell], row: row, column: column, limits: limits, layout: layout, on: canvas)
                } else {
                    try drawPatch(patches[cell], row: row, column: column, layout: layout, on: canvas, style: style)
                }
                if let counts {
                    drawCount(counts[cell], row: row, column: column, layout: layout, on: canvas, style: style)
                }
            }
        }
        try colorBar.draw(on: canvas, in: layout.colorBar, style: style)
        if !patchAxisNote.isEmpty {
            canvas.draw(
                text: patchAxisNote, at: Point(x: layout.grid.midX, y: layout.grid.maxY + style.axisTitleGap),
                fontSize: style.tickLabelSize, color: style.textColor, horizontal: .center, vertical: .top)
        }
        FigureTitle.draw(title, centeredAt: layout.titleCenterX, on: canvas, style: style)
    }

    /// The cell's outline on the page.
    private func outline(row: Int, column: Int, layout: Layout) -> [Point] {
        geometry.outline(row: row, column: column).map { layout.point($0.x, $0.y) }
    }

    /// The page rectangle a cell's patch fills; `topStrip` points kept for a count in squares.
    func patchRect(row: Int, column: Int, layout: Layout, topStrip: Double) -> Rect {
        let box = geometry.patchBox(
            row: row, column: column, inset: SOMGridFigure.squareInset, topStrip: topStrip / layout.scale)
        let origin = layout.point(box.x, box.y)
        return Rect(x: origin.x, y: origin.y, width: box.width * layout.scale, height: box.height * layout.scale)
    }

    /// The strip kept above a square cell's patch for its count.
    private func countStrip(layout: Layout) -> Double {
        counts == nil || topology == .hexagonal ? 0 : 1.3 * layout.countFontSize
    }

    private func drawPatch(
        _ patch: [Float]?, row: Int, column: Int, layout: Layout, on canvas: Canvas, style: FigureStyle
    ) throws {
        let outline = outline(row: row, column: column, layout: layout)
        let rect = patchRect(row: row, column: column, layout: layout, topStrip: countStrip(layout: layout))
        if topology == .hexagonal {
            if patch == nil {
                canvas.fillAndStroke(polygon: outline, color: style.emptyCellColor, lineWidth: style.lineWidth / 2)
            }
            canvas.polyline(outline + outline.prefix(1), color: style.cellOutlineColor, lineWidth: style.lineWidth / 2)
        }
        guard let patch else {
            if topology == .rectangular { canvas.fill(rect, color: style.emptyCellColor) }
            return
        }
        // Patch row 0 is the bottom row on the page: flip to a top-down matrix.
        var topDown = [Float]()
        topDown.reserveCapacity(patch.count)
        for patchRow in (0..<patchHeight).reversed() {
            topDown.append(contentsOf: patch[(patchRow * patchWidth)..<((patchRow + 1) * patchWidth)])
        }
        let heatmap = HeatmapLayer(
            values: topDown, rowCount: patchHeight, columnCount: patchWidth, orientation: .rowsDownward,
            colormap: colormap, limits: colorLimits(ofPatch: patch), missingValueColor: style.missingValueColor)
        try heatmap.draw(on: canvas, in: rect)
    }

    private func drawValue(
        _ value: Double, row: Int, column: Int, limits: ClosedRange<Float>, layout: Layout, on canvas: Canvas
    ) {
        let color = cellColor(value, limits: limits, style: .standard)
        // A hairline of the same colour closes the anti-aliased seams between cells.
        canvas.fillAndStroke(polygon: outline(row: row, column: column, layout: layout), color: color, lineWidth: 0.4)
    }

    /// The colour of a cell value on `limits`, NaN in the style's missing-value grey.
    func cellColor(_ value: Double, limits: ClosedRange<Float>, style: FigureStyle) -> RGBColor {
        guard !value.isNaN else { return style.missingValueColor }
        let low = Double(limits.lowerBound)
        let span = Double(limits.upperBound) - low
        return colormap.color(at: span > 0 ? (value - low) / span : 0.5)
    }

    private func drawCount(
        _ count: Int, row: Int, column: Int, layout: Layout, on canvas: Canvas, style: FigureStyle
    ) {
        let size = layout.countFontSize
        let text = "\(count)"
        var color = style.textColor
        if let cellValues {
            // Over a filled cell: white on dark colours, dark on light ones.
            let fill = cellColor(cellValues[row * columns + column], limits: sharedColorLimits, style: style)
            let luminance = 0.2126 * fill.red + 0.7152 * fill.green + 0.0722 * fill.blue
            color = luminance < 0.45 ? .white : style.textColor
        }
        let (x, y) = geometry.center(row: row, column: column)
        if topology == .hexagonal {
            // Centred in the cap between the patch's top and the hexagon's top vertex.
            let cap = cellValues == nil ? (SOMCellGeometry.hexagonRadius * 0.6 + SOMCellGeometry.hexagonRadius) / 2 : 0
            canvas.draw(
                text: text, at: layout.point(x, y - cap), fontSize: size, color: color, horizontal: .center,
                vertical: .center)
        } else {
            let corner = layout.point(x - 0.5 + SOMGridFigure.squareInset, y - 0.5 + SOMGridFigure.squareInset)
            canvas.draw(
                text: text, at: Point(x: corner.x + 1, y: corner.y + 0.5), fontSize: size, color: color,
                horizontal: .leading, vertical: .top)
        }
    }
}
