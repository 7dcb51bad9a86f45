import Foundation
import Testing

@testable import Plots

/// A 4 x 4 rectangular SOM, values a checkerboard of ±1 but cell 5 at 0.5 and cell 10 NaN;
/// resolution 41 puts a sample on every centre (the box is 4 cells across, 0.1 apart).
private func knownMaps(panels: Int = 2) -> TopographicMapFigure {
    let values: [Double] = (0..<16).map { cell in
        cell == 5 ? 0.5 : cell == 10 ? .nan : ((cell / 4 + cell % 4) % 2 == 0 ? 1 : -1)
    }
    var figure = TopographicMapFigure(
        cellPositions: GridPoint.cellCenters(rows: 4, columns: 4, topology: .rectangular),
        panels: (0..<panels).map { TopographicPanel(title: "ʃ \($0)", values: $0 == 0 ? values : values.map { -$0 }) },
        colorbarLabel: "activation", title: "known maps")
    figure.resolution = 41
    figure.columns = 2
    figure.showsCellCenters = false
    figure.size = (500, 300)
    return figure
}

private func twoKnownMaps() -> TopographicMapFigure { knownMaps() }

private func layout(of figure: TopographicMapFigure) throws -> TopographicMapFigure.Layout {
    figure.layout(on: try measuringCanvas(for: figure), style: .standard)
}

@Test func topographicMapsWritePNGSVGAndPDF() throws {
    var figure = knownMaps()
    figure.showsCellCenters = true
    try expectWritesEveryFormat(pixelSize: (1000, 600)) { try figure.write(to: $0) }
}

@Test func somCellCentresAreOneApartWithOddHexagonalRowsShifted() {
    let hexagonal = GridPoint.cellCenters(rows: 3, columns: 2, topology: .hexagonal)
    #expect(hexagonal[0] == GridPoint(x: 0, y: 0))
    #expect(hexagonal[2].x == 0.5 && abs(hexagonal[2].y - 3.0.squareRoot() / 2) < 1e-12)
    // Every cell of row 1 is 1 from its neighbours above.
    for (a, b) in [(2, 0), (2, 1), (3, 1), (2, 3), (4, 2)] {
        #expect(abs(TopographicInterpolation.distance(hexagonal[a], hexagonal[b]) - 1) < 1e-12, "\(a)-\(b)")
    }
    #expect(GridPoint.cellCenters(rows: 2, columns: 3, topology: .rectangular)[5] == GridPoint(x: 2, y: 1))
}

@Test func topographicMapAtACellCentreHasThatCellsColour() throws {
    let figure = knownMaps()
    let layout = try layout(of: figure)
    #expect(layout.interpolation.columns == 41 && layout.interpolation.rows == 41)
    #expect(figure.resolvedColorLimits == -1...1)
    let image = try renderedPNG { try figure.write(to: $0) }
    let map = Colormap.blueWhiteRed
    for panel in 0..<2 {
        for (cell, position) in figure.cellPositions.enumerated() where cell != 10 {
            let value = figure.panels[panel].values[cell]
            let point = layout.point(position, inPanel: panel)
            let shown = try pngPixel(image, atPoint: point.x, point.y)
            #expect(
                nearlyEqual(shown, quantized(map.color(at: (value + 1) / 2)), tolerance: 2.0 / 255),
                "panel \(panel) cell \(cell) (\(value)): \(shown)")
        }
    }
    // Midway between cells 0 (+1) and 1 (−1) the map is near 0, white-ish: not a flat fill.
    let between = layout.point(GridPoint(x: 0.5, y: 0), inPanel: 0)
    let shown = try pngPixel(image, atPoint: between.x, between.y)
    #expect(nearlyEqual(shown, map.color(at: 0.5), tolerance: 0.12), "between: \(shown)")
}

@Test func topographicMapsFillNaNCellsFromTheirNeighbours() throws {
    let figure = knownMaps()
    let layout = try layout(of: figure)
    let image = try renderedPNG { try figure.write(to: $0) }
    // Cell 10 (row 2, column 2) is NaN; its four nearest neighbours are all −1 (and the
    // diagonal ones +1, farther away): bluish, not grey.
    let point = layout.point(figure.cellPositions[10], inPanel: 0)
    let shown = try pngPixel(image, atPoint: point.x, point.y)
    #expect(shown.blue > shown.red + 0.1, "cell 10: \(shown)")
    let samples = layout.interpolation.samples(of: [Double](repeating: .nan, count: 16))
    #expect(samples.allSatisfy { $0.isNaN })
}

@Test func topographicMapsMarkCellCentresWithFaintDots() throws {
    var figure = knownMaps()
    figure.panels = [TopographicPanel(title: "", values: [Double](repeating: 0, count: 16))]
    figure.showsCellCenters = true
    let layout = try layout(of: figure)
    let image = try renderedPNG { try figure.write(to: $0) }
    let center = layout.point(figure.cellPositions[5], inPanel: 0)
    let dot = try pngPixel(image, atPoint: center.x, center.y)
    #expect(dot.red < 0.6 && abs(dot.red - dot.blue) < 0.05, "dot: \(dot)")
    let beside = try pngPixel(image, atPoint: center.x + 0.5 * layout.grid.plots[0].width / 4, center.y)
    #expect(beside.red > 0.9, "beside: \(beside)")
}

@Test func topographicMapsShareOneColourScaleInTheGrid() throws {
    var figure = knownMaps(panels: 40)
    figure.panels[7].values[3] = -6
    figure.columns = 6
    figure.size = (900, 700)
    #expect(figure.resolvedColorLimits == -6...6)
    let layout = try layout(of: figure)
    #expect(layout.grid.rows == 7)
    // Square maps, inside the page, the colour bar right of the grid.
    let plot = layout.grid.plots[0]
    #expect(abs(plot.width - plot.height) < 1e-9)
    #expect(layout.grid.bounds.minX >= 10 && layout.colorBar.maxX <= 900 - 10)
    #expect(layout.grid.bounds.maxY <= 700 - 10 + 1e-9)
}

@Test func topographicValidationNamesTheBadParameterAndWritesNothing() throws {
    let cases: [(name: String, change: (inout TopographicMapFigure) -> Void)] = [
        ("cellPositions.count", { $0.cellPositions = [] }),
        ("cellPositions[3]", { $0.cellPositions[3] = GridPoint(x: .nan, y: 0) }),
        ("panels.count", { $0.panels = [] }),
        ("panels[1].values.count", { $0.panels[1].values.removeLast() }),
        ("panels[0].values[2]", { $0.panels[0].values[2] = -.infinity }),
        ("columns", { $0.columns = 0 }),
        ("resolution", { $0.resolution = 1 }),
        ("colorLimits", { $0.colorLimits = 1...1 }),
        ("pixelsPerPoint", { $0.pixelsPerPoint = .nan }),
    ]
    try expectInvalidParameters(cases, of: twoKnownMaps, fileName: "maps.png") { try $0.write(to: $1) }
}
