import Foundation

/// Attribution maps over their images: one row per image, the image itself in the first
/// column and one explainer per further column, each map blended over the image.
///
/// Concretely: every map is scaled by its own largest |value| (maps of different methods are
/// not on one scale; the colour bar says so with ticks -max, 0, max); a pixel's colour is
/// the colour map at the scaled value, laid over the image (dark ink on white) with opacity
/// `blend` times |scaled value|, so zero attribution shows the image and strong attribution
/// shows the colour. Images are `height` x `width` values in [0, 1] (1 = ink), row-major,
/// top row first; maps have the same layout. A NaN map cell is grey.
///
/// ```swift
/// var figure = AttributionGridFigure(
///     rows: [.init(label: "3 (p 0.99)", image: pixels, maps: [saliency, gradCam])],
///     columnTitles: ["saliency", "Grad-CAM"], height: 8, width: 8, title: "Digit model")
/// try figure.write(to: URL(fileURLWithPath: "explain.png"))
/// ```
public struct AttributionGridFigure: Sendable, FigureDrawing {
    public struct Row: Sendable {
        public var label: String
        public var image: [Float]
        public var maps: [[Float]]

        public init(label: String, image: [Float], maps: [[Float]]) {
            self.label = label
            self.image = image
            self.maps = maps
        }
    }

    public var rows: [Row]
    /// One title per map column (the image column is titled `imageTitle`).
    public var columnTitles: [String]
    public var height: Int
    public var width: Int
    public var title: String
    public var imageTitle = "input"
    public var colormap: Colormap = .blueWhiteRed
    /// Opacity of a map at its largest |value|.
    public var blend: Double = 0.85
    public var colorbarLabel = "attribution (each map scaled to its largest |value|)"
    /// Whether to draw the colour bar (not for images alone).
    public var showsColorBar = true
    /// Side of one panel in points.
    public var panelSize: Double = 110
    public var pixelsPerPoint: Double = 2

    public init(rows: [Row], columnTitles: [String], height: Int, width: Int, title: String) {
        self.rows = rows
        self.columnTitles = columnTitles
        self.height = height
        self.width = width
        self.title = title
    }

    static let untitled = "Attribution maps"
    /// Room for the row labels: about 5.6 points per character at 10 points, plus a gap.
    var rowLabelWidth: Double { max(60, Double(rows.map(\.label.count).max() ?? 0) * 5.6 + 16) }
    static let colorBarRoom = 90.0
    static let panelGap = 8.0

    public var size: (width: Double, height: Double) {
        let columns = Double(columnTitles.count + 1)
        let gaps = Self.panelGap
        return (
            max(260, rowLabelWidth + columns * (panelSize + gaps) + (showsColorBar ? Self.colorBarRoom : 0) + 20),
            max(180, 70 + Double(rows.count) * (panelSize + gaps) + 10)
        )
    }

    public func write(to url: URL) throws { try writeFigure(to: url) }

    func validate() throws {
        let invalid = FigureValidation.invalid
        guard !rows.isEmpty else { throw invalid("rows", "[]", "at least one row") }
        guard height >= 1, width >= 1 else { throw invalid("height x width", "\(height) x \(width)", "1 x 1 or more") }
        for (index, row) in rows.enumerated() {
            guard row.image.count == height * width else {
                throw invalid("rows[\(index)].image.count", row.image.count, "height x width = \(height * width)")
            }
            guard row.maps.count == columnTitles.count else {
                throw invalid(
                    "rows[\(index)].maps.count", row.maps.count, "one map per column title, \(columnTitles.count)")
            }
            for (column, map) in row.maps.enumerated() where map.count != height * width {
                throw invalid("rows[\(index)].maps[\(column)].count", map.count, "height x width = \(height * width)")
            }
        }
        guard blend >= 0, blend <= 1 else { throw invalid("blend", blend, "0...1") }
        guard panelSize >= 20 else { throw invalid("panelSize", panelSize, "20 points or more") }
        try FigureValidation.checkSize(size, pixelsPerPoint: pixelsPerPoint)
    }

    /// The blended bitmap of one panel: `map` nil draws the image alone.
    func bitmap(image: [Float], map: [Float]?, style: FigureStyle) throws -> CairoSurface {
        let surface = try CairoSurface.image(width: width, height: height)
        let peak = map.map { values in values.filter(\.isFinite).map { abs($0) }.max() ?? 0 } ?? 0
        try surface.withPixels { pixels, stride in
            for y in 0..<height {
                for x in 0..<width {
                    let index = y * width + x
                    let ink = Double(min(max(image[index], 0), 1))
                    let base = RGBColor(gray: 1 - 0.8 * ink)
                    var color = base
                    if let map {
                        let value = map[index]
                        if value.isNaN {
                            color = style.missingValueColor
                        } else if peak > 0 {
                            let scaled = Double(max(min(value / peak, 1), -1))
                            let heat = colormap.color(at: (scaled + 1) / 2)
                            let alpha = blend * abs(scaled)
                            color = RGBColor(
                                red: (1 - alpha) * base.red + alpha * heat.red,
                                green: (1 - alpha) * base.green + alpha * heat.green,
                                blue: (1 - alpha) * base.blue + alpha * heat.blue)
                        }
                    }
                    pixels[y * stride + x] = color.rgb24Pixel
                }
            }
        }
        return surface
    }

    func draw(on canvas: Canvas, style: FigureStyle) throws {
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: canvas.height), color: style.background)
        let top = style.outerPadding + FigureTitle.height(of: title, on: canvas, style: style)
        FigureTitle.draw(title, centeredAt: canvas.width / 2, on: canvas, style: style)
        let titles = [imageTitle] + columnTitles
        let panelTitles = PanelTitles(titles, on: canvas, style: style)
        let gridTop = top + panelTitles.height(style: style)
        let step = panelSize + Self.panelGap
        let left = style.outerPadding + rowLabelWidth
        for (r, row) in rows.enumerated() {
            let y = gridTop + Double(r) * step
            canvas.draw(
                text: row.label, at: Point(x: left - 8, y: y + panelSize / 2), fontSize: style.tickLabelSize,
                color: style.textColor, horizontal: .trailing, vertical: .center)
            for column in 0..<titles.count {
                let rect = Rect(x: left + Double(column) * step, y: y, width: panelSize, height: panelSize)
                let map = column == 0 ? nil : row.maps[column - 1]
                canvas.draw(image: try bitmap(image: row.image, map: map, style: style), in: rect)
                canvas.stroke(rect, color: style.frameColor, lineWidth: style.lineWidth)
                if r == 0 { panelTitles.draw(titles[column], above: rect, on: canvas, style: style) }
            }
        }
        guard showsColorBar else { return }
        var bar = ColorBar(colormap: colormap, limits: -1...1, label: colorbarLabel)
        bar.fixedTicks = [
            Tick(position: -1, label: "\u{2212}max"), Tick(position: 0, label: "0"), Tick(position: 1, label: "max"),
        ]
        let barHeight = min(Double(rows.count) * step - Self.panelGap, 300)
        let barX = left + Double(titles.count) * step + 4
        try bar.draw(
            on: canvas, in: Rect(x: barX, y: gridTop, width: style.colorBarWidth, height: barHeight), style: style)
    }
}
