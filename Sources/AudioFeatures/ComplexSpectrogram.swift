import Foundation

/// A time-major complex STFT: `frameCount` rows of `binCount` complex values, the transpose of
/// librosa's `(1 + n_fft / 2, frames)` complex64 matrix.
///
/// Layout: interleaved (re, im) pairs, `values[2 * (frame * binCount + bin)]` the real part and
/// the next value the imaginary part (FFTW's layout, and a C-ordered NumPy float32 array of
/// shape `(frames, bins, 2)`).
public struct ComplexSpectrogram: Sendable, Equatable {
    public var frameCount: Int
    public var binCount: Int
    public var values: [Float]

    public init(frameCount: Int, binCount: Int, values: [Float]) {
        precondition(values.count == 2 * frameCount * binCount)
        self.frameCount = frameCount
        self.binCount = binCount
        self.values = values
    }

    /// A spectrogram of zeros.
    public init(frameCount: Int, binCount: Int) {
        self.init(
            frameCount: frameCount, binCount: binCount, values: [Float](repeating: 0, count: 2 * frameCount * binCount))
    }

    /// Magnitudes with zero phase: X = |X| + 0i (what `librosa.griffinlim(init=None)` starts from).
    public init(magnitudes: FeatureMatrix) {
        var values = [Float](repeating: 0, count: 2 * magnitudes.values.count)
        for (i, m) in magnitudes.values.enumerated() { values[2 * i] = m }
        self.init(frameCount: magnitudes.frameCount, binCount: magnitudes.binCount, values: values)
    }

    /// The value at (frame, bin).
    public subscript(frame: Int, bin: Int) -> (real: Float, imaginary: Float) {
        get {
            let i = 2 * (frame * binCount + bin)
            return (values[i], values[i + 1])
        }
        set {
            let i = 2 * (frame * binCount + bin)
            values[i] = newValue.real
            values[i + 1] = newValue.imaginary
        }
    }

    /// |X| per (frame, bin), computed in double precision.
    public var magnitudes: FeatureMatrix {
        var result = FeatureMatrix(frameCount: frameCount, binCount: binCount)
        for i in 0..<(frameCount * binCount) {
            let re = Double(values[2 * i])
            let im = Double(values[2 * i + 1])
            result.values[i] = Float((re * re + im * im).squareRoot())
        }
        return result
    }

    /// Names the first NaN or infinite value, or nil when every value is finite.
    func firstNonFinite() -> (frame: Int, bin: Int, value: Float)? {
        guard let i = values.firstIndex(where: { !$0.isFinite }) else { return nil }
        return (i / 2 / binCount, i / 2 % binCount, values[i])
    }
}

extension ShortTimeFourierTransform {
    /// The complex STFT of `samples`, as `librosa.stft` returns it (transposed to time-major).
    /// Always computed in double precision and rounded to float32, whatever
    /// `configuration.precision` says: it exists for resynthesis, where phases matter and the
    /// cost is small.
    public func complexSpectrogram(_ samples: [Float]) -> ComplexSpectrogram {
        let kernel = SpectralKernel(configuration)
        let frames = configuration.frameCount(sampleCount: samples.count)
        var result = ComplexSpectrogram(frameCount: frames, binCount: configuration.binCount)
        guard frames > 0 else { return result }
        let signal = samples.map { Double($0) }
        var spectrum = [Double](repeating: 0, count: result.values.count)
        signal.withUnsafeBufferPointer { input in
            spectrum.withUnsafeMutableBufferPointer { output in
                kernel.analyse(input, into: output, frameCount: frames)
            }
        }
        for i in 0..<spectrum.count { result.values[i] = Float(spectrum[i]) }
        return result
    }
}
