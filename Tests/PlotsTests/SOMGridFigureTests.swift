import Foundation
import Testing

@testable import Plots

/// A 2 x 2 map of 2 x 2 patches: cell 0 empty; cell 1's patch has −1 and 0.5 in its bottom
/// row (patch row 0) and 1 and 0 in its top row; cells 2 and 3 constant.
private func knownSOM(topology: SOMGridFigure.Topology = .rectangular) -> SOMGridFigure {
    var figure = SOMGridFigure(
        rows: 2, columns: 2, topology: topology,
        patches: [nil, [-1, 0.5, 1, 0], [0.25, 0.25, 0.25, 0.25], [4, 4, 4, 4]],
        patchWidth: 2, patchHeight: 2, colorbarLabel: "weight", title: "known SOM")
    figure.size = (400, 400)
    return figure
}

private func rectangularSOM() -> SOMGridFigure { knownSOM() }

private func layout(of figure: SOMGridFigure) throws -> SOMGridFigure.Layout {
    figure.layout(on: try measuringCanvas(for: figure), style: .standard)
}

private func expectColor(_ shown: RGBColor, _ expected: RGBColor, _ what: String) {
    #expect(nearlyEqual(shown, quantized(expected), tolerance: 2.0 / 255), "\(what): \(shown) not \(expected)")
}

@Test func somGridWritesPNGSVGAndPDF() throws {
    for topology in SOMGridFigure.Topology.allCases {
        var figure = knownSOM(topology: topology)
        figure.counts = [0, 3, 1, 12]
        figure.patchAxisNote = "each cell: frequency (up) x time (right)"
        try expectWritesEveryFormat(pixelSize: (800, 800)) { try figure.write(to: $0) }
    }
}

@Test func somPatchCellsShowEachValuesColourWithPatchRowZeroAtTheBottom() throws {
    let figure = knownSOM()
    let layout = try layout(of: figure)
    let image = try renderedPNG { try figure.write(to: $0) }
    // Cell 1 is row 0, column 1: the top-right square, its patch on its own −1...1 scale.
    let patch = figure.patchRect(row: 0, column: 1, layout: layout, topStrip: 0)
    #expect(abs(patch.minX - (layout.grid.minX + 1.05 * layout.scale)) < 1e-9)
    func quadrant(_ column: Double, _ row: Double) throws -> RGBColor {
        try pngPixel(image, atPoint: patch.minX + column * patch.width, patch.minY + row * patch.height)
    }
    let map = Colormap.blueWhiteRed
    expectColor(try quadrant(0.25, 0.75), map.color(at: 0), "bottom left (−1)")
    expectColor(try quadrant(0.75, 0.75), map.color(at: 0.75), "bottom right (0.5)")
    expectColor(try quadrant(0.25, 0.25), map.color(at: 1), "top left (1)")
    expectColor(try quadrant(0.75, 0.25), map.color(at: 0.5), "top right (0)")
    // Cell 3 (bottom right): a constant 4 is its own maximum, the map's red end.
    let cell3 = figure.patchRect(row: 1, column: 1, layout: layout, topStrip: 0)
    expectColor(try pngPixel(image, atPoint: cell3.midX, cell3.midY), map.color(at: 1), "cell 3")
    // Cell 0 has no patch: light grey.
    let cell0 = figure.patchRect(row: 0, column: 0, layout: layout, topStrip: 0)
    expectColor(try pngPixel(image, atPoint: cell0.midX, cell0.midY), FigureStyle.standard.emptyCellColor, "cell 0")
}

@Test func somSharedScaleMapsEveryPatchOnOneRange() throws {
    var figure = knownSOM()
    figure.perPatchNormalization = false
    #expect(figure.sharedColorLimits == -4...4)
    let layout = try layout(of: figure)
    let image = try renderedPNG { try figure.write(to: $0) }
    let patch = figure.patchRect(row: 0, column: 1, layout: layout, topStrip: 0)
    // The top-left value 1 on −4...4.
    expectColor(
        try pngPixel(image, atPoint: patch.minX + 0.25 * patch.width, patch.minY + 0.25 * patch.height),
        Colormap.blueWhiteRed.color(at: 0.625), "1 on −4...4")
    #expect(figure.colorBar.fixedTicks == nil)
    #expect(knownSOM().colorBar.fixedTicks?.map(\.label) == ["\u{2212}max", "0", "max"])
}

