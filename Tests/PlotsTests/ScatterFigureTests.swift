import Foundation
import Testing

@testable import Plots

/// Three points at the corners of their range and one in the middle, each in its own colour.
private func knownScatter() -> ScatterFigure {
    var figure = ScatterFigure(
        x: [0, 10, 0, 5], y: [0, 0, 10, 5], xLabel: "t-SNE 1", yLabel: "t-SNE 2", title: "known")
    figure.colors = [
        RGBColor(red: 1, green: 0, blue: 0), RGBColor(red: 0, green: 0, blue: 1), RGBColor(red: 0, green: 0.5, blue: 0),
        RGBColor(red: 0.5, green: 0, blue: 0.5),
    ]
    figure.legend = [LegendEntry(label: "vowel", color: RGBColor(red: 1, green: 0, blue: 0))]
    figure.pointLabels = ["a", "b", "", "ʃ"]
    figure.size = (400, 300)
    return figure
}

@Test func scatterWritesPNGSVGAndPDF() throws {
    try expectWritesEveryFormat(pixelSize: (800, 600)) { try knownScatter().write(to: $0) }
}

@Test func scatterDrawsEachPointWhereItsAxesSayInItsColour() throws {
    let figure = knownScatter()
    let layout = figure.layout(on: try measuringCanvas(for: figure), style: .standard)
    let image = try renderedPNG { try figure.write(to: $0) }
    for (i, color) in (figure.colors ?? []).enumerated() {
        let x = layout.xAxis.coordinate(of: figure.x[i], along: layout.plot)
        let y = layout.yAxis.coordinate(of: figure.y[i], along: layout.plot)
        let shown = try pngPixel(image, atPoint: x, y)
        #expect(nearlyEqual(shown, quantized(color), tolerance: 2.0 / 255), "point \(i): \(shown) not \(color)")
    }
    // 5 % padding: the points lie inside the frame, not on it.
    #expect(layout.xAxis.range.lowerBound == -0.5 && layout.xAxis.range.upperBound == 10.5)
    #expect(ScatterFigure.range(of: [3, 3]) == 2...4)
}

@Test func scatterRefusesInconsistentData() throws {
    var figure = knownScatter()
    figure.y = [1]
    #expect(throws: PlotError.self) { try figure.validate() }
    figure = knownScatter()
    figure.x[1] = .nan
    #expect(throws: PlotError.self) { try figure.validate() }
    figure = knownScatter()
    figure.colors = []
    #expect(throws: PlotError.self) { try figure.validate() }
}
