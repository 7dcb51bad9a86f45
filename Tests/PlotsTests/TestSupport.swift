import Foundation

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
