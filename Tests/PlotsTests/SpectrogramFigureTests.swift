import Foundation
import PhonoscopeIO
import Testing

@testable import Plots

/// 8 frames x 4 bins: frames 0-3 hold the minimum (0), frames 4-7 the maximum (1).
private func halfAndHalfFigure() -> SpectrogramFigure {
    let values: [Float] = (0..<8).flatMap { frame in [Float](repeating: frame < 4 ? 0 : 1, count: 4) }
    var figure = SpectrogramFigure(
        values: values, frameCount: 8, binCount: 4, secondsPerFrame: 0.01,
        binFrequencies: [0, 1000, 2000, 3000], colorbarLabel: "power (dB)", title: "half and half")
    figure.size = (400, 240)
    return figure
}

/// The layout of `figure` as drawn into a PNG (same text metrics as the real write).
private func layout(of figure: SpectrogramFigure) throws -> SpectrogramFigure.Layout {
    let canvas = try Canvas(
        format: .png, path: "/dev/null", width: figure.size.width, height: figure.size.height,
        pixelsPerPoint: figure.pixelsPerPoint)
    return figure.layout(on: canvas, style: .standard)
}

/// Renders `figure` to a PNG in a temporary directory and returns its pixels and layout.
private func renderPNG(_ figure: SpectrogramFigure) throws -> (image: CairoSurface, layout: SpectrogramFigure.Layout) {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let url = directory.appendingPathComponent("figure.png")
    try figure.write(to: url)
    return (try CairoSurface.readingPNG(path: url.path), try layout(of: figure))
}

/// The PNG pixel at point (x, y), in points.
private func pixel(_ image: CairoSurface, atPoint x: Double, _ y: Double, scale: Double = 2) throws -> RGBColor {
    try image.pixel(x: Int(x * scale), y: Int(y * scale))
}

@Test(arguments: ["png", "svg", "pdf", "PNG", "Svg"])
func writesEachFormatWithItsMagicBytes(pathExtension: String) throws {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let url = directory.appendingPathComponent("figure.\(pathExtension)")
    try halfAndHalfFigure().write(to: url)
    let data = try Data(contentsOf: url)
    switch pathExtension.lowercased() {
    case "png":
        #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    case "svg":
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("<?xml") || text.hasPrefix("<svg"))
        #expect(text.contains("<svg"))
    default:
        #expect(String(decoding: data.prefix(5), as: UTF8.self) == "%PDF-")
    }
    // Only the figure itself: the temporary file was renamed onto it.
    #expect(try fileNames(in: directory) == ["figure.\(pathExtension)"])
}

