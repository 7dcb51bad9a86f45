/// The time axis (seconds) along the bottom of a figure, shared by every figure over time.
enum TimeAxis {
    /// A bottom axis over `range` seconds for a plot `length` points wide, titled "Time (s)".
    ///
    /// Ticks are nice numbers at least twice `style.minimumTickSpacing` apart with 12 points
    /// between labels: time labels ("1.25") are wide, and sparse ticks read better along a
    /// long time line. The axis's thickness does not depend on `length` (all labels are
    /// digits of one height), so a layout may ask for it before the plot's width is known.
    static func axis(range: ClosedRange<Double>, length: Double, on canvas: Canvas, style: FigureStyle) -> Axis {
        let ticks = AxisTicks.linear(
            range: range, length: length, minimumSpacing: 2 * style.minimumTickSpacing, labelGap: 12,
            labelExtent: { canvas.inkSize(of: $0, fontSize: style.tickLabelSize).width })
        return Axis(edge: .bottom, range: range, ticks: ticks, title: "Time (s)")
    }
}
