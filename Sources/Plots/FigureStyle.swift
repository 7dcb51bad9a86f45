/// Sizes and colours shared by every figure, in points; one place to make figures consistent.
///
/// The defaults follow what reads well in a paper column at 100 %: 10 pt tick labels like
/// matplotlib's, slightly larger axis titles, thin dark frames.
struct FigureStyle: Sendable {
    var tickLabelSize = 10.0
    var axisTitleSize = 11.0
    var titleSize = 13.0
    /// Length of tick marks, drawn outward from the frame.
    var tickLength = 4.0
    /// Gap between a tick mark's end and its label.
    var tickLabelGap = 3.0
    /// Gap between the tick labels and the axis title.
    var axisTitleGap = 7.0
    /// Gap between the title and the plot area.
    var titleGap = 10.0
    /// Empty border around the whole figure.
    var outerPadding = 10.0
    var lineWidth = 0.8
    var textColor = RGBColor(gray: 0.1)
    var frameColor = RGBColor(gray: 0.15)
    var background = RGBColor.white
    /// NaN cells: a neutral grey that none of the colour maps' ends resembles.
    var missingValueColor = RGBColor(gray: 0.6)
    /// Width of a colour bar and its distance from the plot area.
    var colorBarWidth = 12.0
    var colorBarGap = 12.0
    /// Tick labels closer than this (centre to centre) crowd each other; the tick choosers
    /// thin them out.
    var minimumTickSpacing = 30.0

    static let standard = FigureStyle()
}
