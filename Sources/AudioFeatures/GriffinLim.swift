import Foundation

/// Phase reconstruction from STFT magnitudes by the fast Griffin-Lim algorithm, exactly as
/// `librosa.griffinlim` runs it: Griffin & Lim 1984, "Signal estimation from modified
/// short-time Fourier transform" (IEEE TASSP 32(2)), accelerated with the momentum of Perraudin,
/// Balazs & Sondergaard 2013, "A fast Griffin-Lim algorithm" (WASPAA).
///
/// Concretely, with S the magnitudes and X_0 = S e^{i phi_0}:
///
///     for n in 1...iterationCount:
///         R_n = stft(istft(X_{n-1}))
///         A_n = R_n - momentum / (1 + momentum) R_{n-1}      (A_1 = R_1)
///         X_n = S A_n / (|A_n| + tiny)
///     return istft(X_iterationCount)
///
/// `tiny` is float32's smallest normal number, so a zero bin stays zero. Shapes: magnitudes
/// `FeatureMatrix(frames, n_fft / 2 + 1)` in, samples out (`InverseShortTimeFourierTransform`
/// sizes them). Arithmetic is double precision; librosa uses complex64 for float32 input, and
/// the momentum amplifies the rounding difference to ~4e-4 of the peak after 32 iterations on
/// speech (5e-6 after 4). 32 iterations on 2 s at n_fft 512, hop 128 take ~50 ms (release, one
/// core).
public struct GriffinLim: Sendable {
    /// Where the phases start (librosa `init`).
    public enum InitialPhase: Sendable, Equatable {
        /// phi_0 = 0 (librosa `init=None`): deterministic.
        case zero
        /// phi_0 uniform in [0, 2 pi) per bin (librosa `init="random"`), drawn from the caller's
        /// generator in time-major order; reproducible for a seeded generator, though not
        /// librosa's draws (NumPy's generator is not ours).
        case random
    }

    public let configuration: STFTConfiguration
    /// `n_iter`: 32, librosa's default; spectral convergence keeps falling slowly after that.
    public let iterationCount: Int
    /// `momentum`: 0.99, librosa's default and Perraudin et al.'s recommendation (0 is the original
    /// Griffin-Lim); above 1 it can diverge.
    public let momentum: Double

    public init(_ configuration: STFTConfiguration, iterationCount: Int = 32, momentum: Double = 0.99) throws {
        try configuration.validate()
        guard iterationCount >= 1 else {
            throw AudioFeaturesError.invalidParameter(
                name: "n_iter", value: String(iterationCount), valid: "an integer >= 1, e.g. 32")
        }
        guard momentum >= 0, momentum.isFinite else {
            throw AudioFeaturesError.invalidParameter(
                name: "momentum", value: String(momentum), valid: "a number >= 0, e.g. 0.99 (0: plain Griffin-Lim)")
        }
        self.configuration = configuration
        self.iterationCount = iterationCount
        self.momentum = momentum
    }

    /// A signal whose STFT magnitudes approximate `magnitudes`, starting from zero phase.
    /// `length`: samples wanted (librosa `length`), nil for the natural length.
    public func signal(fromMagnitudes magnitudes: FeatureMatrix, length: Int? = nil) throws -> [Float] {
        try checkMagnitudes(magnitudes, length: length)
        return reconstruct(magnitudes, length: length, phase: { _ in 0 })
    }

    /// As `signal(fromMagnitudes:length:)` with `initialPhase`; `.random` draws its phases from
    /// `generator` (pass a `SeededGenerator` for a reproducible result).
    public func signal<Generator: RandomNumberGenerator>(
        fromMagnitudes magnitudes: FeatureMatrix, length: Int? = nil, initialPhase: InitialPhase,
        using generator: inout Generator
    ) throws -> [Float] {
        try checkMagnitudes(magnitudes, length: length)
        switch initialPhase {
        case .zero:
            return reconstruct(magnitudes, length: length, phase: { _ in 0 })
        case .random:
            // 53 random bits per phase, independent of the standard library's (unspecified)
            // floating-point sampling.
            var phases = [Double](repeating: 0, count: magnitudes.values.count)
            for i in phases.indices { phases[i] = 2 * Double.pi * (Double(generator.next() >> 11) * 0x1p-53) }
            return reconstruct(magnitudes, length: length, phase: { phases[$0] })
        }
    }

