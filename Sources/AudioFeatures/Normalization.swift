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
        // Four interleaved accumulators, so the additions do not wait on each other.
        var sums = SIMD4<Double>()
        var squares = SIMD4<Double>()
        let count = values.count
        let lanes = count / 4 * 4
        let mean: Double = values.withUnsafeBufferPointer { buffer in
            for i in stride(from: 0, to: lanes, by: 4) {
                sums += SIMD4(Double(buffer[i]), Double(buffer[i + 1]), Double(buffer[i + 2]), Double(buffer[i + 3]))
            }
            var total = sums.sum()
            for i in lanes..<count { total += Double(buffer[i]) }
            return total / Double(count)
        }
        let centre = SIMD4<Double>(repeating: mean)
        var tail: Double = 0
        values.withUnsafeBufferPointer { buffer in
            for i in stride(from: 0, to: lanes, by: 4) {
                let d =
                    SIMD4(Double(buffer[i]), Double(buffer[i + 1]), Double(buffer[i + 2]), Double(buffer[i + 3]))
                    - centre
                squares += d * d
            }
            for i in lanes..<count { tail += (Double(buffer[i]) - mean) * (Double(buffer[i]) - mean) }
        }
        let std = ((squares.sum() + tail) / Double(count)).squareRoot()
        let scale = Float(std > 0 ? 1 / std : 1)
        let shift = Float(mean)
        values.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<buffer.count { buffer[i] = (buffer[i] - shift) * scale }
        }
    }
}
