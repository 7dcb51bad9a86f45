import Foundation

/// A feature matrix of a preset (the recogniser's input) back to audio you can listen to, for
/// activation maximisation and other feature-space edits.
///
/// Concretely, undoing `FeatureExtractor` step by step:
/// 1. the z-score (`normalization: .utterance`): v = z std + mean, with the caller's `mean` and
///    `standardDeviation` (the per-utterance values are not in the features);
/// 2. the mel filterbank, by non-negative least squares (`MelInversion`), and the dB:
///    - dB after mel (`logmel`, librosa's order): mel power = `db_to_power(v)`, then
///      `mel_to_stft` to a linear power spectrum;
///    - dB before mel (`speechless`): the filters were applied to a dB spectrum floored at
///      10 log10(amin) (-150 dB), so the least squares solve for a dB spectrum >= that floor,
///      which then becomes power;
/// 3. power -> magnitude (square root), phases by Griffin-Lim (`GriffinLim`, zero or random
///    start), samples by `InverseShortTimeFourierTransform`;
/// 4. with `gatesFrameEnergy` (the default), `FrameEnergyGate`: samples attenuated where
///    Griffin-Lim leaked energy into frames quieter than that;
/// 5. the peak scaled to `peakDecibels` dBFS (-1 by default), so the WAV neither clips nor is
///    inaudible whatever the dB level the features imply. A silent result stays silent.
///
/// The features of the audio are close to, not equal to, the input: phases are estimated and
/// most feature matrices are not the features of any signal. Measured (InversionTests and six
/// eSpeak NG utterances of 1 to 2.8 s): the `speechless` features of the inverted audio
/// correlate with the original features at r = 0.979-0.995 with the default statistics (0.991-
/// 0.994 with each utterance's own), `logmel` at 0.991-0.996. Without the gate, near-silent
/// frames beside loud ones bring r down to ~0.90. 2 s take ~60 ms (release, one core).
///
/// Shapes: `FeatureMatrix(frames, melCount)` in; `hopLength (frames - 1)` samples out at the
/// preset's rate when centred.
public struct FeatureInversion: Sendable {
    /// Mean of the un-normalised `speechless` features (the filterbank applied to dB values), -0.77:
    /// pooled over 6 eSpeak NG utterances (`phonoscope speak "<text>" -o s.wav`, en-us, 175 wpm,
    /// 1 to 2.8 s, per-utterance means -0.60 to -0.92; "the quick brown fox jumps over the lazy
    /// dog", "phonemes in time", "she sells sea shells by the sea shore", "a recogniser hears
    /// what we say", "seven eight nine ten", "please call stella and ask her to bring these
    /// things"). The values are sums of dB weighted by Slaney filters of area ~1 / 31.25 Hz, hence
    /// the small scale: -0.77 is an average of about -25 dB.
    public static let speechlessMean = -0.77
    /// Standard deviation of the same values, 0.91 (per utterance 0.63 to 1.10). A larger one
    /// makes the audio's spectral contrast larger; the level is normalised away at the end.
    public static let speechlessStandardDeviation = 0.91

    /// The loudest bin a dB-before-mel spectrum may ask for, 100 dB: far above any real
    /// spectrum's (a full-scale sine reaches about 42 dB with n_fft 512), far below Float's limit.
    public static let ceilingDecibels: Float = 100

    public let configuration: FeatureConfiguration
    /// Added back after the scaling; used only with `normalization: .utterance`.
    public let mean: Double
    /// Multiplies the z-scores; used only with `normalization: .utterance`.
    public let standardDeviation: Double
    /// Peak level of the output in dBFS.
    public let peakDecibels: Double
    /// Whether `FrameEnergyGate` runs after Griffin-Lim (false: librosa's output, scaled).
    public let gatesFrameEnergy: Bool
    public let melInversion: MelInversion
    public let griffinLim: GriffinLim

