/// One line of a `LinePanelsFigure`: a value per x value, optionally with a confidence band.
///
/// NaN in `values` leaves a gap in the line; NaN in `lower` or `upper` leaves a gap in the
/// band. Series with the same label in different panels are one category: they share a
/// colour, a dash pattern and one legend entry.
public struct LineSeries: Sendable {
    /// The legend entry, e.g. a phoneme in IPA ("ʃ", "aɪ"); empty for none.
    public var label: String
    /// One value per x value of the figure.
    public var values: [Double]
    /// The band's lower and upper edges (e.g. a 95 % confidence interval), one per x value,
    /// drawn as a translucent fill in the series' colour; both or neither.
    public var lower: [Double]?
    public var upper: [Double]?
    /// nil: the figure's categorical palette (`CategoricalPalette`, matplotlib's tab10, then
    /// dashed) by the label's place among the figure's distinct labels.
    public var color: RGBColor?

    public init(
        label: String, values: [Double], lower: [Double]? = nil, upper: [Double]? = nil, color: RGBColor? = nil
    ) {
        self.label = label
        self.values = values
        self.lower = lower
        self.upper = upper
        self.color = color
    }
}

/// One panel of a `LinePanelsFigure`: a title and the series drawn in it.
public struct LinePanel: Sendable {
    /// The line above the panel, e.g. a unit's name ("conv3 unit 17"); empty for none.
    public var title: String
    public var series: [LineSeries]

    public init(title: String, series: [LineSeries]) {
        self.title = title
        self.series = series
    }
}
