import Foundation

/// Analysis windows, periodic ("DFT-even") as `scipy.signal.get_window(..., fftbins=True)`
/// returns them and librosa uses them.
public enum WindowKind: String, Sendable, Codable, CaseIterable {
    /// w[n] = 0.5 - 0.5 cos(2 pi n / N)
    case hann
    /// w[n] = 0.54 - 0.46 cos(2 pi n / N)
    case hamming

    /// The periodic window of `length` samples, computed in double precision.
    public func coefficients(length: Int) -> [Double] {
        precondition(length > 0, "window length must be positive")
        let (a0, a1): (Double, Double) = self == .hann ? (0.5, 0.5) : (0.54, 0.46)
        if length == 1 { return [1] }  // as scipy: a one-point window is [1]
        return (0..<length).map { n in a0 - a1 * cos(2 * Double.pi * Double(n) / Double(length)) }
    }

    /// The window of `windowLength` samples centred in `fftLength` zeros (librosa `pad_center`):
    /// it starts at `(fftLength - windowLength) / 2`.
    public func padded(windowLength: Int, fftLength: Int) -> [Float] {
        precondition(windowLength <= fftLength)
        var result = [Float](repeating: 0, count: fftLength)
        let offset = (fftLength - windowLength) / 2
        for (i, w) in coefficients(length: windowLength).enumerated() { result[offset + i] = Float(w) }
        return result
    }
}
