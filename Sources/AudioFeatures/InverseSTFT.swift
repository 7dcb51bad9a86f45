import Foundation

/// The inverse short-time Fourier transform as `librosa.istft` computes it: inverse FFT of each
/// frame, windowed overlap-add, division by the summed squared window, `center` trimming.
///
/// Concretely: y[j] = sum_t w[j' - t hop] irfft(X_t)[j' - t hop] / sum_t w[j' - t hop]^2 with
/// j' = j + n_fft / 2 when centred (j' = j otherwise), w the analysis window centred in n_fft
/// zeros. Where the squared-window sum is not above float32's `tiny` (the unwindowed ends of a
/// non-centred transform), the sum is left undivided, as librosa leaves it. For a window and
/// hop that satisfy the NOLA condition, `istft(stft(y)) = y` away from such ends.
///
/// Shapes: `ComplexSpectrogram(frames, n_fft / 2 + 1)` in; without `length`, `hop (frames - 1)`
/// samples out when centred, `n_fft + hop (frames - 1)` when not. With `length`, exactly that
/// many (zero-padded past the last frame). Arithmetic is double precision; samples are float32.
public struct InverseShortTimeFourierTransform: Sendable {
    public let configuration: STFTConfiguration

    public init(_ configuration: STFTConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// The signal whose STFT (with these settings) is closest to `spectrogram` in the least
    /// squares sense (Griffin & Lim 1984, eq. 6). `length`: samples wanted (librosa `length`),
    /// nil for the natural length.
    public func signal(from spectrogram: ComplexSpectrogram, length: Int? = nil) throws -> [Float] {
        try Self.check(spectrogram, configuration: configuration, length: length)
        let kernel = SpectralKernel(configuration)
        let size = kernel.synthesisSize(frameCount: spectrogram.frameCount, length: length)
        let spectrum = spectrogram.values.map { Double($0) }
        var output = [Double](repeating: 0, count: size.samples)
        let normalization = kernel.normalization(frameCount: size.frames, sampleCount: size.samples)
        spectrum.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                kernel.synthesise(input, frameCount: size.frames, normalization: normalization, into: output)
            }
        }
        return output.map { Float($0) }
    }

    /// Checks shape, length and values of a spectrogram to invert; names the first bad one.
    static func check(_ spectrogram: ComplexSpectrogram, configuration: STFTConfiguration, length: Int?) throws {
        try checkShape(
            frameCount: spectrogram.frameCount, binCount: spectrogram.binCount, configuration: configuration,
            length: length)
        if let bad = spectrogram.firstNonFinite() {
            throw AudioFeaturesError.invalidParameter(
                name: "spectrogram value at frame \(bad.frame), bin \(bad.bin)", value: String(bad.value),
                valid: "finite numbers (no NaN or Inf)")
        }
    }

    static func checkShape(frameCount: Int, binCount: Int, configuration: STFTConfiguration, length: Int?) throws {
        guard binCount == configuration.binCount else {
            throw AudioFeaturesError.invalidParameter(
                name: "spectrogram bins", value: String(binCount),
                valid:
                    "\(configuration.binCount) (n_fft / 2 + 1 for --n-fft \(configuration.fftLength)); or --n-fft \(2 * (binCount - 1)) for \(binCount) bins"
            )
        }
        guard frameCount >= 1 else {
            throw AudioFeaturesError.invalidParameter(
                name: "spectrogram frames", value: String(frameCount), valid: "at least 1 frame")
        }
        if let length, length < 1 {
            throw AudioFeaturesError.invalidParameter(
                name: "length", value: String(length), valid: "a positive number of samples, or none")
        }
    }
}