@Test func somHexagonalGridShiftsOddRowsByHalfACell() throws {
    let figure = knownSOM(topology: .hexagonal)
    let layout = try layout(of: figure)
    let image = try renderedPNG { try figure.write(to: $0) }
    // 2.5 cells across, 1 / sqrt(3) + sqrt(3) / 2 + 1 / sqrt(3) down.
    #expect(abs(layout.grid.width / layout.scale - 2.5) < 1e-9)
    #expect(abs(layout.grid.height / layout.scale - (2 / 3.0.squareRoot() + 3.0.squareRoot() / 2)) < 1e-9)
    // Cell 3 (row 1, column 1) is centred 2 cells from the left, not 1.5.
    let center = Point(
        x: layout.grid.minX + 2 * layout.scale,
        y: layout.grid.minY + (3.0.squareRoot() / 2 + 1 / 3.0.squareRoot()) * layout.scale)
    expectColor(try pngPixel(image, atPoint: center.x, center.y), Colormap.blueWhiteRed.color(at: 1), "cell 3")
    // Cell 2 (row 1, column 0) holds 0.25 on its own −0.25...0.25 scale: red too; between
    // them, at x = 1.5 cells, is the hexagons' shared edge, no patch.
    let edge = try pngPixel(image, atPoint: layout.grid.minX + 1.5 * layout.scale, center.y)
    #expect(edge.green > 0.7, "between cells 2 and 3: \(edge)")
}

@Test func somCellValuesFillEachCellWithItsColour() throws {
    for topology in SOMGridFigure.Topology.allCases {
        var figure = SOMGridFigure(
            rows: 2, columns: 2, topology: topology, cellValues: [0, 1, .nan, 3], colorbarLabel: "distance",
            title: "U-matrix")
        figure.size = (400, 400)
        #expect(figure.colormap == .viridis && figure.sharedColorLimits == 0...3)
        let layout = try layout(of: figure)
        let image = try renderedPNG { try figure.write(to: $0) }
        let geometry = figure.geometry
        for (cell, expected) in [
            (0, Colormap.viridis.color(at: 0)), (1, Colormap.viridis.color(at: 1.0 / 3)),
            (2, FigureStyle.standard.missingValueColor), (3, Colormap.viridis.color(at: 1)),
        ] {
            let center = geometry.center(row: cell / 2, column: cell % 2)
            let point = layout.point(center.x, center.y)
            expectColor(try pngPixel(image, atPoint: point.x, point.y), expected, "\(topology) cell \(cell)")
        }
    }
}

@Test func somCountsArePrintedInTheirCells() throws {
    var figure = knownSOM()
    let layout = try layout(of: figure)
    // The top-left corner of the empty cell 0, where its count goes.
    let corner = layout.point(0.05, 0.05)
    func darkPixels(_ figure: SOMGridFigure) throws -> Int {
        let image = try renderedPNG { try figure.write(to: $0) }
        var count = 0
        for dx in stride(from: 0.5, through: 12, by: 0.5) {
            for dy in stride(from: 0.5, through: 9, by: 0.5) {
                let color = try pngPixel(image, atPoint: corner.x + dx, corner.y + dy)
                if max(color.red, color.green, color.blue) < 0.35 { count += 1 }
            }
        }
        return count
    }
    #expect(try darkPixels(figure) == 0)
    figure.counts = [17, 3, 0, 1]
    #expect(try darkPixels(figure) > 5)
}

@Test func somValidationNamesTheBadParameterAndWritesNothing() throws {
    let cases: [(name: String, change: (inout SOMGridFigure) -> Void)] = [
        ("rows", { $0.rows = 0 }),
        ("columns", { $0.columns = -1 }),
        ("patches.count", { $0.patches.removeLast() }),
        ("patches[2].count", { $0.patches[2] = [1] }),
        ("patchWidth", { $0.patchWidth = 0 }),
        ("patchHeight", { $0.patchHeight = 0 }),
        ("cellValues.count", { $0.cellValues = [1] }),
        ("cellValues[1]", { $0.cellValues = [0, .infinity, 0, 0] }),
        ("counts.count", { $0.counts = [1, 2] }),
        ("counts[3]", { $0.counts = [1, 2, 3, -4] }),
        ("colorLimits", { $0.colorLimits = 2...2 }),
        ("size", { $0.size = (100, 100) }),
    ]
    try expectInvalidParameters(cases, of: rectangularSOM, fileName: "som.png") { try $0.write(to: $1) }
}
