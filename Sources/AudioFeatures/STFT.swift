import Foundation
import PhonoscopeIO

/// A time-major matrix of float32 values: `frameCount` rows of `binCount` columns.
///
/// Layout: `values[frame * binCount + bin]`, the same as a C-ordered NumPy array of shape
/// `(frames, bins)`.
public struct FeatureMatrix: Sendable, Equatable {
    public var frameCount: Int
    public var binCount: Int
    public var values: [Float]

    public init(frameCount: Int, binCount: Int, values: [Float]) {
        precondition(values.count == frameCount * binCount)
        self.frameCount = frameCount
        self.binCount = binCount
        self.values = values
    }

    /// A matrix of zeros (its memory advised for huge pages when large, see `LargeArray`).
    public init(frameCount: Int, binCount: Int) {
        self.init(
            frameCount: frameCount, binCount: binCount, values: LargeArray.filled(count: frameCount * binCount, with: 0)
        )
    }

    public subscript(frame: Int, bin: Int) -> Float {
        get { values[frame * binCount + bin] }
        set { values[frame * binCount + bin] = newValue }
    }
}

/// Short-time Fourier transform settings, with librosa's names in the comments.
public struct STFTConfiguration: Sendable, Equatable, Codable {
    /// `n_fft`: samples per FFT.
    public var fftLength: Int
    /// `hop_length`: samples between frame starts.
    public var hopLength: Int
    /// `win_length`: window samples, centred in `fftLength` zeros when shorter.
    public var windowLength: Int
    /// `window`: periodic Hann or Hamming.
    public var window: WindowKind
    /// `center`: pad `fftLength / 2` zeros at both ends (librosa 0.11's default
    /// `pad_mode="constant"`) so that frame t is centred at sample `t * hopLength`.
    public var center: Bool
    /// Arithmetic precision of window and FFT. The result is float32 either way; `.double`
    /// (what librosa does internally) resolves bins more than ~120 dB below a frame's peak,
    /// which `.single` cannot, at about 1.5x the FFT cost.
    public var precision: Precision

    public enum Precision: String, Sendable, Codable, CaseIterable {
        case single
        case double
    }

    public init(
        fftLength: Int, hopLength: Int, windowLength: Int? = nil, window: WindowKind = .hann, center: Bool = true,
        precision: Precision = .single
    ) {
        self.fftLength = fftLength
        self.hopLength = hopLength
        self.windowLength = windowLength ?? fftLength
        self.window = window
        self.center = center
        self.precision = precision
    }

    /// Checks every parameter and names the first bad one.
    public func validate() throws {
        guard fftLength >= 2 else {
            throw AudioFeaturesError.invalidParameter(
                name: "--n-fft", value: String(fftLength), valid: "an integer >= 2, e.g. 512")
        }
        guard hopLength >= 1 else {
            throw AudioFeaturesError.invalidParameter(
                name: "--hop-length", value: String(hopLength), valid: "an integer >= 1, e.g. 128")
        }
        guard windowLength >= 1, windowLength <= fftLength else {
            throw AudioFeaturesError.invalidParameter(
                name: "--win-length", value: String(windowLength),
                valid: "1...\(fftLength) (at most --n-fft \(fftLength))")
        }
    }

    /// Number of frames for `sampleCount` samples: `1 + (padded - fftLength) / hopLength`.
    public func frameCount(sampleCount: Int) -> Int {
        let padded = center ? sampleCount + 2 * (fftLength / 2) : sampleCount
        return padded < fftLength ? 0 : 1 + (padded - fftLength) / hopLength
    }

    /// Number of frequency bins, `fftLength / 2 + 1`.
    public var binCount: Int { fftLength / 2 + 1 }
}

/// What the STFT returns per bin.
public enum SpectrumKind: Sendable {
    /// |X|^2
    case power
    /// |X|
    case magnitude
}

