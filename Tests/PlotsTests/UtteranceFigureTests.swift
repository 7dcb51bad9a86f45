import Foundation
import PhonoscopeIO
import Testing

@testable import Plots

/// One second at 8 kHz, silent for the first half and a 0.8-amplitude 2 kHz tone after (samples
/// 0, 0.8, 0, -0.8, ..., so every pixel column's envelope spans -0.8...0.8); a
/// 4-bin spectrogram of constant value; a word tier and a phone tier with known boundaries.
private func toneFigure(tiers: [FigureTier] = standardTiers) -> UtteranceFigure {
    let sampleRate = 8000
    let samples = (0..<sampleRate).map { index -> Float in
        index < sampleRate / 2 ? 0 : 0.8 * Float(sin(2 * Double.pi * 2000 * Double(index) / Double(sampleRate)))
    }
    let frameCount = 100
    var figure = UtteranceFigure(
        samples: samples, sampleRate: sampleRate,
        spectrogram: [Float](repeating: -40, count: frameCount * 4), frameCount: frameCount, binCount: 4,
        secondsPerFrame: 0.01, binFrequencies: [500, 1500, 2500, 3500], tiers: tiers, title: "tone")
    figure.colorLimits = -80...0
    figure.size = (600, 400)
    return figure
}

private let standardTiers = [
    FigureTier(
        name: "words",
        intervals: [FigureInterval(start: 0, end: 0.5, label: ""), FigureInterval(start: 0.5, end: 1, label: "tone")]),
    FigureTier(
        name: "phones",
        intervals: [
            FigureInterval(start: 0, end: 0.3, label: "a"), FigureInterval(start: 0.3, end: 0.5, label: ""),
            FigureInterval(start: 0.5, end: 0.7, label: "ʃ"), FigureInterval(start: 0.7, end: 1, label: "ɔʏ"),
        ]),
]

private func canvas(for figure: UtteranceFigure) throws -> Canvas {
    try Canvas(
        format: .png, path: "/dev/null", width: figure.size.width, height: figure.size.height,
        pixelsPerPoint: figure.pixelsPerPoint)
}

/// Renders `figure` to a PNG in a temporary directory and returns its pixels and layout.
private func renderPNG(_ figure: UtteranceFigure) throws -> (image: CairoSurface, layout: UtteranceFigure.Layout) {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let url = directory.appendingPathComponent("figure.png")
    try figure.write(to: url)
    return (try CairoSurface.readingPNG(path: url.path), figure.layout(on: try canvas(for: figure), style: .standard))
}

/// Mean of the three channels of the PNG pixel at point (x, y): 0 black, 1 white.
private func brightness(_ image: CairoSurface, _ x: Double, _ y: Double, scale: Double = 2) throws -> Double {
    let color = try image.pixel(x: Int(x * scale), y: Int(y * scale))
    return (color.red + color.green + color.blue) / 3
}

@Test(arguments: ["png", "svg", "pdf", "PDF"])
func utteranceFigureWritesEachFormatWithItsMagicBytes(pathExtension: String) throws {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let url = directory.appendingPathComponent("utterance.\(pathExtension)")
    try toneFigure().write(to: url)
    let data = try Data(contentsOf: url)
    switch pathExtension.lowercased() {
    case "png":
        #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // 600 x 400 points at 2 pixels per point, from the IHDR chunk.
        let bytes = [UInt8](data)
        func bigEndian(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        #expect(bigEndian(16) == 1200 && bigEndian(20) == 800)
    case "svg":
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("<svg"))
        // Only the spectrogram (100 frames x 4 bins) and the colour bar are bitmaps.
        #expect(text.contains("width=\"100\" height=\"4\""))
        #expect(text.components(separatedBy: "<image ").count - 1 == 2)
    default:
        #expect(String(decoding: data.prefix(5), as: UTF8.self) == "%PDF-")
    }
    #expect(try fileNames(in: directory) == ["utterance.\(pathExtension)"])
}

