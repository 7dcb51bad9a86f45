import COpenBLAS
import Foundation
import Testing

@testable import AudioFeatures

/// The sparse mel filterbank against a dense matrix product through OpenBLAS (`cblas_sgemm`),
/// and magnitude against power: two ways to the same numbers.
struct DenseCrossCheckTests {
    @Test func sparseMelEqualsDenseSgemm() throws {
        let samples: [Float] = (0..<8000).map { i in Float(sin(Double(i) * 0.031) + 0.3 * sin(Double(i) * 0.7)) }
        let stft = try ShortTimeFourierTransform(.init(fftLength: 512, hopLength: 160))
        let power = stft.spectrogram(samples)
        let bank = try MelFilterbank(
            sampleRate: 16000, fftLength: 512, melCount: 64, minimumFrequency: 30, maximumFrequency: 7600)
        let sparse = bank.apply(to: power)
        // mel[frames x mels] = power[frames x bins] * weights^T, weights stored [mels x bins].
        var dense = [Float](repeating: 0, count: power.frameCount * 64)
        let weights = bank.denseWeights
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(power.frameCount), 64, Int32(power.binCount), 1,
            power.values, Int32(power.binCount), weights, Int32(power.binCount), 0, &dense, 64)
        let peak = dense.max() ?? 1
        let error = zip(sparse.values, dense).map { abs($0 - $1) }.max() ?? 0
        #expect(error <= 1e-5 * peak, "sparse and dense mel differ by \(error) (max \(peak))")
    }

    @Test func magnitudeSquaredIsPower() throws {
        let samples: [Float] = (0..<4000).map { i in Float(((i * 7919) % 2000)) / 1000 - 1 }
        let stft = try ShortTimeFourierTransform(.init(fftLength: 400, hopLength: 100, windowLength: 300))
        let power = stft.spectrogram(samples, kind: .power)
        let magnitude = stft.spectrogram(samples, kind: .magnitude)
        let peak = power.values.max() ?? 1
        let error = zip(power.values, magnitude.values).map { abs($0 - $1 * $1) }.max() ?? 0
        #expect(error <= 1e-5 * peak)
    }
}
