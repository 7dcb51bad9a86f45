import Foundation

/// Feature normalisation.
public enum FeatureNormalization: String, Sendable, Codable, CaseIterable {
    /// Leave the values as they are.
    case none
    /// One mean and one standard deviation over the whole utterance (all frames and bins):
    /// x' = (x - mean) / std, the population std (NumPy's default, as [KUNZE17]'s
    /// `z_normalize`). A constant input (std 0) is only centred.
    case utterance

    public func apply(to values: inout [Float]) {
        guard self == .utterance, !values.isEmpty else { return }
        var sum: Double = 0
        for v in values { sum += Double(v) }
        let mean = sum / Double(values.count)
        var squares: Double = 0
        for v in values {
            let d = Double(v) - mean
            squares += d * d
        }
        let std = (squares / Double(values.count)).squareRoot()
        let scale = Float(std > 0 ? 1 / std : 1)
        let shift = Float(mean)
        values.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<buffer.count { buffer[i] = (buffer[i] - shift) * scale }
        }
    }
}
