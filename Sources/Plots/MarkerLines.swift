/// Dashed vertical lines across a panel at given positions on its bottom axis, e.g. t = 0 of
/// an event-related plot.
enum MarkerLines {
    /// Draws one dashed line from `panel`'s top to its bottom at each of `positions` (in the
    /// linear coordinate of `axis`, which runs along the panel); positions outside the axis's
    /// range are left out rather than drawn on the frame of a neighbouring panel.
    static func draw(at positions: [Double], axis: Axis, across panel: Rect, on canvas: Canvas, style: FigureStyle) {
        for position in positions where position.isFinite && axis.range.contains(position) {
            let x = axis.coordinate(of: position, along: panel)
            canvas.line(
                from: Point(x: x, y: panel.minY), to: Point(x: x, y: panel.maxY), color: style.markerColor,
                lineWidth: style.markerWidth, dash: style.markerDash)
        }
    }
}
