/// A linear axis for any numeric range on any edge: nice ticks whose labels neither overlap
/// nor crowd, for times, activations, colour bars or cell centres.
///
/// Concretely: `AxisTicks.linear` with the spacing rules of the edge. Along the bottom, labels
/// ("−200", "1.25") are wide, so ticks are at least twice `style.minimumTickSpacing` apart
/// with 12 points between labels; on the left and right, labels are stacked by their height,
/// so ticks are `style.minimumTickSpacing` apart with 4 points between labels. `transform`
/// maps a value to the axis's linear coordinate (identity for ordinary axes, a fractional
/// cell index for `CellCenterAxis`); the axis's range is `transform` of `range`'s ends.
enum ValueAxis {
    static func axis(
        edge: Axis.Edge, range: ClosedRange<Double>, length: Double, title: String, on canvas: Canvas,
        style: FigureStyle, transform: @escaping (Double) -> Double = { $0 }
    ) -> Axis {
        let fontSize = style.tickLabelSize
        let ticks: [Tick]
        if edge == .bottom {
            ticks = AxisTicks.linear(
                range: range, length: length, minimumSpacing: 2 * style.minimumTickSpacing, labelGap: 12,
                labelExtent: { canvas.inkSize(of: $0, fontSize: fontSize).width }, transform: transform)
        } else {
            ticks = AxisTicks.linear(
                range: range, length: length, minimumSpacing: style.minimumTickSpacing, labelGap: 4,
                labelExtent: { canvas.inkSize(of: $0, fontSize: fontSize).height }, transform: transform)
        }
        let low = transform(range.lowerBound)
        let high = transform(range.upperBound)
        return Axis(edge: edge, range: min(low, high)...max(low, high), ticks: ticks, title: title)
    }
}