@Test(arguments: ["utterance.jpg", "utterance"])
func utteranceFigureWithUnknownExtensionThrowsAndLeavesNoFile(name: String) throws {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let url = directory.appendingPathComponent(name)
    let error = #expect(throws: PlotError.self) { try toneFigure().write(to: url) }
    #expect(error == .unsupportedFormat(path: url.path, extension: url.pathExtension))
    #expect(try fileNames(in: directory).isEmpty)
}

@Test func utteranceFigureInMissingDirectoryThrowsAndLeavesNoFile() throws {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let missing = directory.appendingPathComponent("missing")
    let url = missing.appendingPathComponent("utterance.png")
    let error = #expect(throws: FileError.self) { try toneFigure().write(to: url) }
    #expect(error == .missingOutputDirectory(path: url.path, directory: missing.path))
    #expect(try fileNames(in: directory).isEmpty)
}

@Test func tierBoundariesAreDarkLinesAtTheirTimes() throws {
    let (image, layout) = try renderPNG(toneFigure())
    let phones = layout.tiers[1]
    // Between the strip's top frame and its labels, only boundaries are drawn.
    let y = phones.minY + 3
    for time in [0.3, 0.5, 0.7] {
        let x = layout.x(ofTime: time)
        let line = try brightness(image, x, y)
        let left = try brightness(image, x - 4, y)
        let right = try brightness(image, x + 4, y)
        #expect(line < 0.4, "boundary at \(time) s, x \(x): brightness \(line)")
        #expect(left > 0.95 && right > 0.95, "beside the boundary at \(time) s: \(left), \(right)")
    }
    // The words tier has its one inner boundary at 0.5 s and none at 0.3 s.
    let words = layout.tiers[0]
    #expect(try brightness(image, layout.x(ofTime: 0.5), words.minY + 3) < 0.4)
    #expect(try brightness(image, layout.x(ofTime: 0.3), words.minY + 3) > 0.95)
    // The tiers share the waveform's time scale: 0 and 1 s are its left and right edges.
    #expect(abs(layout.x(ofTime: 0) - phones.minX) < 1e-9 && abs(layout.x(ofTime: 1) - phones.maxX) < 1e-9)
}

@Test func phoneBoundariesCrossTheWaveformAndSpectrogramAsFaintLines() throws {
    let (image, layout) = try renderPNG(toneFigure())
    let background = quantized(Colormap.magma.color(at: 0.5))
    for time in [0.3, 0.7] {
        let x = layout.x(ofTime: time)
        // The first dash starts at each panel's top.
        let onWaveform = try image.pixel(x: Int(x * 2), y: Int((layout.waveform.minY + 1.5) * 2))
        let onSpectrogram = try image.pixel(x: Int(x * 2), y: Int((layout.spectrogram.minY + 1.5) * 2))
        let besideSpectrogram = try image.pixel(x: Int((x + 4) * 2), y: Int((layout.spectrogram.minY + 1.5) * 2))
        // Light blue: bluer than red, lighter than the frame, unlike white and the magma cells.
        #expect(onWaveform.blue - onWaveform.red > 0.2, "waveform guide at \(time) s: \(onWaveform)")
        #expect(onSpectrogram.blue - onSpectrogram.red > 0.2, "spectrogram guide at \(time) s: \(onSpectrogram)")
        #expect(nearlyEqual(besideSpectrogram, background), "spectrogram beside the guide: \(besideSpectrogram)")
    }
    // 0.15 s is no boundary: the waveform panel's top is white there.
    let x = layout.x(ofTime: 0.15)
    #expect(try image.pixel(x: Int(x * 2), y: Int((layout.waveform.minY + 1.5) * 2)) == .white)
}

