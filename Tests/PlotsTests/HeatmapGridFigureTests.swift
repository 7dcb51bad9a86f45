import Foundation
import Testing

@testable import Plots

/// Two panels of 4 frames x 3 bins at -15, -5, 5, 15 ms: panel 0 is 1 in bin 0 (the bottom)
/// and 0 elsewhere; panel 1 is -2 everywhere, so the shared symmetric limits are -2...2.
private func twoPanelFigure() -> HeatmapGridFigure {
    let first: [Float] = (0..<4).flatMap { _ in [1, 0, 0] }
    let second = [Float](repeating: -2, count: 12)
    var figure = HeatmapGridFigure(
        panels: [HeatmapPanel(title: "ʃ (n = 412)", values: first), HeatmapPanel(title: "s (n = 97)", values: second)],
        frameCount: 4, binCount: 3, frameTimes: [-15, -5, 5, 15], timeLabel: "Time (ms)",
        binFrequencies: [300, 1000, 3000], colorbarLabel: "z", title: "two phonemes")
    figure.size = (500, 300)
    return figure
}

/// 40 panels of 25 frames x 128 mel bands, 7 columns, 1200 x 900 points.
private func fortyPanelFigure() -> HeatmapGridFigure {
    let panels = (0..<40).map { index in
        HeatmapPanel(
            title: "p\(index) (n = \(100 + index))", values: (0..<(25 * 128)).map { Float(($0 + index) % 7) - 3 })
    }
    var figure = HeatmapGridFigure(
        panels: panels, frameCount: 25, binCount: 128, frameTimes: (0..<25).map { -120 + 10 * Double($0) },
        timeLabel: "Time (ms)", binFrequencies: slaneyMelCenters(count: 128, maximum: 8000),
        colorbarLabel: "z-scored log-mel", title: "Mean log-mel by phoneme")
    figure.columns = 7
    figure.size = (1200, 900)
    return figure
}

private func layout(of figure: HeatmapGridFigure) throws -> HeatmapGridFigure.Layout {
    figure.layout(on: try measuringCanvas(for: figure), style: .standard)
}

@Test func heatmapGridFigureWritesPNGSVGAndPDF() throws {
    let figure = twoPanelFigure()
    try expectWritesEveryFormat(pixelSize: (1000, 600)) { try figure.write(to: $0) }
}

@Test func heatmapGridPanelsShareOneColourScaleWithBinZeroAtTheBottom() throws {
    let figure = twoPanelFigure()
    #expect(figure.resolvedColorLimits == -2...2)
    let image = try renderedPNG { try figure.write(to: $0) }
    let plots = try layout(of: figure).grid.plots
    let colormap = Colormap.blueWhiteRed
    // Panel 0: bin 0 (bottom third) is 1, i.e. three quarters up the shared scale; the top is 0.
    let first = plots[0]
    let x = first.minX + 0.125 * first.width  // frame 0's centre, left of the t = 0 marker
    let bottom = try pngPixel(image, atPoint: x, first.maxY - first.height / 6)
    let top = try pngPixel(image, atPoint: x, first.minY + first.height / 6)
    #expect(nearlyEqual(bottom, quantized(colormap.color(at: 0.75)), tolerance: 2.0 / 255), "bottom: \(bottom)")
    #expect(nearlyEqual(top, quantized(colormap.color(at: 0.5)), tolerance: 2.0 / 255), "top: \(top)")
    // Panel 1 is the scale's lower end.
    let second = try pngPixel(image, atPoint: plots[1].minX + 0.125 * plots[1].width, plots[1].midY)
    #expect(nearlyEqual(second, quantized(colormap.color(at: 0)), tolerance: 2.0 / 255), "second: \(second)")
    // The t = 0 marker, halfway between frames 1 and 2, starts with a dash at the top.
    let marker = try pngPixel(image, atPoint: first.midX, first.minY + 2)
    #expect((marker.red + marker.green + marker.blue) / 3 < 0.5, "marker: \(marker)")
}

@Test func heatmapGridColourLimitsCoverEveryPanel() {
    var figure = twoPanelFigure()
    figure.symmetricLimits = false
    #expect(figure.resolvedColorLimits == -2...1)
    figure.colorLimits = -1...1
    #expect(figure.resolvedColorLimits == -1...1)
}

@Test func fortyPanelsFitWithReadableTextAndAxesOnlyAtTheEdges() throws {
    let figure = fortyPanelFigure()
    let canvas = try measuringCanvas(for: figure)
    let layout = figure.layout(on: canvas, style: .standard)
    let style = layout.style
    let grid = layout.grid
    #expect(grid.rows == 6 && grid.plots.count == 40)
    #expect(style.tickLabelSize >= 7.5 && style.panelTitleSize >= 7.5)
    #expect(layout.timeAxis.ticks.count >= 2)
    #expect(layout.frequencyAxis.ticks.count >= 3)
    #expect(layout.frequencyTitle == "Frequency (Hz)")
    // Time ticks under the last row and under the panels above its empty cells (40 = 5 x 7 + 5).
    let withTimeAxis = (0..<40).filter { !grid.hasPanelBelow($0) }
    #expect(withTimeAxis == [33, 34] + Array(35..<40))
    #expect((0..<40).filter(grid.isInLeftColumn) == [0, 7, 14, 21, 28, 35])
    // Panels do not overlap one another's titles, and all lies inside the figure.
    let titleHeight = layout.panelTitles.height(style: style)
    for (upper, lower) in zip(grid.plots, grid.plots.dropFirst(7)) {
        #expect(lower.minY - titleHeight >= upper.maxY)
    }
    let bounds = grid.bounds
    let padding = FigureStyle.standard.outerPadding
    #expect(bounds.minX - layout.frequencyTicksThickness >= padding)
    #expect(bounds.maxY + layout.timeTicksThickness <= figure.size.height - padding)
    let barRight =
        layout.colorBar.minX + figure.colorBar.width(length: layout.colorBar.height, on: canvas, style: style)
    #expect(barRight <= figure.size.width - padding + 1e-9)
    try expectWritesEveryFormat(pixelSize: (2400, 1800)) { try figure.write(to: $0) }
}

@Test func heatmapGridValidationNamesTheBadParameterAndWritesNothing() throws {
    let cases: [(name: String, change: (inout HeatmapGridFigure) -> Void)] = [
        ("panels.count", { $0.panels = [] }),
        ("frameCount", { $0.frameCount = 0 }),
        ("binCount", { $0.binCount = 0 }),
        ("panels[1].values.count", { $0.panels[1].values.removeLast() }),
        ("frameTimes.count", { $0.frameTimes = [0, 1, 2] }),
        ("frameTimes[2]", { $0.frameTimes[2] = -30 }),
        ("frameTimes[0]", { $0.frameTimes[0] = .infinity }),
        ("binFrequencies.count", { $0.binFrequencies = [100, 200] }),
        ("binFrequencies[2]", { $0.binFrequencies = [100, 200, 150] }),
        ("columns", { $0.columns = -1 }),
        ("verticalMarkers[1]", { $0.verticalMarkers = [0, .nan] }),
        ("colorLimits", { $0.colorLimits = 2...2 }),
        ("size", { $0.size = (20_000, 600) }),
    ]
    try expectInvalidParameters(cases, of: twoPanelFigure, fileName: "grid.pdf") { try $0.write(to: $1) }
}
