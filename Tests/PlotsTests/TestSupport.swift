import Foundation
import Testing

@testable import Plots

/// A fresh empty directory for one test's files; remove it with `removeTemporaryDirectory`.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("PlotsTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func removeTemporaryDirectory(_ url: URL) {
    try? FileManager.default.removeItem(at: url)
}

/// The names of the files in `directory`, hidden ones included (temporary files are hidden).
func fileNames(in directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
}

/// Whether two colours agree to within one 8-bit level per channel.
func nearlyEqual(_ a: RGBColor, _ b: RGBColor, tolerance: Double = 1.0 / 255 + 1e-9) -> Bool {
    abs(a.red - b.red) <= tolerance && abs(a.green - b.green) <= tolerance && abs(a.blue - b.blue) <= tolerance
}

/// A colour as the PNG stores it: each channel rounded to 8 bits.
func quantized(_ color: RGBColor) -> RGBColor {
    RGBColor(
        red: (color.red * 255).rounded() / 255, green: (color.green * 255).rounded() / 255,
        blue: (color.blue * 255).rounded() / 255)
}

/// Centre frequencies of `count` Slaney mel bands from 0 Hz to `maximum` Hz, as librosa's
/// `mel_frequencies(count + 2, fmin=0, fmax=maximum)[1:-1]` gives them: linear below 1 kHz
/// (200/3 Hz per mel), logarithmic above (27 mels per factor 6.4).
func slaneyMelCenters(count: Int, maximum: Double) -> [Double] {
    let logStep = log(6.4) / 27
    func mel(_ hz: Double) -> Double { hz < 1000 ? hz / (200.0 / 3) : 15 + log(hz / 1000) / logStep }
    func hz(_ mel: Double) -> Double { mel < 15 ? mel * 200.0 / 3 : 1000 * exp((mel - 15) * logStep) }
    let top = mel(maximum)
    return (1...count).map { hz(top * Double($0) / Double(count + 1)) }
}

/// The width and height a PNG file declares in its IHDR chunk.
func pngPixelSize(of url: URL) throws -> (width: Int, height: Int) {
    let bytes = [UInt8](try Data(contentsOf: url))
    // Signature (8), chunk length (4), "IHDR" (4), then big-endian width and height.
    guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return (0, 0) }
    func bigEndian(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (bigEndian(16), bigEndian(20))
}

/// Calls `write` for a PNG, an SVG and a PDF in a temporary directory and checks that each
/// file exists, is not empty and starts as its format does, and that the PNG has `pixelSize`.
func expectWritesEveryFormat(pixelSize: (width: Int, height: Int), write: (URL) throws -> Void) throws {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    for pathExtension in ["png", "svg", "pdf"] {
        let url = directory.appendingPathComponent("figure.\(pathExtension)")
        try write(url)
        let data = try Data(contentsOf: url)
        #expect(data.count > 100, "\(pathExtension) has \(data.count) bytes")
        switch pathExtension {
        case "png":
            #expect(Array(data.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            let size = try pngPixelSize(of: url)
            #expect(size.width == pixelSize.width && size.height == pixelSize.height, "PNG is \(size)")
        case "svg":
            #expect(String(decoding: data, as: UTF8.self).contains("<svg"))
        default:
            #expect(String(decoding: data.prefix(5), as: UTF8.self) == "%PDF-")
        }
    }
}

/// Calls `write` for a PNG in a temporary directory and reads its pixels back.
func renderedPNG(write: (URL) throws -> Void) throws -> CairoSurface {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let url = directory.appendingPathComponent("figure.png")
    try write(url)
    return try CairoSurface.readingPNG(path: url.path)
}

/// A canvas of `figure`'s size that measures text as the real write does, for layouts.
func measuringCanvas(for figure: some FigureDrawing) throws -> Canvas {
    try Canvas(
        format: .png, path: "/dev/null", width: figure.size.width, height: figure.size.height,
        pixelsPerPoint: figure.pixelsPerPoint)
}

/// The PNG pixel at point (x, y), at `scale` pixels per point.
func pngPixel(_ image: CairoSurface, atPoint x: Double, _ y: Double, scale: Double = 2) throws -> RGBColor {
    try image.pixel(x: Int(x * scale), y: Int(y * scale))
}

/// The message of the `PlotError` that `body` throws, or "" when it throws none.
func plotErrorMessage(_ body: () throws -> Void) -> String {
    do {
        try body()
    } catch let error as PlotError {
        return error.description
    } catch {
        return "not a PlotError: \(error)"
    }
    return ""
}

/// For each case, applies `change` to a fresh figure from `make`, lets `write` write it to
/// `fileName` in a temporary directory, and expects a `PlotError` that names the parameter
/// `name` first ("invalid NAME value: expected ...") and no file left behind.
func expectInvalidParameters<Figure>(
    _ cases: [(name: String, change: (inout Figure) -> Void)], of make: () -> Figure, fileName: String,
    write: (Figure, URL) throws -> Void
) throws {
    let directory = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(directory) }
    let url = directory.appendingPathComponent(fileName)
    for (name, change) in cases {
        var figure = make()
        change(&figure)
        let message = plotErrorMessage { try write(figure, url) }
        #expect(message.hasPrefix("invalid \(name) ") && message.contains(": expected "), "\(name): \(message)")
    }
    #expect(try fileNames(in: directory).isEmpty)
}
