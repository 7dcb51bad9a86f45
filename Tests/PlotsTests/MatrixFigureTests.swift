import Foundation
import Testing

@testable import Plots

/// 3 rows x 4 columns, each cell a different value in -1...1, row 0 the most negative; one
/// NaN; columns centred at -10, 0, 10, 20 ms.
private func knownMatrixFigure() -> MatrixFigure {
    let values: [Float] = [
        -1, -0.75, -0.5, -0.25,
        0, 0.25, 0.5, 0.75,
        1, .nan, 0.5, -1,
    ]
    var figure = MatrixFigure(
        values: values, rowCount: 3, columnCount: 4, columns: .values([-10, 0, 10, 20], label: "Time (ms)"),
        rows: .index(label: "unit"), colorbarLabel: "activation", title: "known")
    figure.size = (400, 300)
    return figure
}

private func layout(of figure: MatrixFigure) throws -> MatrixFigure.Layout {
    figure.layout(on: try measuringCanvas(for: figure), style: .standard)
}

/// The centre of cell (row, column) on the page.
private func cellCenter(row: Int, column: Int, of figure: MatrixFigure, in plot: Rect) -> Point {
    Point(
        x: plot.minX + (Double(column) + 0.5) * plot.width / Double(figure.columnCount),
        y: plot.minY + (Double(row) + 0.5) * plot.height / Double(figure.rowCount))
}

@Test func matrixFigureWritesPNGSVGAndPDF() throws {
    let figure = knownMatrixFigure()
    try expectWritesEveryFormat(pixelSize: (800, 600)) { try figure.write(to: $0) }
}

@Test func matrixCellsHaveTheColormapsColourForTheirValueWithRowZeroAtTheTop() throws {
    let figure = knownMatrixFigure()
    #expect(figure.resolvedColorLimits == -1...1)
    let image = try renderedPNG { try figure.write(to: $0) }
    let plot = try layout(of: figure).plot
    for row in 0..<3 {
        for column in 0..<4 {
            let value = figure.values[row * 4 + column]
            let center = cellCenter(row: row, column: column, of: figure, in: plot)
            let shown = try pngPixel(image, atPoint: center.x, center.y)
            let expected =
                value.isNaN
                ? FigureStyle.standard.missingValueColor
                : Colormap.blueWhiteRed.color(at: (Double(value) + 1) / 2)
            #expect(nearlyEqual(shown, quantized(expected), tolerance: 2.0 / 255), "cell (\(row), \(column)): \(shown)")
        }
    }
}

@Test func matrixColorLimitsAreSymmetricUnlessAskedOtherwise() {
    var figure = knownMatrixFigure()
    figure.values = [-0.2, 3, .nan, -.infinity, 0, 0, 0, 0, 0, 0, 0, 0]
    #expect(figure.resolvedColorLimits == -3...3)
    figure.symmetricLimits = false
    #expect(figure.resolvedColorLimits == -0.2...3)
    figure.colorLimits = -5...1
    #expect(figure.resolvedColorLimits == -5...1)
    figure.colorLimits = nil
    figure.values = [Float](repeating: 0, count: 12)
    figure.symmetricLimits = true
    #expect(figure.resolvedColorLimits == -1...1)
}

@Test func matrixMarksTimeZeroWithADashedLineAndRowMarkersWithDots() throws {
    var figure = knownMatrixFigure()
    figure.values = [Float](repeating: 0, count: 12)  // all white-ish
    let plot = try layout(of: figure).plot
    // t = 0 is the centre of column 1; the dash pattern starts drawn at the top.
    let markerX = plot.minX + 1.5 * plot.width / 4
    let dotCenter = cellCenter(row: 2, column: 3, of: figure, in: plot)
    func darkness(_ figure: MatrixFigure) throws -> (marker: Double, beside: Double, dot: Double) {
        let image = try renderedPNG { try figure.write(to: $0) }
        func dark(_ x: Double, _ y: Double) throws -> Double {
            let color = try pngPixel(image, atPoint: x, y)
            return 1 - (color.red + color.green + color.blue) / 3
        }
        return (
            try dark(markerX, plot.minY + 2), try dark(markerX + 4, plot.minY + 2), try dark(dotCenter.x, dotCenter.y)
        )
    }
    let plain = try darkness(figure)
    #expect(plain.marker < 0.1 && plain.beside < 0.1 && plain.dot < 0.1)
    figure.verticalMarkers = [0]
    figure.rowMarkers = [.nan, .nan, 20]
    let marked = try darkness(figure)
    #expect(marked.marker > 0.5, "no marker at t = 0: \(marked.marker)")
    #expect(marked.beside < 0.1)
    #expect(marked.dot > 0.5, "no dot at row 2, 20 ms: \(marked.dot)")
}

