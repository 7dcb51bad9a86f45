import Foundation
import Testing

@testable import Plots

private let blue = RGBColor(red: 0, green: 0, blue: 1)

/// x = -100, -80, ..., 100 ms; one panel, one blue series at 0 whose band, -1...1, exists
/// only from t = 0 on (NaN before); a marker at -40 ms.
private func bandFigure() -> LinePanelsFigure {
    let x = (0...10).map { -100 + 20 * Double($0) }
    let band = x.map { $0 < 0 ? Double.nan : 1 }
    let series = LineSeries(
        label: "ʃ", values: x.map { _ in 0 }, lower: band.map { -$0 }, upper: band, color: blue)
    var figure = LinePanelsFigure(
        x: x, panels: [LinePanel(title: "unit 1", series: [series])], xLabel: "Time (ms)", yLabel: "activation",
        title: "band")
    figure.verticalMarkers = [-40]
    figure.size = (400, 300)
    return figure
}

/// `panels` panels of `labels.count` series each, over 51 times from -200 to 200 ms.
private func erpFigure(panels: Int, labels: [String]) -> LinePanelsFigure {
    let x = (0...50).map { -200 + 8 * Double($0) }
    let panelList = (0..<panels).map { panel in
        LinePanel(
            title: "unit \(panel)",
            series: labels.enumerated().map { index, label in
                let values = x.map { sin($0 / 60 + Double(index)) * Double(panel + 1) }
                return LineSeries(
                    label: label, values: values, lower: values.map { $0 - 0.1 }, upper: values.map { $0 + 0.1 })
            })
    }
    return LinePanelsFigure(x: x, panels: panelList, xLabel: "Time (ms)", yLabel: "activation", title: "ERP")
}

private func layout(of figure: LinePanelsFigure) throws -> LinePanelsFigure.Layout {
    figure.layout(on: try measuringCanvas(for: figure), style: .standard)
}

@Test func linePanelsFigureWritesPNGSVGAndPDF() throws {
    let figure = erpFigure(panels: 3, labels: ["ʃ", "s", "aɪ", "iː", "m", "ŋ"])
    try expectWritesEveryFormat(pixelSize: (1600, 900)) { try figure.write(to: $0) }
}

@Test func bandIsFilledTranslucentlyOnlyWhereItsEdgesAreFinite() throws {
    let figure = bandFigure()
    let image = try renderedPNG { try figure.write(to: $0) }
    let layout = try layout(of: figure)
    let plot = layout.grid.plots[0]
    let yAxis = layout.yAxes[0]
    func x(_ time: Double) -> Double { layout.xAxis.coordinate(of: time, along: plot) }
    func y(_ value: Double) -> Double { yAxis.coordinate(of: value, along: plot) }
    // Blue at 20 % over white.
    let opacity = FigureStyle.standard.bandOpacity
    let tint = RGBColor(red: 1 - opacity, green: 1 - opacity, blue: 1)
    #expect(nearlyEqual(try pngPixel(image, atPoint: x(50), y(0.5)), tint, tolerance: 2.0 / 255))
    #expect(nearlyEqual(try pngPixel(image, atPoint: x(50), y(-0.5)), tint, tolerance: 2.0 / 255))
    // Outside the band (above it, and before t = 0) the panel is white.
    #expect(try pngPixel(image, atPoint: x(50), y(1.05)) == .white)
    #expect(try pngPixel(image, atPoint: x(-70), y(0.5)) == .white)
    // The line itself, drawn over its band and the zero line.
    #expect(nearlyEqual(try pngPixel(image, atPoint: x(-70), y(0)), blue, tolerance: 2.0 / 255))
    #expect(nearlyEqual(try pngPixel(image, atPoint: x(50), y(0)), blue, tolerance: 2.0 / 255))
}

@Test func verticalMarkerIsDrawnAtItsXValue() throws {
    var figure = bandFigure()
    let layout = try layout(of: figure)
    let plot = layout.grid.plots[0]
    let markerX = layout.xAxis.coordinate(of: -40, along: plot)
    // The dash pattern starts drawn at the panel's top.
    let y = plot.minY + 2
    func brightness(_ figure: LinePanelsFigure, _ x: Double) throws -> Double {
        let color = try pngPixel(try renderedPNG { try figure.write(to: $0) }, atPoint: x, y)
        return (color.red + color.green + color.blue) / 3
    }
    #expect(try brightness(figure, markerX) < 0.5)
    #expect(try brightness(figure, markerX + 4) == 1)
    figure.verticalMarkers = []
    #expect(try brightness(figure, markerX) == 1)
}

@Test func yRangeCoversValuesAndBandsPaddedByFivePercent() {
    var figure = bandFigure()
    #expect(figure.yRange(ofPanel: 0) == -1.1...1.1)
    figure.panels.append(LinePanel(title: "big", series: [LineSeries(label: "x", values: figure.x.map { $0 / 10 })]))
    #expect(figure.yRange(ofPanel: 0) == -11...11)
    figure.sharedYRange = false
    #expect(figure.yRange(ofPanel: 0) == -1.1...1.1)
    #expect(figure.yRange(ofPanel: 1) == -11...11)
    figure.panels = [LinePanel(title: "flat", series: [LineSeries(label: "x", values: figure.x.map { _ in 2 })])]
    #expect(figure.yRange(ofPanel: 0) == 1.9...2.1)
}