@Test func waveformOfAToneAfterSilenceHasInkOnlyInTheSecondHalf() throws {
    let (image, layout) = try renderPNG(toneFigure(tiers: []))
    let panel = layout.waveform
    let limit = layout.amplitudeAxis.range.upperBound
    // Symmetric limits 5 % beyond the 0.8 peak.
    #expect(abs(limit - 0.84) < 1e-6 && layout.amplitudeAxis.range.lowerBound == -limit)
    // Rows more than 2 points from the zero line, inside the frame.
    let rows = stride(from: panel.minY + 2, through: panel.maxY - 2, by: 0.5).filter { abs($0 - panel.midY) > 2 }
    func inkCount(atTime time: Double) throws -> Int {
        let x = layout.x(ofTime: time)
        return try rows.filter { try brightness(image, x, $0) < 0.5 }.count
    }
    for time in stride(from: 0.02, through: 0.48, by: 0.02) {
        #expect(try inkCount(atTime: time) == 0, "ink in the silent half at \(time) s")
    }
    // The tone fills its envelope from -0.8 to 0.8: every row between is ink, and the ink's
    // top and bottom lie within a point of where 0.8 and -0.8 fall.
    let halfHeight = panel.height / 2
    let expectedTop = panel.midY - 0.8 / limit * halfHeight
    let expectedBottom = panel.midY + 0.8 / limit * halfHeight
    let scanRows = Array(stride(from: panel.minY + 1, through: panel.maxY - 1, by: 0.5))
    for time in stride(from: 0.52, through: 0.98, by: 0.02) {
        let x = layout.x(ofTime: time)
        let inked = try scanRows.filter { try brightness(image, x, $0) < 0.5 }
        let top = try #require(inked.first)
        let bottom = try #require(inked.last)
        #expect(abs(top - expectedTop) <= 1 && abs(bottom - expectedBottom) <= 1, "ink \(top)...\(bottom) at \(time) s")
        #expect(inked.count == scanRows.filter { $0 >= top && $0 <= bottom }.count, "a gap in the ink at \(time) s")
    }
    // The silent half still shows the flat waveform on the zero line.
    #expect(try brightness(image, layout.x(ofTime: 0.25), panel.midY) < 0.5)
}

@Test func envelopeHoldsTheMinimumAndMaximumOfEachColumnsSamples() {
    // A ramp 0, 1, ..., 99 at 100 Hz: column c of 10 covers samples 10c through 10c + 10.
    let layer = WaveformLayer(
        samples: (0..<100).map(Float.init), sampleRate: 100, amplitudeLimit: 100, color: .black)
    let columns = layer.envelope(timeRange: 0...1, columnCount: 10)
    let expectedMinima: [Float] = (0..<10).map { Float(10 * $0) }
    let expectedMaxima: [Float] = (0..<10).map { Float(min(10 * $0 + 10, 99)) }
    #expect(columns.map(\.minimum) == expectedMinima)
    #expect(columns.map(\.maximum) == expectedMaxima)
    // Zoomed in (4 columns per sample) every column still holds a sample: no gaps.
    let fine = layer.envelope(timeRange: 0...0.05, columnCount: 20)
    #expect(fine.allSatisfy { $0.maximum - $0.minimum <= 1 })
    #expect(fine.first?.minimum == 0 && fine.last?.maximum == 5)
    #expect(WaveformLayer.amplitudeLimit(of: [0, -0.5, 0.25]) == 1.05 * 0.5)
    #expect(WaveformLayer.amplitudeLimit(of: [0, 0]) == 1)
}