@Test func pngSizeIsTwoPixelsPerPointFromTheIHDRChunk() throws {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let url = directory.appendingPathComponent("figure.png")
    try halfAndHalfFigure().write(to: url)
    let bytes = [UInt8](try Data(contentsOf: url))
    // Signature (8), chunk length (4), "IHDR" (4), then big-endian width and height.
    #expect(Array(bytes[12..<16]) == Array("IHDR".utf8))
    func bigEndian(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
    #expect(bigEndian(16) == 800)
    #expect(bigEndian(20) == 480)
}

@Test func pngShowsTheColormapEndsWhereTheMatrixHasItsMinimumAndMaximum() throws {
    let (image, layout) = try renderPNG(halfAndHalfFigure())
    let plot = layout.plot
    let low = quantized(Colormap.magma.color(at: 0))
    let high = quantized(Colormap.magma.color(at: 1))
    for fraction in [0.1, 0.25, 0.4] {
        for height in [0.2, 0.5, 0.8] {
            let left = try pixel(image, atPoint: plot.minX + fraction * plot.width, plot.minY + height * plot.height)
            let right = try pixel(image, atPoint: plot.maxX - fraction * plot.width, plot.minY + height * plot.height)
            #expect(nearlyEqual(left, low), "left half at \(fraction): \(left)")
            #expect(nearlyEqual(right, high), "right half at \(fraction): \(right)")
        }
    }
    // The colour bar runs from the minimum at the bottom to the maximum at the top: the pixel
    // row at height fraction t shows the colour map at t (to within the gradient's steps).
    let bar = layout.colorBar
    for t in [0.02, 0.25, 0.5, 0.75, 0.98] {
        let y = bar.maxY - t * bar.height
        let shown = try pixel(image, atPoint: bar.midX, y)
        #expect(nearlyEqual(shown, Colormap.magma.color(at: t), tolerance: 4.0 / 255), "colour bar at \(t): \(shown)")
    }
    // Outside the plot the figure is white.
    #expect(try pixel(image, atPoint: 2, 2) == .white)
}

@Test func lowFrequenciesAreAtTheBottomAndNaNIsGrey() throws {
    // Bin 0 loud, bin 3 missing, the rest quiet, in every frame.
    let values: [Float] = (0..<6).flatMap { _ in [10, -10, -10, .nan] }
    var figure = SpectrogramFigure(
        values: values, frameCount: 6, binCount: 4, secondsPerFrame: 0.5, binFrequencies: nil,
        colorbarLabel: "dB", title: "")
    figure.colormap = .viridis
    let (image, layout) = try renderPNG(figure)
    let plot = layout.plot
    let x = plot.midX
    let rowHeight = plot.height / 4
    let bottomRow = try pixel(image, atPoint: x, plot.maxY - rowHeight / 2)
    let secondRow = try pixel(image, atPoint: x, plot.maxY - 1.5 * rowHeight)
    let topRow = try pixel(image, atPoint: x, plot.minY + rowHeight / 2)
    #expect(nearlyEqual(bottomRow, quantized(Colormap.viridis.color(at: 1))))
    #expect(nearlyEqual(secondRow, quantized(Colormap.viridis.color(at: 0))))
    #expect(nearlyEqual(topRow, quantized(FigureStyle.standard.missingValueColor)))
}

@Test func colorLimitsClampValuesOutsideThem() throws {
    var figure = halfAndHalfFigure()
    figure.values = figure.values.map { $0 == 0 ? -50 : 50 }
    figure.colorLimits = -1...1
    figure.colormap = .blueWhiteRed
    let (image, layout) = try renderPNG(figure)
    let plot = layout.plot
    let left = try pixel(image, atPoint: plot.minX + 0.25 * plot.width, plot.midY)
    let right = try pixel(image, atPoint: plot.maxX - 0.25 * plot.width, plot.midY)
    #expect(nearlyEqual(left, quantized(Colormap.blueWhiteRed.color(at: 0))))
    #expect(nearlyEqual(right, quantized(Colormap.blueWhiteRed.color(at: 1))))
}

@Test func defaultColorLimitsSpanTheFiniteValues() {
    var figure = halfAndHalfFigure()
    figure.values[0] = .nan
    figure.values[1] = -.infinity
    figure.values[2] = -3
    #expect(figure.resolvedColorLimits == -3...1)
    figure.values = [Float](repeating: 2, count: 32)
    #expect(figure.resolvedColorLimits == 1.5...2.5)
    figure.values = [Float](repeating: .nan, count: 32)
    #expect(figure.resolvedColorLimits == 0...1)
}

@Test func vectorFormatsEmbedOneMatrixSizedSharpBitmap() throws {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let svg = directory.appendingPathComponent("figure.svg")
    try halfAndHalfFigure().write(to: svg)
    let text = try String(contentsOf: svg, encoding: .utf8)
    // The matrix (8 frames wide, 4 bins tall) and the colour bar's gradient, nothing larger.
    #expect(text.contains("width=\"8\" height=\"4\""))
    #expect(text.components(separatedBy: "<image ").count - 1 == 2)
    #expect(text.contains("image-rendering:pixelated"))
    let pdf = directory.appendingPathComponent("figure.pdf")
    try halfAndHalfFigure().write(to: pdf)
    let pdfText = String(decoding: try Data(contentsOf: pdf), as: UTF8.self)
    #expect(pdfText.contains("/Interpolate false"))
}

@Test func layoutKeepsEverythingInsideTheFigure() throws {
    for size in [(240.0, 160.0), (400.0, 240.0), (800.0, 400.0), (1600.0, 300.0)] {
        var figure = halfAndHalfFigure()
        figure.size = size
        figure.binFrequencies = slaneyMelCenters(count: 4, maximum: 8000)
        let canvas = try Canvas(format: .png, path: "/dev/null", width: size.0, height: size.1)
        let layout = figure.layout(on: canvas, style: .standard)
        let style = FigureStyle.standard
        let leftReach = layout.plot.minX - layout.frequencyAxis.thickness(on: canvas, style: style)
        let bottomReach = layout.plot.maxY + layout.timeAxis.thickness(on: canvas, style: style)
        let rightReach =
            layout.colorBar.minX + figure.colorBar.width(length: layout.plot.height, on: canvas, style: style)
        #expect(leftReach >= style.outerPadding - 1e-9)
        #expect(bottomReach <= size.1 - style.outerPadding + 1e-9)
        #expect(rightReach <= size.0 - style.outerPadding + 1e-9)
        #expect(layout.plot.width > 0 && layout.plot.height > 0)
        #expect(layout.timeAxis.ticks.count >= 2)
    }
}

@Test(arguments: ["figure.jpg", "figure", "figure.png.txt"])
func unknownExtensionThrowsAndLeavesNoFile(name: String) throws {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let url = directory.appendingPathComponent(name)
    let error = #expect(throws: PlotError.self) { try halfAndHalfFigure().write(to: url) }
    #expect(error == .unsupportedFormat(path: url.path, extension: url.pathExtension))
    let message = error?.description ?? ""
    #expect(message.contains(url.path) && message.contains(".png, .svg, .pdf"))
    #expect(try fileNames(in: directory).isEmpty)
}

@Test func missingOutputDirectoryThrowsAndLeavesNoFile() throws {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let missing = directory.appendingPathComponent("missing")
    let url = missing.appendingPathComponent("figure.png")
    let error = #expect(throws: FileError.self) { try halfAndHalfFigure().write(to: url) }
    #expect(error == .missingOutputDirectory(path: url.path, directory: missing.path))
    #expect(try fileNames(in: directory).isEmpty)
}

@Test func inconsistentDataThrowsNamingTheValueAndLeavesNoFile() throws {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let url = directory.appendingPathComponent("figure.pdf")

    var wrongCount = halfAndHalfFigure()
    wrongCount.values.removeLast()
    let countError = #expect(throws: PlotError.self) { try wrongCount.write(to: url) }
    #expect(countError?.description.contains("values.count 31") == true)
    #expect(countError?.description.contains("8 x 4 = 32") == true)

    var decreasing = halfAndHalfFigure()
    decreasing.binFrequencies = [0, 1000, 900, 3000]
    let orderError = #expect(throws: PlotError.self) { try decreasing.write(to: url) }
    #expect(orderError?.description.contains("binFrequencies[2] 900.0") == true)

    var emptyLimits = halfAndHalfFigure()
    emptyLimits.colorLimits = 1...1
    #expect(throws: PlotError.self) { try emptyLimits.write(to: url) }

    var noTime = halfAndHalfFigure()
    noTime.secondsPerFrame = 0
    #expect(throws: PlotError.self) { try noTime.write(to: url) }

    #expect(try fileNames(in: directory).isEmpty)
}

@Test func rewritingReplacesAnExistingFigure() throws {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let url = directory.appendingPathComponent("figure.png")
    try Data("old".utf8).write(to: url)
    try halfAndHalfFigure().write(to: url)
    #expect(Array(try Data(contentsOf: url).prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    #expect(try fileNames(in: directory) == ["figure.png"])
}

@Test func matricesWiderThanCairosLimitAreSampledNotRejected() throws {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    // 40,000 frames (6.7 minutes at a 10 ms hop) by 2 bins.
    let frameCount = 40_000
    let values = (0..<frameCount).flatMap { frame in [Float(frame), Float(frame)] }
    let figure = SpectrogramFigure(
        values: values, frameCount: frameCount, binCount: 2, secondsPerFrame: 0.01, binFrequencies: nil,
        colorbarLabel: "frame", title: "long")
    let url = directory.appendingPathComponent("long.svg")
    try figure.write(to: url)
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(text.contains("width=\"\(CairoSurface.maximumImageDimension)\" height=\"2\""))
}