    /// - Parameters:
    ///   - configuration: The preset the features were made with; `speechless` by default.
    ///   - mean: The mean of the un-normalised features; `speechless`'s typical value by default
    ///     (see `speechlessMean`).
    ///   - standardDeviation: Their standard deviation; `speechless`'s typical value by default.
    ///   - iterationCount: Griffin-Lim's `n_iter`, 32 as librosa's default.
    ///   - momentum: Griffin-Lim's `momentum`, 0.99 as librosa's default.
    ///   - peakDecibels: The output peak, -1 dBFS by default (headroom for lossy encoders).
    ///   - gatesFrameEnergy: Whether to remove Griffin-Lim's leakage into quiet frames (true).
    /// - Throws: `AudioFeaturesError.invalidParameter` naming a bad setting, or a dB reference
    ///   (`ref=np.max`) that cannot be inverted.
    public init(
        configuration: FeatureConfiguration = .speechless, mean: Double = FeatureInversion.speechlessMean,
        standardDeviation: Double = FeatureInversion.speechlessStandardDeviation, iterationCount: Int = 32,
        momentum: Double = 0.99, peakDecibels: Double = -1, gatesFrameEnergy: Bool = true
    ) throws {
        try configuration.validate()
        guard mean.isFinite else {
            throw AudioFeaturesError.invalidParameter(
                name: "mean", value: String(mean), valid: "a finite number, e.g. \(Self.speechlessMean)")
        }
        guard standardDeviation > 0, standardDeviation.isFinite else {
            throw AudioFeaturesError.invalidParameter(
                name: "standard deviation", value: String(standardDeviation),
                valid: "a positive number, e.g. \(Self.speechlessStandardDeviation)")
        }
        guard peakDecibels <= 0, peakDecibels.isFinite else {
            throw AudioFeaturesError.invalidParameter(
                name: "peak", value: "\(peakDecibels) dBFS", valid: "a level <= 0 dBFS, e.g. -1")
        }
        if configuration.scale == .db { _ = try configuration.decibels.referencePower() }
        self.configuration = configuration
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.peakDecibels = peakDecibels
        self.gatesFrameEnergy = gatesFrameEnergy
        self.melInversion = try MelInversion(filterbank: configuration.melFilterbank())
        self.griffinLim = try GriffinLim(configuration.stft, iterationCount: iterationCount, momentum: momentum)
    }

    /// The linear STFT magnitudes the features imply (steps 1 and 2, and the square root).
    public func magnitudes(from features: FeatureMatrix) throws -> FeatureMatrix {
        let c = configuration
        guard features.binCount == c.melCount else {
            throw AudioFeaturesError.invalidParameter(
                name: "feature bands", value: String(features.binCount), valid: "\(c.melCount) (the preset's --n-mels)")
        }
        if let i = features.values.firstIndex(where: { !$0.isFinite }) {
            throw AudioFeaturesError.invalidParameter(
                name: "feature at frame \(i / features.binCount), band \(i % features.binCount)",
                value: String(features.values[i]), valid: "finite numbers (no NaN or Inf)")
        }
        var values = features
        if c.normalization == .utterance {
            for i in values.values.indices {
                values.values[i] = Float(Double(values.values[i]) * standardDeviation + mean)
            }
        }
        var power: FeatureMatrix
        switch (c.scale, c.decibelOrder) {
        case (.power, _):
            power = try melInversion.leastSquares(values)
        case (.db, .afterMel):
            values.values = try c.decibels.power(fromDecibels: values.values)
            power = try melInversion.leastSquares(values)
        case (.db, .beforeMel):
            power = try melInversion.leastSquares(values, lowerBound: c.decibels.floorDecibels())
            // Features no signal has (activation maximisation's) can ask for dB beyond Float's
            // power range; only the relative level matters (the peak is normalised at the end),
            // so such a spectrum is lowered until its loudest bin is at `ceilingDecibels`.
            let loudest = power.values.max() ?? 0
            if loudest > Self.ceilingDecibels {
                let shift = loudest - Self.ceilingDecibels
                power.values = power.values.map { $0 - shift }
            }
            power.values = try c.decibels.power(fromDecibels: power.values)
        }
        for i in power.values.indices { power.values[i] = power.values[i].squareRoot() }
        return power
    }

    /// Audio whose features approximate `features`, from zero initial phase (deterministic).
    public func audio(from features: FeatureMatrix) throws -> AudioSignal {
        let magnitudes = try magnitudes(from: features)
        let samples = try griffinLim.signal(fromMagnitudes: magnitudes)
        return try finished(samples, magnitudes: magnitudes)
    }

    /// As `audio(from:)` with Griffin-Lim's `initialPhase` drawn from `generator` when random.
    public func audio<Generator: RandomNumberGenerator>(
        from features: FeatureMatrix, initialPhase: GriffinLim.InitialPhase, using generator: inout Generator
    ) throws -> AudioSignal {
        let magnitudes = try magnitudes(from: features)
        let samples = try griffinLim.signal(fromMagnitudes: magnitudes, initialPhase: initialPhase, using: &generator)
        return try finished(samples, magnitudes: magnitudes)
    }

    /// Steps 4 and 5: the gate, then the peak at `peakDecibels`.
    private func finished(_ samples: [Float], magnitudes: FeatureMatrix) throws -> AudioSignal {
        var samples = samples
        if gatesFrameEnergy {
            samples = try FrameEnergyGate(configuration.stft).apply(to: samples, targetMagnitudes: magnitudes)
        }
        let peak = samples.reduce(Float(0)) { max($0, abs($1)) }
        if peak > 0 {
            let gain = Float(pow(10, peakDecibels / 20)) / peak
            for i in samples.indices { samples[i] *= gain }
        }
        return AudioSignal(samples: samples, sampleRate: configuration.sampleRate)
    }
}