@Test func labelsShrinkToFitTheirIntervalOrAreLeftOut() throws {
    let figure = toneFigure()
    let canvas = try canvas(for: figure)
    let style = FigureStyle.standard
    let label = "ɔʏ"
    let natural = canvas.inkSize(of: label, fontSize: style.tierLabelSize).width
    let margins = 2 * TierStrip.labelMargin + style.boundaryWidth
    // Wide enough: the full size.
    let wide = TierStrip.labelSize(for: label, width: natural + margins + 10, height: 24, on: canvas, style: style)
    #expect(wide == style.tierLabelSize)
    // Two thirds of the room: two thirds of the size, and the ink then fits.
    let narrow = natural * 2 / 3
    let shrunk = try #require(
        TierStrip.labelSize(for: label, width: narrow + margins, height: 24, on: canvas, style: style))
    #expect(abs(shrunk - style.tierLabelSize * 2 / 3) < 0.01)
    #expect(canvas.inkSize(of: label, fontSize: shrunk).width <= narrow + 1e-6)
    // Below the minimum size: left out; silence: nothing to draw.
    #expect(TierStrip.labelSize(for: label, width: margins + natural / 3, height: 24, on: canvas, style: style) == nil)
    #expect(TierStrip.labelSize(for: "", width: 500, height: 24, on: canvas, style: style) == nil)

    // In the PNG: a long label in a 0.01 s interval (about 5 points) leaves the interval blank
    // but for its boundaries, while "a" in 0.3 s is drawn at its interval's centre.
    var crowded = figure
    crowded.tiers = [
        FigureTier(
            name: "phones",
            intervals: [
                FigureInterval(start: 0, end: 0.3, label: "a"),
                FigureInterval(start: 0.6, end: 0.61, label: "a very long label"),
            ])
    ]
    let (image, layout) = try renderPNG(crowded)
    let strip = layout.tiers[0]
    func inkColumns(from start: Double, to end: Double) throws -> Int {
        let left = layout.x(ofTime: start) + 1.5
        let right = layout.x(ofTime: end) - 1.5
        return try stride(from: left, through: right, by: 0.5).filter { x in
            try stride(from: strip.minY + 2, through: strip.maxY - 2, by: 0.5).contains {
                try brightness(image, x, $0) < 0.5
            }
        }.count
    }
    #expect(try inkColumns(from: 0.6, to: 0.61) == 0)
    #expect(try inkColumns(from: 0.12, to: 0.18) > 0)
    #expect(try inkColumns(from: 0.02, to: 0.1) == 0)
}

@Test func utteranceLayoutStacksPanelsInsideTheFigure() throws {
    let style = FigureStyle.standard
    for size in [(240.0, 160.0), (600.0, 400.0), (1000.0, 640.0), (2000.0, 300.0)] {
        var figure = toneFigure()
        figure.size = size
        let canvas = try canvas(for: figure)
        let layout = figure.layout(on: canvas, style: style)
        let panels = [layout.waveform, layout.spectrogram] + layout.tiers
        for panel in panels {
            #expect(panel.height > 0 && panel.width > 0, "\(size): \(panel)")
            #expect(panel.minX == layout.waveform.minX && panel.maxX == layout.waveform.maxX)
        }
        for (upper, lower) in zip(panels, panels.dropFirst()) {
            #expect(upper.maxY <= lower.minY + 1e-9, "\(size): panels overlap")
        }
        #expect(layout.waveform.minY >= style.outerPadding)
        let bottomReach = layout.bottomPanel.maxY + layout.timeAxis.thickness(on: canvas, style: style)
        #expect(bottomReach <= size.1 - style.outerPadding + 1e-9, "\(size): time axis below the figure")
        let leftReach = [layout.amplitudeAxis, layout.frequencyAxis].map {
            layout.waveform.minX - $0.thickness(on: canvas, style: style)
        }
        #expect(leftReach.allSatisfy { $0 >= style.outerPadding - 1e-9 }, "\(size): \(leftReach)")
        let rightReach =
            layout.colorBar.minX + figure.colorBar.width(length: layout.spectrogram.height, on: canvas, style: style)
        #expect(rightReach <= size.0 - style.outerPadding + 1e-9, "\(size): colour bar beyond the figure")
        #expect(layout.timeAxis.range == 0...1 && layout.timeAxis.ticks.count >= 2)
    }
    // At the default size the tiers keep their full height and the waveform takes 30 % of
    // the rest; the amplitude and frequency labels share one column, so their titles align.
    var figure = toneFigure()
    figure.size = (1000, 640)
    let canvas = try canvas(for: figure)
    let layout = figure.layout(on: canvas, style: style)
    #expect(layout.tiers.allSatisfy { $0.height == style.tierHeight })
    let share = layout.waveform.height / (layout.waveform.height + layout.spectrogram.height)
    #expect(abs(share - UtteranceFigure.waveformShare) < 1e-9)
    #expect(
        layout.amplitudeAxis.labelExtent(on: canvas, style: style)
            == layout.frequencyAxis.labelExtent(on: canvas, style: style))
}

