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

    // Figures over time with annotation tiers (`UtteranceFigure`).

    /// Gap between stacked panels (waveform, spectrogram, tiers): enough to separate frames,
    /// small enough that boundaries read as continuing from one panel into the next.
    var panelGap = 8.0
    /// Height of one tier strip: room for 11 pt IPA with descenders and diacritics.
    var tierHeight = 24.0
    /// Interval labels in tier strips, as large as tick labels so IPA stays legible.
    var tierLabelSize = 11.0
    /// Labels of narrow intervals shrink down to this size and are left out below it: smaller
    /// text is unreadable in print, and a short phone is still marked by its boundaries.
    var minimumTierLabelSize = 6.0
    /// Interval boundaries in a tier strip: as dark as the frame, a little thicker.
    var boundaryColor = RGBColor(gray: 0.15)
    var boundaryWidth = 1.0
    /// Phone boundaries carried across the waveform and spectrogram: a light blue that shows
    /// on white and on every part of magma (dark purple to pale yellow), dashed so it reads as
    /// a guide rather than data.
    var guideColor = RGBColor(red: 0.45, green: 0.78, blue: 1.0)
    var guideWidth = 0.7
    var guideDash = [3.0, 2.0]
    var waveformColor = RGBColor(gray: 0.15)
    var zeroLineColor = RGBColor(gray: 0.7)

    // Small multiples (`LinePanelsFigure`, `HeatmapGridFigure`) and markers.

    /// The title above each panel of a grid, a little smaller than axis titles.
    var panelTitleSize = 10.0
    /// Gap between a panel's title and its frame.
    var panelTitleGap = 3.0
    /// Panel titles too wide for their panel shrink down to this size (and are clipped below it).
    var minimumPanelTitleSize = 6.0
    /// Dashed vertical markers (t = 0): dark enough to show on white and on every part of the
    /// diverging map, dashed so they read as guides rather than data.
    var markerColor = RGBColor(gray: 0.2)
    var markerWidth = 0.8
    var markerDash = [4.0, 3.0]
    /// Dots marking one value per matrix row (`MatrixFigure.rowMarkers`).
    var rowMarkerColor = RGBColor(gray: 0.05)
    /// Lines of `LinePanelsFigure`, thick enough for their colour to read at a glance.
    var seriesLineWidth = 1.5
    /// Confidence bands are the series' colour at this opacity over the background.
    var bandOpacity = 0.2
    /// Legend entries: a line swatch `legendSwatchLength` long, then the label.
    var legendLabelSize = 10.0
    var legendSwatchLength = 18.0
    var legendSwatchGap = 5.0
    var legendColumnGap = 12.0
    /// Legends with many entries shrink their labels down to this size before they give up
    /// fitting the space beside the plots.
    var minimumLegendLabelSize = 6.0

    // Trees and maps (`DendrogramFigure`, `TanglegramFigure`, `SOMGridFigure`,
    // `TopographicMapFigure`).

    /// Dendrogram branches whose leaves differ in colour: a dark grey that every leaf colour
    /// (tab10) stands out from.
    var branchColor = RGBColor(gray: 0.3)
    var branchWidth = 1.0
    /// Leaf labels shrink down to this size before they crowd (and are drawn at it beyond).
    var minimumLeafLabelSize = 5.5
    /// Gap between a dendrogram's leaves and their labels.
    var leafLabelGap = 4.0
    /// SOM cells with no item mapped, and the outlines of hexagonal cells.
    var emptyCellColor = RGBColor(gray: 0.88)
    var cellOutlineColor = RGBColor(gray: 0.78)
    /// Cell centres on topographic maps: small and mid grey, visible on every part of the
    /// diverging map without hiding the value.
    var cellCenterColor = RGBColor(gray: 0.35)

    static let standard = FigureStyle()

    /// This style with every label and the spacing between ticks scaled by `factor` (the
    /// figure title and line widths stay): small multiples shrink their text so that a grid of
    /// 40 panels still has room for data.
    func scaled(by factor: Double) -> FigureStyle {
        var style = self
        style.tickLabelSize *= factor
        style.axisTitleSize *= factor
        style.panelTitleSize *= factor
        style.legendLabelSize *= factor
        style.minimumTickSpacing *= factor
        style.tickLength *= factor
        style.legendSwatchLength *= factor
        return style
    }
}