@Test func legendHasOneEntryPerDistinctLabelWithThePalettesColours() {
    var figure = bandFigure()
    let values = figure.x.map { _ in 0.0 }
    figure.panels = [
        LinePanel(
            title: "1", series: [LineSeries(label: "a", values: values), LineSeries(label: "b", values: values)]),
        LinePanel(
            title: "2", series: [LineSeries(label: "b", values: values), LineSeries(label: "c", values: values)]),
    ]
    let entries = figure.legend.entries
    #expect(entries.map(\.label) == ["a", "b", "c"])
    #expect(entries.map(\.color) == Array(CategoricalPalette.colors.prefix(3)))
    // "b" looks the same in both panels although it is the second series of one and the first of the other.
    #expect(
        figure.appearance(of: figure.panels[1].series[0], categories: ["a": 0, "b": 1, "c": 2]).color
            == entries[1].color)
}

@Test func paletteHasTenColoursThenChangesTheDashPattern() {
    #expect(Set(CategoricalPalette.colors).count == 10)
    #expect(CategoricalPalette.colors[0] == RGBColor(red: 31.0 / 255, green: 119.0 / 255, blue: 180.0 / 255))
    let looks = (0..<40).map { "\(CategoricalPalette.color(at: $0))|\(CategoricalPalette.dash(at: $0))" }
    #expect(Set(looks).count == 40)
    #expect(CategoricalPalette.dash(at: 9).isEmpty && !CategoricalPalette.dash(at: 10).isEmpty)
}

@Test func fortyLabelsFitBesideThePanelsInSeveralLegendColumns() throws {
    let labels = (0..<40).map { "ph\($0)" }
    let figure = erpFigure(panels: 1, labels: labels)
    let layout = try layout(of: figure)
    let style = FigureStyle.standard
    let legend = try #require(layout.legend)
    #expect(legend.columnCount >= 2)
    #expect(legend.rowsPerColumn * legend.columnCount >= 40)
    #expect(layout.legendOrigin.x + legend.width <= figure.size.width - style.outerPadding + 1e-9)
    #expect(layout.legendOrigin.y + legend.height <= layout.grid.bounds.maxY + 1e-9)
    #expect(layout.legendOrigin.x > layout.grid.bounds.maxX)
    #expect(legend.fontSize >= style.minimumLegendLabelSize)
}

@Test func gridPutsXTicksUnderPanelsWithNoneBelowAndSharesTheLeftColumn() throws {
    var figure = erpFigure(panels: 5, labels: ["a"])
    figure.columns = 2
    let layout = try layout(of: figure)
    let grid = layout.grid
    #expect(grid.rows == 3)
    #expect((0..<5).map(grid.hasPanelBelow) == [true, true, true, false, false])
    #expect((0..<5).map(grid.isInLeftColumn) == [true, false, true, false, true])
    // Neighbouring panels leave room for the x tick labels at their ends.
    let gap = grid.plots[1].minX - grid.plots[0].maxX
    let canvas = try measuringCanvas(for: figure)
    #expect(
        gap >= PanelGrid.labelOverhang(of: layout.xAxis, width: grid.plots[0].width, on: canvas, style: layout.style))
    // Everything inside the figure.
    let style = FigureStyle.standard
    #expect(grid.bounds.minX - layout.yTicksThickness >= style.outerPadding)
    #expect(grid.bounds.maxY + layout.xTicksThickness <= figure.size.height - style.outerPadding)
}

@Test func finiteRunsSplitAtNaN() {
    let runs = LinePanelsFigure.finiteRuns([0, .nan, 2, 3, 4, .nan], [0, 1, 2, .nan, 4, 5])
    #expect(runs == [[0], [2], [4]])
    #expect(LinePanelsFigure.finiteRuns([1, 2, 3]) == [[0, 1, 2]])
}

@Test func linePanelsValidationNamesTheBadParameterAndWritesNothing() throws {
    let series = "panels[0].series[0]"
    let cases: [(name: String, change: (inout LinePanelsFigure) -> Void)] = [
        ("x.count", { $0.x = [0] }),
        ("x[3]", { $0.x[3] = $0.x[2] }),
        ("x[1]", { $0.x[1] = .nan }),
        ("panels.count", { $0.panels = [] }),
        ("\(series).values.count", { $0.panels[0].series[0].values.removeLast() }),
        ("\(series).values[2]", { $0.panels[0].series[0].values[2] = .infinity }),
        ("\(series).lower.count", { $0.panels[0].series[0].lower = [0] }),
        ("\(series).upper[4]", { $0.panels[0].series[0].upper?[4] = -.infinity }),
        ("\(series).lower[6]", { $0.panels[0].series[0].lower?[6] = 2 }),
        ("\(series).upper", { $0.panels[0].series[0].upper = nil }),
        ("\(series).lower", { $0.panels[0].series[0].lower = nil }),
        ("columns", { $0.columns = 0 }),
        ("verticalMarkers[0]", { $0.verticalMarkers = [.nan] }),
        ("size", { $0.size = (200, 900) }),
        ("pixelsPerPoint", { $0.pixelsPerPoint = 1000 }),
    ]
    try expectInvalidParameters(cases, of: bandFigure, fileName: "lines.svg") { try $0.write(to: $1) }
}