@Test func matrixWithTwentyThousandRowsDrawsEveryRowBand() throws {
    let rowCount = 20_000
    let values = (0..<rowCount).flatMap { row in [Float](repeating: row < rowCount / 2 ? -1 : 1, count: 3) }
    var figure = MatrixFigure(
        values: values, rowCount: rowCount, columnCount: 3, columns: .values([0, 10, 20], label: "Time (ms)"),
        rows: .index(label: "event"), colorbarLabel: "activation", title: "")
    figure.rowMarkers = (0..<rowCount).map { Double($0 % 21) }
    let image = try renderedPNG { try figure.write(to: $0) }
    let layout = try layout(of: figure)
    let plot = layout.plot
    let top = try pngPixel(image, atPoint: plot.minX + 2, plot.minY + 0.25 * plot.height)
    let bottom = try pngPixel(image, atPoint: plot.minX + 2, plot.minY + 0.75 * plot.height)
    #expect(nearlyEqual(top, quantized(Colormap.blueWhiteRed.color(at: 0)), tolerance: 2.0 / 255))
    #expect(nearlyEqual(bottom, quantized(Colormap.blueWhiteRed.color(at: 1)), tolerance: 2.0 / 255))
    #expect(layout.rowAxis.ticks.first?.label == "0")
    #expect(layout.rowAxis.ticks.allSatisfy { Int($0.label) ?? -1 < rowCount })

    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let svg = directory.appendingPathComponent("tall.svg")
    try figure.write(to: svg)
    #expect(try String(contentsOf: svg, encoding: .utf8).contains("width=\"3\" height=\"20000\""))
}

@Test func oneByOneMatrixFillsThePlotToItsEdges() throws {
    var figure = MatrixFigure(
        values: [2], rowCount: 1, columnCount: 1, columns: .values([0], label: "t"), rows: .index(label: "unit"),
        colorbarLabel: "v", title: "1 x 1")
    figure.size = (400, 300)
    let image = try renderedPNG { try figure.write(to: $0) }
    let layout = try layout(of: figure)
    let plot = layout.plot
    let red = quantized(Colormap.blueWhiteRed.color(at: 1))
    for (x, y) in [(plot.midX, plot.midY), (plot.minX + 1.5, plot.midY), (plot.maxX - 1.5, plot.midY)] {
        #expect(nearlyEqual(try pngPixel(image, atPoint: x, y), red, tolerance: 2.0 / 255), "at (\(x), \(y))")
    }
    #expect(layout.rowAxis.ticks == [Tick(position: 0, label: "0")])
    #expect(layout.columnAxis.ticks == [Tick(position: 0, label: "0")])
}

@Test func categoryLabelsTurnUpwardWhenCrowdedAndThinWhenTooMany() throws {
    func columnAxis(labels: [String]) throws -> Axis {
        var figure = MatrixFigure(
            values: [Float](repeating: 0, count: labels.count), rowCount: 1, columnCount: labels.count,
            columns: .categories(labels, label: "phoneme"), rows: .categories(["unit 0"], label: ""),
            colorbarLabel: "", title: "")
        figure.size = (900, 400)
        return try layout(of: figure).columnAxis
    }
    let few = try columnAxis(labels: ["ʃ", "s", "aɪ", "iː", "m"])
    #expect(few.labelRotation == .horizontal && few.ticks.map(\.label) == ["ʃ", "s", "aɪ", "iː", "m"])
    // 40 cells of about 20 points: too narrow for "phoneme 12", wide enough for its height.
    let crowded = try columnAxis(labels: (0..<40).map { "phoneme \($0)" })
    #expect(crowded.labelRotation == .upward && crowded.ticks.count == 40)
    let tooMany = try columnAxis(labels: (0..<400).map { "p\($0)" })
    #expect(tooMany.labelRotation == .upward)
    #expect(tooMany.ticks.count > 10 && tooMany.ticks.count < 400)
    #expect(tooMany.ticks.first?.label == "p0")
}

