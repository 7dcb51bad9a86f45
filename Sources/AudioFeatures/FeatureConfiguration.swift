import Foundation

/// Everything that turns 16 kHz samples into a feature matrix. Presets carry their reasons;
/// any field can be overridden (the command line's explicit options do).
///
/// librosa names: `sampleRate` sr, `fftLength` n_fft, `hopLength` hop_length, `windowLength`
/// win_length, `melCount` n_mels, `minimumFrequency` fmin, `maximumFrequency` fmax,
/// `melScale` htk, `melNormalization` norm.
public struct FeatureConfiguration: Sendable, Equatable, Codable {
    /// Feature values: mel power, or mel power in dB.
    public enum Scale: String, Sendable, Codable, CaseIterable {
        case power
        case db
    }

    /// Where the dB conversion happens relative to the mel filterbank.
    public enum DecibelOrder: String, Sendable, Codable {
        /// dB of the mel power (librosa's `power_to_db(melspectrogram(...))`).
        case afterMel
        /// Mel filterbank applied to the dB values of the power spectrum ([KUNZE17]'s unusual
        /// order, kept for the `speechless` preset because the shipped recogniser expects it).
        case beforeMel
    }

    /// Target rate (Hz); audio at another rate is resampled with libsoxr (HQ).
    public var sampleRate: Int
    public var stft: STFTConfiguration
    public var melCount: Int
    public var minimumFrequency: Double
    /// nil means the Nyquist frequency, sampleRate / 2.
    public var maximumFrequency: Double?
    public var melScale: MelScale
    public var melNormalization: MelNormalization
    public var scale: Scale
    public var decibels: DecibelConversion
    public var decibelOrder: DecibelOrder
    public var normalization: FeatureNormalization

    public init(
        sampleRate: Int, stft: STFTConfiguration, melCount: Int, minimumFrequency: Double = 0,
        maximumFrequency: Double? = nil, melScale: MelScale = .slaney, melNormalization: MelNormalization = .slaney,
        scale: Scale = .db, decibels: DecibelConversion = DecibelConversion(), decibelOrder: DecibelOrder = .afterMel,
        normalization: FeatureNormalization = .none
    ) {
        self.sampleRate = sampleRate
        self.stft = stft
        self.melCount = melCount
        self.minimumFrequency = minimumFrequency
        self.maximumFrequency = maximumFrequency
        self.melScale = melScale
        self.melNormalization = melNormalization
        self.scale = scale
        self.decibels = decibels
        self.decibelOrder = decibelOrder
        self.normalization = normalization
    }

    /// The recogniser front end of [KUNZE17] (SCIENCE.md): 16 kHz; n_fft 512 (32 ms) and hop 128
    /// (8 ms), the powers of two nearest Wav2Letter's 25 ms / 10 ms; centred periodic Hann;
    /// power to dB floored at -150 dB (amin 1e-15, ref 1, no top_db); then 128 Slaney mel bands
    /// applied to the dB values; then one z-score per utterance. The FFT runs in double
    /// precision: a -150 dB floor is ~170 dB below loud frames, beyond float32's ~140 dB, and
    /// every bin down to the floor enters the mel sums.
    public static let speechless = FeatureConfiguration(
        sampleRate: 16000,
        stft: STFTConfiguration(
            fftLength: 512, hopLength: 128, windowLength: 512, window: .hann, center: true, precision: .double),
        melCount: 128,
        scale: .db,
        decibels: DecibelConversion(reference: .value(1), minimumPower: 1e-15, topDecibels: nil),
        decibelOrder: .beforeMel,
        normalization: .utterance)

    /// The common log-mel front end (Whisper/torchaudio-style sizes): 16 kHz; 25 ms windows
    /// (n_fft = win 400) every 10 ms (hop 160); 80 Slaney mel bands; power_to_db with ref 1,
    /// amin 1e-10 (-100 dB floor), no top_db; no normalisation.
    public static let logmel = FeatureConfiguration(
        sampleRate: 16000,
        stft: STFTConfiguration(fftLength: 400, hopLength: 160, windowLength: 400, window: .hann, center: true),
        melCount: 80,
        scale: .db,
        decibels: DecibelConversion(reference: .value(1), minimumPower: 1e-10, topDecibels: nil),
        decibelOrder: .afterMel,
        normalization: .none)

    /// Named presets, as the command line spells them.
    public enum Preset: String, Sendable, CaseIterable, Codable {
        case speechless
        case logmel

        public var configuration: FeatureConfiguration {
            switch self {
            case .speechless: return .speechless
            case .logmel: return .logmel
            }
        }
    }

    /// Checks every parameter; the error names the first bad one and what would be valid.
    public func validate() throws {
        guard sampleRate > 0 else {
            throw AudioFeaturesError.invalidParameter(
                name: "--sample-rate", value: String(sampleRate), valid: "a positive rate in Hz, e.g. 16000")
        }
        try stft.validate()
        try decibels.validate()
        _ = try melFilterbank()
    }

    /// The filterbank these settings describe (validates the mel parameters).
    public func melFilterbank() throws -> MelFilterbank {
        try MelFilterbank(
            sampleRate: sampleRate, fftLength: stft.fftLength, melCount: melCount, minimumFrequency: minimumFrequency,
            maximumFrequency: maximumFrequency, scale: melScale, normalization: melNormalization)
    }
}
