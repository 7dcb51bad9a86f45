/// The time axis (seconds) along the bottom of a figure, shared by every figure over time.
enum TimeAxis {
    /// A bottom axis over `range` seconds for a plot `length` points wide, titled "Time (s)".
    ///
    /// Ticks are nice numbers at least twice `style.minimumTickSpacing` apart with 12 points
    /// between labels (`ValueAxis` along the bottom): time labels ("1.25") are wide, and sparse
    /// ticks read better along a long time line. The axis's thickness does not depend on
    /// `length` (all labels are digits of one height), so a layout may ask for it before the
    /// plot's width is known.
    static func axis(range: ClosedRange<Double>, length: Double, on canvas: Canvas, style: FigureStyle) -> Axis {
        ValueAxis.axis(edge: .bottom, range: range, length: length, title: "Time (s)", on: canvas, style: style)
    }
}