/// The short-time Fourier transform on FFTW, as `librosa.stft` computes it, reduced to power
/// or magnitude. Shapes: samples in, `FeatureMatrix(frames, fftLength / 2 + 1)` out.
public struct ShortTimeFourierTransform: Sendable {
    public let configuration: STFTConfiguration

    public init(_ configuration: STFTConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// The power or magnitude spectrogram of `samples`, split over `threadCount` threads
    /// (results do not depend on the thread count).
    public func spectrogram(_ samples: [Float], kind: SpectrumKind = .power, threadCount: Int = 1) -> FeatureMatrix {
        let frames = configuration.frameCount(sampleCount: samples.count)
        let bins = configuration.binCount
        var result = FeatureMatrix(frameCount: frames, binCount: bins)
        result.values.withUnsafeMutableBufferPointer { buffer in
            let output = SendableMutableBuffer(buffer)
            forEachFrame(samples, kind: kind, threadCount: threadCount) { frame, spectrum in
                let row = UnsafeMutableBufferPointer(rebasing: output.buffer[(frame * bins)..<((frame + 1) * bins)])
                _ = row.update(fromContentsOf: spectrum)
            }
        }
        return result
    }

    /// Computes the spectrum of every frame and hands it to `body(frame, spectrum)` without
    /// keeping the whole spectrogram: `spectrum` holds `fftLength / 2 + 1` values in a scratch
    /// buffer owned by the calling thread, valid during the call, which `body` may overwrite.
    /// Frames are split into `threadCount` contiguous blocks that run concurrently, each in
    /// order; `body` must only write where no other frame writes.
    public func forEachFrame(
        _ samples: [Float], kind: SpectrumKind = .power, threadCount: Int = 1,
        _ body: @Sendable (Int, UnsafeMutableBufferPointer<Float>) -> Void
    ) {
        samples.withUnsafeBufferPointer { signal in
            forEachFrame(
                segment: signal, segmentStart: 0, sampleCount: signal.count,
                frames: 0..<configuration.frameCount(sampleCount: signal.count), kind: kind, threadCount: threadCount,
                body)
        }
    }

    /// The samples frames `frames` read: [first, end) of the signal (clamped to it).
    public func sampleRange(frames: Range<Int>, sampleCount: Int) -> Range<Int> {
        let c = configuration
        guard !frames.isEmpty else { return 0..<0 }
        let padding = c.center ? c.fftLength / 2 : 0
        let windowStart = (c.fftLength - c.windowLength) / 2
        let first = min(sampleCount, max(0, frames.lowerBound * c.hopLength - padding + windowStart))
        let end = min(
            sampleCount, max(0, (frames.upperBound - 1) * c.hopLength - padding + windowStart + c.windowLength))
        return first..<max(first, end)
    }

    /// As `forEachFrame(_:kind:threadCount:_:)` for the frames `frames` of a signal of
    /// `sampleCount` samples of which `segment` holds those from `segmentStart` on; it must
    /// hold at least `sampleRange(frames:sampleCount:)`. For reading a long file in blocks.
    public func forEachFrame(
        segment: UnsafeBufferPointer<Float>, segmentStart: Int, sampleCount: Int, frames: Range<Int>,
        kind: SpectrumKind = .power, threadCount: Int = 1,
        _ body: @Sendable (Int, UnsafeMutableBufferPointer<Float>) -> Void
    ) {
        let needed = sampleRange(frames: frames, sampleCount: sampleCount)
        precondition(
            needed.isEmpty || (segmentStart <= needed.lowerBound && needed.upperBound <= segmentStart + segment.count),
            "the segment misses samples of the frames")
        let signal = SendableBuffer(segment)
        switch configuration.precision {
        case .single:
            forEachFrame(
                signal, segmentStart, sampleCount, frames, kind: kind, threadCount: threadCount, scalar: Float.self,
                body)
        case .double:
            forEachFrame(
                signal, segmentStart, sampleCount, frames, kind: kind, threadCount: threadCount, scalar: Double.self,
                body)
        }
    }

    private func forEachFrame<Scalar: FFTWScalar>(
        _ signal: SendableBuffer<Float>, _ segmentStart: Int, _ sampleCount: Int, _ frames: Range<Int>,
        kind: SpectrumKind, threadCount: Int, scalar: Scalar.Type,
        _ body: @Sendable (Int, UnsafeMutableBufferPointer<Float>) -> Void
    ) {
        let c = configuration
        let plan = RealFFTPlan<Scalar>.shared(size: c.fftLength)
        let window = c.window.coefficients(length: c.windowLength).map { Scalar($0) }
        let bins = c.binCount
        guard !frames.isEmpty else { return }
        let padding = c.center ? c.fftLength / 2 : 0
        // The window is centred in the FFT frame (librosa `pad_center`); outside its span the
        // input stays zero, so only [windowStart, windowStart + windowLength) is written.
        let windowStart = (c.fftLength - c.windowLength) / 2
        let blocks = max(1, min(threadCount, frames.count))
        let framesPerBlock = (frames.count + blocks - 1) / blocks
        window.withUnsafeBufferPointer { windowBuffer in
            let window = SendableBuffer(windowBuffer)
            DispatchQueue.concurrentPerform(iterations: blocks) { block in
                let buffers = RealFFTPlan<Scalar>.Buffers(size: c.fftLength)
                let input = buffers.input + windowStart
                let spectrum = buffers.output
                let row = UnsafeMutableBufferPointer<Float>.allocate(capacity: bins)
                defer { row.deallocate() }
                let first = frames.lowerBound + block * framesPerBlock
                let last = min(frames.upperBound, first + framesPerBlock)
                guard first < last else { return }
                for frame in first..<last {
                    windowFrame(
                        signal.buffer, segmentStart: segmentStart, sampleCount: sampleCount,
                        start: frame * c.hopLength - padding + windowStart, window: window.buffer, into: input)
                    plan.transform(buffers)
                    switch kind {
                    case .power:
                        for k in 0..<bins {
                            let re = spectrum[k &* 2]
                            let im = spectrum[k &* 2 &+ 1]
                            row[k] = Float(re * re + im * im)
                        }
                    case .magnitude:
                        for k in 0..<bins {
                            let re = spectrum[2 * k]
                            let im = spectrum[2 * k + 1]
                            row[k] = Float((re * re + im * im).squareRoot())
                        }
                    }
                    body(frame, row)
                }
            }
        }
    }
}

/// One frame of window * signal into `input` (`window.count` values): the window's first
/// point sits at sample `start` of a signal of `sampleCount` samples, of which `signal` holds
/// those from `segmentStart` on; samples outside the signal count as 0 (librosa's constant
/// padding when centred).
@inline(__always)
func windowFrame<Scalar: FFTWScalar, Sample: FrameSample>(
    _ signal: UnsafeBufferPointer<Sample>, segmentStart: Int, sampleCount: Int, start: Int,
    window: UnsafeBufferPointer<Scalar>, into input: UnsafeMutablePointer<Scalar>
) {
    if start >= 0 && start + window.count <= sampleCount, let base = signal.baseAddress,
        let coefficients = window.baseAddress
    {
        Sample.applyWindow(base + (start - segmentStart), coefficients, input, window.count)
    } else {
        for i in 0..<window.count {
            let s = start + i
            input[i] = (s >= 0 && s < sampleCount) ? signal[s - segmentStart].scalar(Scalar.self) * window[i] : 0
        }
    }
}

/// Read-only values that cross into `concurrentPerform`.
struct SendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<Element>
    var count: Int { buffer.count }
    init(_ buffer: UnsafeBufferPointer<Element>) { self.buffer = buffer }
}

/// Output that crosses into `concurrentPerform`, where each iteration writes disjoint rows.
public struct SendableMutableBuffer: @unchecked Sendable {
    public let buffer: UnsafeMutableBufferPointer<Float>
    public init(_ buffer: UnsafeMutableBufferPointer<Float>) { self.buffer = buffer }
}