@Test func matrixRowCategoriesAreLabelledFromTheTop() throws {
    var figure = knownMatrixFigure()
    figure.rows = .categories(["conv1", "conv2", "conv3"], label: "layer")
    let axis = try layout(of: figure).rowAxis
    #expect(
        axis.ticks == [
            Tick(position: 2, label: "conv1"), Tick(position: 1, label: "conv2"), Tick(position: 0, label: "conv3"),
        ])
}

@Test func matrixLayoutKeepsEverythingInsideTheFigure() throws {
    let style = FigureStyle.standard
    for size in [(240.0, 160.0), (800.0, 500.0), (1600.0, 300.0)] {
        for columns in [
            MatrixFigure.ColumnAxis.values([-10, 0, 10, 20], label: "Time (ms)"),
            .categories(["long label a", "long label b", "long label c", "long label d"], label: "what"),
        ] {
            var figure = knownMatrixFigure()
            figure.size = size
            figure.columns = columns
            let canvas = try measuringCanvas(for: figure)
            let layout = figure.layout(on: canvas, style: style)
            let plot = layout.plot
            #expect(plot.minX - layout.rowAxis.thickness(on: canvas, style: style) >= style.outerPadding - 1e-9)
            #expect(
                plot.maxY + layout.columnAxis.thickness(on: canvas, style: style) <= size.1 - style.outerPadding + 1e-9)
            let barRight = layout.colorBar.minX + figure.colorBar.width(length: plot.height, on: canvas, style: style)
            #expect(barRight <= size.0 - style.outerPadding + 1e-9)
            #expect(plot.width > 0 && plot.height > 0)
        }
    }
}

@Test func matrixValidationNamesTheBadParameterAndWritesNothing() throws {
    let cases: [(name: String, change: (inout MatrixFigure) -> Void)] = [
        ("rowCount", { $0.rowCount = 0 }),
        ("columnCount", { $0.columnCount = 0 }),
        ("values.count", { $0.values.removeLast() }),
        ("columns.values.count", { $0.columns = .values([0, 1, 2], label: "t") }),
        ("columns.values[2]", { $0.columns = .values([0, 1, 1, 2], label: "t") }),
        ("columns.values[0]", { $0.columns = .values([.nan, 1, 2, 3], label: "t") }),
        ("columns.categories.count", { $0.columns = .categories(["a"], label: "p") }),
        ("rows.categories.count", { $0.rows = .categories(["a", "b"], label: "u") }),
        (
            "verticalMarkers",
            {
                $0.columns = .categories(["a", "b", "c", "d"], label: "p")
                $0.verticalMarkers = [0]
            }
        ),
        (
            "rowMarkers",
            {
                $0.columns = .categories(["a", "b", "c", "d"], label: "p")
                $0.rowMarkers = [0, 0, 0]
            }
        ),
        ("verticalMarkers[0]", { $0.verticalMarkers = [.infinity] }),
        ("rowMarkers.count", { $0.rowMarkers = [0] }),
        ("rowMarkers[1]", { $0.rowMarkers = [0, -.infinity, .nan] }),
        ("colorLimits", { $0.colorLimits = 1...1 }),
        ("size", { $0.size = (100, 100) }),
        ("pixelsPerPoint", { $0.pixelsPerPoint = 0 }),
    ]
    try expectInvalidParameters(cases, of: knownMatrixFigure, fileName: "matrix.png") { try $0.write(to: $1) }
}
