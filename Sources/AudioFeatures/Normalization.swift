import CSpectralKernels
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
        var moments = Moments()
        values.withUnsafeBufferPointer { moments.add($0) }
        let affine = Affine(moments)
        values.withUnsafeMutableBufferPointer { affine.apply(to: $0) }
    }

    /// x' = (x - shift) * scale in float32, the map `apply(to:)` ends with.
    public struct Affine: Sendable, Equatable {
        public var shift: Float
        public var scale: Float

        public static let identity = Affine(shift: 0, scale: 1)

        public init(shift: Float, scale: Float) {
            self.shift = shift
            self.scale = scale
        }

        /// Centre on `mean` and divide by the standard deviation (only centre when it is 0).
        public init(mean: Double, standardDeviation std: Double) {
            self.init(shift: Float(mean), scale: Float(std > 0 ? 1 / std : 1))
        }

        /// The z-score of values with these moments.
        public init(_ moments: Moments) {
            self.init(mean: moments.mean, standardDeviation: moments.populationStandardDeviation)
        }

        public func apply(to buffer: UnsafeMutableBufferPointer<Float>) {
            guard self != .identity, let base = buffer.baseAddress else { return }
            psk_affine(base, buffer.count, shift, scale)
        }
    }

    /// Mean and variance of values that arrive in blocks: each block's own mean and sum of
    /// squared deviations (two passes over the block), merged as Chan et al. do for parallel
    /// variance, so that the result matches one two-pass computation over all values.
    public struct Moments: Sendable, Equatable {
        public private(set) var count = 0
        public private(set) var mean: Double = 0
        /// Sum of squared deviations from the mean.
        public private(set) var squaredDeviations: Double = 0

        public init() {}

        public var populationStandardDeviation: Double {
            count > 0 ? (squaredDeviations / Double(count)).squareRoot() : 0
        }

        public mutating func add(_ values: UnsafeBufferPointer<Float>) {
            guard !values.isEmpty, let base = values.baseAddress else { return }
            let n = values.count
            // One pass around the block's first value (within a few standard deviations of
            // its mean, so that nothing cancels in double precision).
            let shift = Double(base[0])
            var sum = 0.0
            var shiftedSquares = 0.0
            psk_moments(base, n, shift, &sum, &shiftedSquares)
            let blockMean = shift + sum / Double(n)
            let squares = max(0, shiftedSquares - sum * sum / Double(n))
            guard count > 0 else {
                (count, mean, squaredDeviations) = (n, blockMean, squares)
                return
            }
            let total = count + n
            let delta = blockMean - mean
            mean += delta * Double(n) / Double(total)
            squaredDeviations += squares + delta * delta * Double(count) * Double(n) / Double(total)
            count = total
        }
    }
}
