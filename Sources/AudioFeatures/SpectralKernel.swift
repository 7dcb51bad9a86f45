import Foundation

/// Double-precision STFT analysis and overlap-add synthesis for one configuration: the shared
/// core of `InverseShortTimeFourierTransform`, `GriffinLim` and `complexSpectrogram(_:)`.
///
/// Shapes: spectra are `frameCount * binCount` interleaved (re, im) doubles, time-major.
/// Not thread-safe: an instance owns one set of FFT buffers (the plans themselves are the
/// shared, cached ones); make one per thread.
final class SpectralKernel {
    let configuration: STFTConfiguration
    /// The analysis/synthesis window centred in `fftLength` zeros (librosa `pad_center`).
    let window: [Double]
    private let forward: RealFFTPlan<Double>
    private let inverse: InverseRealFFTPlan<Double>
    private let forwardBuffers: RealFFTPlan<Double>.Buffers
    private let inverseBuffers: InverseRealFFTPlan<Double>.Buffers

    init(_ configuration: STFTConfiguration) {
        self.configuration = configuration
        let n = configuration.fftLength
        var window = [Double](repeating: 0, count: n)
        let offset = (n - configuration.windowLength) / 2
        for (i, w) in configuration.window.coefficients(length: configuration.windowLength).enumerated() {
            window[offset + i] = w
        }
        self.window = window
        forward = RealFFTPlan<Double>.shared(size: n)
        inverse = InverseRealFFTPlan<Double>.shared(size: n)
        forwardBuffers = RealFFTPlan<Double>.Buffers(size: n)
        inverseBuffers = InverseRealFFTPlan<Double>.Buffers(size: n)
    }

    private var padding: Int { configuration.center ? configuration.fftLength / 2 : 0 }

    /// The STFT of `signal`: frame t is the FFT of window * padded[t * hop ..< t * hop + n_fft],
    /// where `padded` has `n_fft / 2` zeros at both ends when centred (`pad_mode="constant"`).
    func analyse(
        _ signal: UnsafeBufferPointer<Double>, into spectrum: UnsafeMutableBufferPointer<Double>, frameCount: Int
    ) {
        let n = configuration.fftLength
        let bins = configuration.binCount
        precondition(spectrum.count >= 2 * frameCount * bins)
        let input = forwardBuffers.input
        let output = forwardBuffers.output
        window.withUnsafeBufferPointer { window in
            for frame in 0..<frameCount {
                let start = frame * configuration.hopLength - padding
                if start >= 0 && start + n <= signal.count {
                    for i in 0..<n { input[i] = signal[start &+ i] * window[i] }
                } else {
                    for i in 0..<n {
                        let s = start + i
                        input[i] = (s >= 0 && s < signal.count) ? signal[s] * window[i] : 0
                    }
                }
                forward.transform(forwardBuffers)
                let base = 2 * frame * bins
                for k in 0..<(2 * bins) { spectrum[base &+ k] = output[k] }
            }
        }
    }

    /// See `STFTConfiguration.synthesisSize(frameCount:length:)`.
    func synthesisSize(frameCount: Int, length: Int?) -> (frames: Int, samples: Int) {
        configuration.synthesisSize(frameCount: frameCount, length: length)
    }

    /// 1 / (sum over frames of window^2) per output sample, or 1 where that sum is not above
    /// float32's smallest normal number (librosa divides only where `window_sumsquare` exceeds
    /// `tiny`, and the overlap-add is zero there anyway).
    func normalization(frameCount: Int, sampleCount: Int) -> [Double] {
        let n = configuration.fftLength
        let hop = configuration.hopLength
        let full = n + hop * (frameCount - 1)
        var sum = [Double](repeating: 0, count: full)
        let squares = window.map { $0 * $0 }
        for frame in 0..<frameCount {
            for i in 0..<n { sum[frame * hop + i] += squares[i] }
        }
        let tiny = Double(Float.leastNormalMagnitude)
        var result = [Double](repeating: 1, count: sampleCount)
        for j in 0..<sampleCount {
            let s = j + padding
            if s < full && sum[s] > tiny { result[j] = 1 / sum[s] }
        }
        return result
    }

    /// Overlap-add of window * irfft(frame) for the first `frameCount` frames into `output`
    /// (the samples from `padding` on of the full overlap-add), multiplied by `normalization`.
    func synthesise(
        _ spectrum: UnsafeBufferPointer<Double>, frameCount: Int, normalization: [Double],
        into output: UnsafeMutableBufferPointer<Double>
    ) {
        let n = configuration.fftLength
        let bins = configuration.binCount
        let hop = configuration.hopLength
        precondition(normalization.count == output.count)
        output.update(repeating: 0)
        let count = output.count
        let scale = 1 / Double(n)
        let real = inverseBuffers.spectrum
        let signal = inverseBuffers.signal
        window.withUnsafeBufferPointer { window in
            for frame in 0..<frameCount {
                let base = 2 * frame * bins
                for k in 0..<(2 * bins) { real[k] = spectrum[base &+ k] }
                inverse.transform(inverseBuffers)
                let start = frame * hop - padding
                let first = max(0, -start)
                let last = min(n, count - start)
                guard first < last else { continue }
                for i in first..<last { output[start &+ i] += signal[i] * window[i] * scale }
            }
        }
        normalization.withUnsafeBufferPointer { norm in
            for j in 0..<count { output[j] *= norm[j] }
        }
    }
}

extension STFTConfiguration {
    /// Frames used and samples produced by `synthesise`, as `librosa.istft` sizes them: without
    /// `length`, every frame and `n_fft + hop (frames - 1)` samples less `2 (n_fft / 2)` when
    /// centred; with it, `length` samples from at most `ceil((length + 2 (n_fft / 2)) / hop)`
    /// frames (without the padding when not centred).
    func synthesisSize(frameCount: Int, length: Int?) -> (frames: Int, samples: Int) {
        let n = fftLength
        let hop = hopLength
        let padding = center ? fftLength / 2 : 0
        guard let length else {
            let full = n + hop * (frameCount - 1)
            return (frameCount, max(0, full - 2 * padding))
        }
        let padded = length + 2 * padding
        return (min(frameCount, (padded + hop - 1) / hop), length)
    }
}