    /// Spectral convergence of `samples` against `magnitudes`: ||(|stft(samples)| - S)||_F / ||S||_F
    /// over the frames both have (0 is a perfect match; Perraudin et al. report it in dB, 20 log10
    /// of this).
    public func spectralConvergence(of samples: [Float], magnitudes: FeatureMatrix) throws -> Double {
        let rebuilt = try ShortTimeFourierTransform(configuration).spectrogram(samples, kind: .magnitude)
        guard rebuilt.binCount == magnitudes.binCount else {
            throw AudioFeaturesError.invalidParameter(
                name: "magnitude bins", value: String(magnitudes.binCount), valid: String(rebuilt.binCount))
        }
        var error = 0.0
        var total = 0.0
        let frames = min(rebuilt.frameCount, magnitudes.frameCount)
        for i in 0..<(frames * magnitudes.binCount) {
            let d = Double(rebuilt.values[i]) - Double(magnitudes.values[i])
            error += d * d
            total += Double(magnitudes.values[i]) * Double(magnitudes.values[i])
        }
        return total > 0 ? (error / total).squareRoot() : (error > 0 ? .infinity : 0)
    }

    private func checkMagnitudes(_ magnitudes: FeatureMatrix, length: Int?) throws {
        try InverseShortTimeFourierTransform.checkShape(
            frameCount: magnitudes.frameCount, binCount: magnitudes.binCount, configuration: configuration,
            length: length)
        if let i = magnitudes.values.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw AudioFeaturesError.invalidParameter(
                name: "magnitude at frame \(i / magnitudes.binCount), bin \(i % magnitudes.binCount)",
                value: String(magnitudes.values[i]), valid: "finite numbers >= 0 (no NaN or Inf)")
        }
        let size = configuration.synthesisSize(frameCount: magnitudes.frameCount, length: length)
        let rebuiltFrames = configuration.frameCount(sampleCount: size.samples)
        guard rebuiltFrames == magnitudes.frameCount else {
            throw AudioFeaturesError.invalidParameter(
                name: "length", value: length.map(String.init) ?? "none",
                valid:
                    "a length whose STFT has \(magnitudes.frameCount) frames, as the magnitudes do (it has \(rebuiltFrames)); e.g. none"
            )
        }
    }

    private func reconstruct(_ magnitudes: FeatureMatrix, length: Int?, phase: (Int) -> Double) -> [Float] {
        let kernel = SpectralKernel(configuration)
        let frames = magnitudes.frameCount
        let size = kernel.synthesisSize(frameCount: frames, length: length)
        let normalization = kernel.normalization(frameCount: size.frames, sampleCount: size.samples)
        let count = magnitudes.values.count
        let target = magnitudes.values.map { Double($0) }
        var angles = [Double](repeating: 0, count: 2 * count)
        for i in 0..<count {
            let phi = phase(i)
            angles[2 * i] = target[i] * cos(phi)
            angles[2 * i + 1] = target[i] * sin(phi)
        }
        var rebuilt = [Double](repeating: 0, count: 2 * count)
        var previous = [Double](repeating: 0, count: 2 * count)
        var signal = [Double](repeating: 0, count: size.samples)
        let carry = momentum / (1 + momentum)
        let tiny = Double(Float.leastNormalMagnitude)
        for iteration in 0..<iterationCount {
            angles.withUnsafeBufferPointer { angles in
                signal.withUnsafeMutableBufferPointer { signal in
                    kernel.synthesise(angles, frameCount: size.frames, normalization: normalization, into: signal)
                }
            }
            signal.withUnsafeBufferPointer { signal in
                rebuilt.withUnsafeMutableBufferPointer { rebuilt in
                    kernel.analyse(signal, into: rebuilt, frameCount: frames)
                }
            }
            let c = iteration == 0 ? 0 : carry
            for i in 0..<count {
                let re = rebuilt[2 * i] - c * previous[2 * i]
                let im = rebuilt[2 * i + 1] - c * previous[2 * i + 1]
                let scale = target[i] / ((re * re + im * im).squareRoot() + tiny)
                angles[2 * i] = re * scale
                angles[2 * i + 1] = im * scale
            }
            swap(&rebuilt, &previous)
        }
        angles.withUnsafeBufferPointer { angles in
            signal.withUnsafeMutableBufferPointer { signal in
                kernel.synthesise(angles, frameCount: size.frames, normalization: normalization, into: signal)
            }
        }
        return signal.map { Float($0) }
    }
}
