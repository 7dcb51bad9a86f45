import Foundation

/// Rows of small pictures with a caption under each: the images that drive a unit hardest with
/// the patch it sees outlined, a query image beside its nearest neighbours, or a layer's filters.
///
/// Concretely: cell `rows[r].cells[c]` shows `values`, `height` x `width` numbers row after row
/// (row 0 at the top). `Shading.ink` draws pixel intensities in [0, 1] as dark ink on white (as
/// the attribution figures do); `Shading.signed` maps -m...m onto the blue-white-red colour
/// map, m the largest finite |value| of the whole figure unless `limit` is given, with a colour
/// bar titled `colorbarLabel`, so filters are compared on one scale. An `outline` is drawn as
/// a red rectangle around those pixels. Panels are `panelSize` points tall and as wide as the
/// pictures' aspect ratio makes them; row labels sit on the left, `columnTitles` (optional)
/// above the first row.
public struct ImageGalleryFigure: Sendable, FigureDrawing {
    public enum Shading: Sendable, Equatable {
        case ink
        case signed(limit: Float?)
    }

    public struct Cell: Sendable {
        public var values: [Float]
        public var caption: String
        /// Inclusive pixel rows and columns to outline.
        public var outline: (rows: ClosedRange<Int>, columns: ClosedRange<Int>)?

        public init(
            values: [Float], caption: String = "", outline: (rows: ClosedRange<Int>, columns: ClosedRange<Int>)? = nil
        ) {
            self.values = values
            self.caption = caption
            self.outline = outline
        }
    }

    public struct Row: Sendable {
        public var label: String
        public var cells: [Cell]
        public init(label: String, cells: [Cell]) {
            self.label = label
            self.cells = cells
        }
    }

    public var rows: [Row]
    public var height: Int
    public var width: Int
    public var title: String
    public var shading: Shading = .ink
    public var colorbarLabel = "weight"
    public var colormap: Colormap = .blueWhiteRed
    public var columnTitles: [String] = []
    /// The panels' height in points.
    public var panelSize: Double = 70
    public var pixelsPerPoint: Double = 2
    public var outlineColor = RGBColor(red: 0.85, green: 0.1, blue: 0.1)

    public init(rows: [Row], height: Int, width: Int, title: String) {
        self.rows = rows
        self.height = height
        self.width = width
        self.title = title
    }

    static let untitled = "Image gallery"
    static let gap = 8.0
    static let captionRoom = 14.0
    static let colorBarRoom = 90.0

    var panelWidth: Double { min(4 * panelSize, panelSize * Double(width) / Double(max(height, 1))) }
    var rowLabelWidth: Double { max(40, Double(rows.map(\.label.count).max() ?? 0) * 5.6 + 16) }
    var columns: Int { rows.map(\.cells.count).max() ?? 0 }
    var hasCaptions: Bool { rows.contains { $0.cells.contains { !$0.caption.isEmpty } } }
    var rowStep: Double { panelSize + Self.gap + (hasCaptions ? Self.captionRoom : 0) }
    var showsColorBar: Bool { if case .signed = shading { return true } else { return false } }

    public var size: (width: Double, height: Double) {
        (
            max(
                260, Double(title.count) * 7.4 + 2 * 10,
                20 + rowLabelWidth + Double(columns) * (panelWidth + Self.gap) + (showsColorBar ? Self.colorBarRoom : 0)
            ),
            max(160, 70 + (columnTitles.isEmpty ? 0 : 16) + Double(rows.count) * rowStep + 10)
        )
    }

    public func write(to url: URL) throws { try writeFigure(to: url) }

    func validate() throws {
        let invalid = FigureValidation.invalid
        guard !rows.isEmpty, columns >= 1 else { throw invalid("rows", "no cells", "at least one cell") }
        guard height >= 1, width >= 1 else { throw invalid("height x width", "\(height) x \(width)", "1 x 1 or more") }
        for (r, row) in rows.enumerated() {
            for (c, cell) in row.cells.enumerated() {
                guard cell.values.count == height * width else {
                    throw invalid("rows[\(r)].cells[\(c)].values.count", cell.values.count, "\(height * width)")
                }
                if let outline = cell.outline,
                    outline.rows.lowerBound < 0 || outline.rows.upperBound >= height || outline.columns.lowerBound < 0
                        || outline.columns.upperBound >= width
                {
                    throw invalid(
                        "rows[\(r)].cells[\(c)].outline", "\(outline.rows), \(outline.columns)",
                        "rows 0...\(height - 1), columns 0...\(width - 1)")
                }
            }
        }
        if case .signed(let limit?) = shading, !(limit > 0) { throw invalid("limit", limit, "a positive number") }
        guard panelSize >= 10 else { throw invalid("panelSize", panelSize, "10 points or more") }
        try FigureValidation.checkSize(size, pixelsPerPoint: pixelsPerPoint)
    }

