import Foundation

/// Mel-frequency cepstral coefficients from a log-mel (dB) spectrogram, as
/// `librosa.feature.mfcc(S=..., dct_type=2, norm="ortho")` computes them.
///
/// Concretely: c_k = s_k sum_{n<N} x_n cos(pi k (2n + 1) / (2N)), with N mel bands,
/// s_0 = sqrt(1/N) and s_k = sqrt(2/N) (the orthonormal DCT-II), keeping k < coefficientCount;
/// with `lifter` L > 0, c_k is multiplied by 1 + (L/2) sin(pi (k + 1) / L).
public struct MFCC: Sendable {
    public let melCount: Int
    public let coefficientCount: Int
    public let lifter: Double
    /// coefficientCount x melCount, row-major, lifter folded in.
    private let basis: [Float]

    public init(melCount: Int, coefficientCount: Int = 20, lifter: Double = 0) throws {
        guard melCount >= 1 else {
            throw AudioFeaturesError.invalidParameter(name: "n_mels", value: String(melCount), valid: "an integer >= 1")
        }
        guard coefficientCount >= 1, coefficientCount <= melCount else {
            throw AudioFeaturesError.invalidParameter(
                name: "n_mfcc", value: String(coefficientCount), valid: "1...\(melCount) (at most n_mels)")
        }
        guard lifter >= 0 else {
            throw AudioFeaturesError.invalidParameter(
                name: "lifter", value: String(lifter), valid: "0 (none) or a positive number")
        }
        self.melCount = melCount
        self.coefficientCount = coefficientCount
        self.lifter = lifter
        let n = Double(melCount)
        var basis = [Float](repeating: 0, count: coefficientCount * melCount)
        for k in 0..<coefficientCount {
            let scale = (k == 0 ? (1 / n) : (2 / n)).squareRoot()
            let lift = lifter > 0 ? 1 + (lifter / 2) * sin(Double.pi * Double(k + 1) / lifter) : 1
            for i in 0..<melCount {
                basis[k * melCount + i] = Float(
                    scale * lift * cos(Double.pi * Double(k) * (2 * Double(i) + 1) / (2 * n)))
            }
        }
        self.basis = basis
    }

    /// (frames x melCount) dB -> (frames x coefficientCount).
    public func apply(to logMel: FeatureMatrix) -> FeatureMatrix {
        precondition(logMel.binCount == melCount, "expected \(melCount) mel bands, got \(logMel.binCount)")
        var result = FeatureMatrix(frameCount: logMel.frameCount, binCount: coefficientCount)
        for frame in 0..<logMel.frameCount {
            for k in 0..<coefficientCount {
                var sum: Double = 0
                for i in 0..<melCount {
                    sum += Double(basis[k * melCount + i]) * Double(logMel.values[frame * melCount + i])
                }
                result.values[frame * coefficientCount + k] = Float(sum)
            }
        }
        return result
    }
}
