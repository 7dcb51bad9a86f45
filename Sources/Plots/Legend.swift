/// A legend of line series: one row per entry, a short line in the series' colour and dash
/// pattern, then its label, in as many columns as the space beside the plots needs.
///
/// Concretely: for label sizes from `style.legendLabelSize` down to
/// `style.minimumLegendLabelSize` in half-point steps, the first size at which the entries,
/// filled column by column into ceil(n / columns) rows of 1.5 x the size, fit `maxHeight`
/// and `maxWidth`; 40 phonemes beside a 450-point-high figure take two columns at full size.
/// If even the smallest size does not fit, the legend takes the smallest size and the room it
/// needs.
struct Legend {
    struct Entry: Equatable {
        var label: String
        var color: RGBColor
        var dash: [Double]
    }

    var entries: [Entry]

    /// How the entries are arranged; the legend's size follows from it.
    struct Placement: Equatable {
        var fontSize: Double
        var rowsPerColumn: Int
        var columnCount: Int
        var columnWidth: Double
        var rowHeight: Double
        var swatchLength: Double
        var columnGap: Double

        var width: Double { Double(columnCount) * columnWidth + Double(max(columnCount - 1, 0)) * columnGap }
        var height: Double { Double(rowsPerColumn) * rowHeight }
    }

    /// Rows are this many times the label size apart: room for IPA diacritics above and below.
    static let rowSpacing = 1.5

    /// The arrangement for a legend at most `maxWidth` x `maxHeight` points; nil without entries.
    func placement(maxWidth: Double, maxHeight: Double, on canvas: Canvas, style: FigureStyle) -> Placement? {
        guard !entries.isEmpty else { return nil }
        var fontSize = style.legendLabelSize
        while true {
            let placement = self.placement(fontSize: fontSize, maxHeight: maxHeight, on: canvas, style: style)
            let smaller = fontSize - 0.5
            if placement.width <= maxWidth && placement.height <= maxHeight || smaller < style.minimumLegendLabelSize {
                return placement
            }
            fontSize = smaller
        }
    }

    private func placement(fontSize: Double, maxHeight: Double, on canvas: Canvas, style: FigureStyle) -> Placement {
        let rowHeight = Legend.rowSpacing * fontSize
        let fittingRows = max(Int((maxHeight / rowHeight).rounded(.down)), 1)
        let columnCount = (entries.count + fittingRows - 1) / fittingRows
        // Balance the columns: the same number of rows in each, but the last.
        let rows = (entries.count + columnCount - 1) / columnCount
        let swatchLength = style.legendSwatchLength * fontSize / style.legendLabelSize
        let labelWidth = entries.map { canvas.inkSize(of: $0.label, fontSize: fontSize).width }.max() ?? 0
        return Placement(
            fontSize: fontSize, rowsPerColumn: rows, columnCount: columnCount,
            columnWidth: swatchLength + style.legendSwatchGap + labelWidth, rowHeight: rowHeight,
            swatchLength: swatchLength, columnGap: style.legendColumnGap)
    }

    /// Draws the entries with the legend's top-left corner at `origin`.
    func draw(_ placement: Placement, at origin: Point, on canvas: Canvas, style: FigureStyle) {
        // One baseline rule for every row, centring "Hg" (cap height to descender) on the swatch.
        let reference = canvas.extents(of: "Hg", fontSize: placement.fontSize)
        for (index, entry) in entries.enumerated() {
            let column = index / placement.rowsPerColumn
            let row = index % placement.rowsPerColumn
            let left = origin.x + Double(column) * (placement.columnWidth + placement.columnGap)
            let middle = origin.y + (Double(row) + 0.5) * placement.rowHeight
            let inset = style.seriesLineWidth / 2
            canvas.polyline(
                [Point(x: left + inset, y: middle), Point(x: left + placement.swatchLength - inset, y: middle)],
                color: entry.color, lineWidth: style.seriesLineWidth, dash: entry.dash)
            canvas.draw(
                text: entry.label,
                at: Point(
                    x: left + placement.swatchLength + style.legendSwatchGap,
                    y: middle - (reference.top + reference.bottom) / 2),
                fontSize: placement.fontSize, color: style.textColor, horizontal: .leading, vertical: .baseline)
        }
    }
}
