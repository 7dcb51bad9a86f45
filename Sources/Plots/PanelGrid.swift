/// Where the panels of a grid of small multiples go, and the axis titles they share.
///
/// Concretely: `panelCount` panels fill `columns` columns row by row (panel i in row
/// i / columns, column i % columns); every panel is the same size, with its title block
/// (`titleHeight`) above it, `columnGap` between columns and `rowGap` between one row's
/// frames and the next row's titles. A last row that is not full leaves its cells empty, and
/// the panels above them carry the bottom axis's ticks into that empty space. The x and y axis
/// titles are drawn once for the whole grid, centred under and beside it.
struct PanelGrid {
    var panelCount: Int
    var columns: Int
    /// The frame of each panel, in panel order.
    var plots: [Rect]

    var rows: Int { (panelCount + columns - 1) / columns }

    /// Lays out the grid in `area`: from the top of the first row's titles to the bottom of the
    /// last row's frames, from the left of the first column's frames to the right of the last's.
    init(panelCount: Int, columns requested: Int, area: Rect, titleHeight: Double, columnGap: Double, rowGap: Double) {
        precondition(panelCount >= 1 && requested >= 1, "a grid needs a panel and a column")
        self.panelCount = panelCount
        columns = min(requested, panelCount)
        let rows = (panelCount + columns - 1) / columns
        let width = max((area.width - Double(columns - 1) * columnGap) / Double(columns), 1)
        let rowHeight = (area.height + rowGap) / Double(rows)
        let height = max(rowHeight - rowGap - titleHeight, 1)
        let columns = columns
        plots = (0..<panelCount).map { index in
            Rect(
                x: area.minX + Double(index % columns) * (width + columnGap),
                y: area.minY + Double(index / columns) * rowHeight + titleHeight, width: width, height: height)
        }
    }

    /// The size one panel of `columns` x `rows` would get in `width` x `height` points before
    /// axes and titles take their share: what small multiples scale their text by.
    static func textScale(width: Double, height: Double, columns: Int, rows: Int) -> Double {
        // Full-size text down to cells of 200 x 110 points, then shrinking with the cell, but
        // never below 75 % (7.5 pt tick labels), the smallest that reads in print.
        let scale = min(width / Double(columns) / 200, height / Double(rows) / 110)
        return min(max(scale, 0.75), 1)
    }

    /// The grid with the bottom axis its panels share, which `bottomAxis` makes for a panel
    /// width: as `init`, but with the columns moved apart where `columnGap` would let one
    /// panel's last tick label run into the next panel's first (`labelOverhang`).
    static func withBottomAxis(
        panelCount: Int, columns: Int, area: Rect, titleHeight: Double, columnGap: Double, rowGap: Double,
        on canvas: Canvas, style: FigureStyle, bottomAxis: (_ width: Double) -> Axis
    ) -> (grid: PanelGrid, bottomAxis: Axis) {
        func make(columnGap: Double) -> (grid: PanelGrid, bottomAxis: Axis) {
            let grid = PanelGrid(
                panelCount: panelCount, columns: columns, area: area, titleHeight: titleHeight,
                columnGap: columnGap, rowGap: rowGap)
            return (grid, bottomAxis(grid.plots[0].width))
        }
        let first = make(columnGap: columnGap)
        let needed =
            labelOverhang(of: first.bottomAxis, width: first.grid.plots[0].width, on: canvas, style: style)
            + style.panelGap
        return first.grid.columns > 1 && needed > columnGap ? make(columnGap: needed) : first
    }

    /// How far the first and last tick labels of a bottom `axis` reach beyond the sides of a
    /// panel `width` points wide, added up: what neighbouring columns must keep between them
    /// so that one panel's last label does not run into the next panel's first.
    static func labelOverhang(of axis: Axis, width: Double, on canvas: Canvas, style: FigureStyle) -> Double {
        guard let first = axis.ticks.first, let last = axis.ticks.last else { return 0 }
        let panel = Rect(x: 0, y: 0, width: width, height: 1)
        func halfWidth(_ tick: Tick) -> Double {
            canvas.inkSize(of: tick.label, fontSize: style.tickLabelSize).width / 2
        }
        let left = max(halfWidth(first) - axis.coordinate(of: first.position, along: panel), 0)
        let right = max(axis.coordinate(of: last.position, along: panel) + halfWidth(last) - width, 0)
        return left + right
    }

    /// Whether panel `index` has a panel below it; those without carry the bottom axis.
    func hasPanelBelow(_ index: Int) -> Bool { index + columns < panelCount }

    func isInLeftColumn(_ index: Int) -> Bool { index % columns == 0 }

    /// The box around every frame: first row's top to last row's bottom, first to last column.
    var bounds: Rect {
        let minX = plots.map(\.minX).min() ?? 0
        let maxX = plots.map(\.maxX).max() ?? 0
        let minY = plots.map(\.minY).min() ?? 0
        let maxY = plots.map(\.maxY).max() ?? 0
        return Rect(x: minX, y: minY, width: maxX - minX, height: maxY - minY)
    }

    /// The room a shared axis title takes beside (`vertical`, turned upward) or under the
    /// grid, its gap to the tick labels included; 0 for none.
    static func titleThickness(_ title: String, vertical: Bool, on canvas: Canvas, style: FigureStyle) -> Double {
        guard !title.isEmpty else { return 0 }
        let size = canvas.inkSize(of: title, fontSize: style.axisTitleSize, rotation: vertical ? .upward : .horizontal)
        return style.axisTitleGap + (vertical ? size.width : size.height)
    }

    /// Draws the x title centred under the grid, `offset` points below the lowest frames
    /// (their tick labels), and the y title turned upward, `offset` left of the left column.
    func drawTitles(
        x xTitle: String, belowBy bottomOffset: Double, y yTitle: String, leftBy leftOffset: Double,
        on canvas: Canvas, style: FigureStyle
    ) {
        let bounds = bounds
        canvas.draw(
            text: xTitle, at: Point(x: bounds.midX, y: bounds.maxY + bottomOffset + style.axisTitleGap),
            fontSize: style.axisTitleSize, color: style.textColor, horizontal: .center, vertical: .top)
        canvas.draw(
            text: yTitle, at: Point(x: bounds.minX - leftOffset - style.axisTitleGap, y: bounds.midY),
            fontSize: style.axisTitleSize, color: style.textColor, horizontal: .trailing, vertical: .center,
            rotation: .upward)
    }
}