    /// The largest finite |value| of every cell (signed shading's scale).
    var peak: Float {
        if case .signed(let limit?) = shading { return limit }
        let m = rows.flatMap { $0.cells.flatMap { $0.values.filter(\.isFinite).map { abs($0) } } }.max() ?? 0
        return m > 0 ? m : 1
    }

    func bitmap(_ cell: Cell, peak: Float, style: FigureStyle) throws -> CairoSurface {
        let surface = try CairoSurface.image(width: width, height: height)
        try surface.withPixels { pixels, stride in
            for y in 0..<height {
                for x in 0..<width {
                    let value = cell.values[y * width + x]
                    let color: RGBColor
                    if !value.isFinite {
                        color = style.missingValueColor
                    } else if case .signed = shading {
                        color = colormap.color(at: (Double(max(min(value / peak, 1), -1)) + 1) / 2)
                    } else {
                        color = RGBColor(gray: 1 - 0.8 * Double(min(max(value, 0), 1)))
                    }
                    pixels[y * stride + x] = color.rgb24Pixel
                }
            }
        }
        return surface
    }

    func draw(on canvas: Canvas, style: FigureStyle) throws {
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), color: style.background)
        var top = style.outerPadding + FigureTitle.height(of: title, on: canvas, style: style)
        FigureTitle.draw(title, centeredAt: canvas.width / 2, on: canvas, style: style)
        let left = style.outerPadding + rowLabelWidth
        let scale = peak
        let titles = PanelTitles(columnTitles, on: canvas, style: style)
        if !columnTitles.isEmpty { top += titles.height(style: style) }
        for (r, row) in rows.enumerated() {
            let y = top + Double(r) * rowStep
            canvas.draw(
                text: row.label, at: Point(x: left - 8, y: y + panelSize / 2), fontSize: style.tickLabelSize,
                color: style.textColor, horizontal: .trailing, vertical: .center)
            for (c, cell) in row.cells.enumerated() {
                let rect = Rect(
                    x: left + Double(c) * (panelWidth + Self.gap), y: y, width: panelWidth, height: panelSize)
                canvas.draw(image: try bitmap(cell, peak: scale, style: style), in: rect)
                canvas.stroke(rect, color: style.frameColor, lineWidth: style.lineWidth)
                if let outline = cell.outline {
                    let (sx, sy) = (panelWidth / Double(width), panelSize / Double(height))
                    canvas.stroke(
                        Rect(
                            x: rect.x + Double(outline.columns.lowerBound) * sx + 1,
                            y: rect.y + Double(outline.rows.lowerBound) * sy + 1,
                            width: Double(outline.columns.count) * sx - 2, height: Double(outline.rows.count) * sy - 2),
                        color: outlineColor, lineWidth: 2)
                }
                if !cell.caption.isEmpty {
                    canvas.draw(
                        text: cell.caption, at: Point(x: rect.x + panelWidth / 2, y: y + panelSize + 3),
                        fontSize: style.tickLabelSize * 0.85, color: style.textColor, horizontal: .center,
                        vertical: .top)
                }
                if r == 0, c < columnTitles.count {
                    titles.draw(columnTitles[c], above: rect, on: canvas, style: style)
                }
            }
        }
        guard showsColorBar else { return }
        let bar = ColorBar(colormap: colormap, limits: -scale...scale, label: colorbarLabel)
        let barX = left + Double(columns) * (panelWidth + Self.gap) + 4
        let barHeight = min(Double(rows.count) * rowStep - Self.gap, 300)
        try bar.draw(
            on: canvas, in: Rect(x: barX, y: top, width: style.colorBarWidth, height: max(barHeight, 80)),
            style: style)
    }
}
