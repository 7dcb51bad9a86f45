/// An axis along a row of equal cells whose centres have given values, e.g. the time of each
/// column of an ERP image or of each frame of an averaged spectrogram.
///
/// Concretely: the axis's linear coordinate is the fractional cell index, cell i covering
/// i - 0.5 ... i + 0.5, so a matrix image fills the axis exactly; a value between two centres
/// maps to the index interpolated between them (`BinFrequencyMapping`, which maps any strictly
/// increasing centres, not only Hz), and beyond the ends the outer steps continue. For evenly
/// spaced centres this is the linear axis whose ends lie half a step outside the outer centres.
struct CellCenterAxis {
    /// The value at the centre of each cell, strictly increasing, at least one.
    var centers: [Double]

    private var mapping: BinFrequencyMapping { BinFrequencyMapping(frequencies: centers) }

    /// The fractional cell indices the axis spans: -0.5 ... count - 0.5.
    var indexRange: ClosedRange<Double> { -0.5...(Double(centers.count) - 0.5) }

    /// The fractional cell index of `value` (NaN for any value but the centre of a single cell).
    func index(of value: Double) -> Double {
        mapping.index(ofFrequency: value)
    }

    /// A linear value axis (`ValueAxis`) on `edge` for cells spread over `length` points.
    func axis(edge: Axis.Edge, length: Double, title: String, on canvas: Canvas, style: FigureStyle) -> Axis {
        let mapping = mapping
        var axis = ValueAxis.axis(
            edge: edge, range: mapping.edgeFrequencies, length: length, title: title, on: canvas, style: style,
            transform: mapping.index(ofFrequency:))
        // A single cell has no span of values; it still fills the axis.
        axis.range = indexRange
        return axis
    }
}