@Test func defaultColorLimitsShowTheTop80Decibels() {
    var figure = toneFigure()
    figure.colorLimits = nil
    figure.spectrogram[0] = 12
    figure.spectrogram[1] = .nan
    figure.spectrogram[2] = .infinity
    figure.spectrogram[3] = -200
    #expect(figure.resolvedColorLimits == -68...12)
    figure.spectrogram = [Float](repeating: .nan, count: figure.spectrogram.count)
    #expect(figure.resolvedColorLimits == -80...0)
}

@Test func invalidUtteranceInputThrowsNamingTheValueAndLeavesNoFile() throws {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let url = directory.appendingPathComponent("utterance.png")
    func message(_ figure: UtteranceFigure) -> String {
        let error = #expect(throws: PlotError.self) { try figure.write(to: url) }
        return error?.description ?? ""
    }

    var unsorted = toneFigure()
    unsorted.tiers[1].intervals.swapAt(1, 2)
    #expect(message(unsorted).contains("tiers[1].intervals[2].start 0.3"))
    #expect(message(unsorted).contains("previous end 0.7"))

    var overlapping = toneFigure()
    overlapping.tiers[0].intervals[1].start = 0.4
    #expect(message(overlapping).contains("tiers[0].intervals[1].start 0.4"))

    var beyond = toneFigure()
    beyond.tiers[1].intervals[3].end = 1.2
    #expect(message(beyond).contains("tiers[1].intervals[3].end 1.2"))
    #expect(message(beyond).contains("0...1.0"))
    #expect(message(beyond).contains("\"phones\""))

    var empty = toneFigure()
    empty.tiers[1].intervals[0].end = 0
    #expect(message(empty).contains("tiers[1].intervals[0].end 0.0"))

    var notANumber = toneFigure()
    notANumber.tiers[0].intervals[0].start = .nan
    #expect(message(notANumber).contains("tiers[0].intervals[0].start nan"))

    var noRate = toneFigure()
    noRate.sampleRate = 0
    #expect(message(noRate).contains("sampleRate 0"))

    var wrongCount = toneFigure()
    wrongCount.spectrogram.removeLast()
    #expect(message(wrongCount).contains("spectrogram.count 399"))
    #expect(message(wrongCount).contains("100 x 4 = 400"))

    var noSamples = toneFigure()
    noSamples.samples = []
    #expect(message(noSamples).contains("samples.count 0"))

    var infiniteSample = toneFigure()
    infiniteSample.samples[7] = .infinity
    #expect(message(infiniteSample).contains("samples[7] inf"))

    var tooSmall = toneFigure()
    tooSmall.size = (239, 400)
    #expect(message(tooSmall).contains("at least 240 x 160"))

    var badFrequencies = toneFigure()
    badFrequencies.binFrequencies = [500, 1500]
    #expect(message(badFrequencies).contains("binFrequencies.count 2"))

    #expect(try fileNames(in: directory).isEmpty)
}

@Test func intervalsMayEndWithinOneSampleOfTheEnd() throws {
    var figure = toneFigure()
    // 1 s + half a sample period at 8 kHz: alignment rounding, accepted and drawn clipped.
    figure.tiers[1].intervals[3].end = 1 + 0.5 / 8000
    try figure.validate()
    figure.tiers[1].intervals[3].end = 1 + 2.0 / 8000
    #expect(throws: PlotError.self) { try figure.validate() }
}
