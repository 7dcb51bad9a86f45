import Foundation

/// A pipeline stage that turns a signal into a feature matrix.
public protocol FeatureExtracting: Sendable {
    var configuration: FeatureConfiguration { get }
    /// Features of `signal`, which must already be at `configuration.sampleRate`.
    func features(of signal: AudioSignal) throws -> FeatureMatrix
}

/// The default front end: STFT power -> (dB) -> mel -> (dB) -> normalisation, as
/// `FeatureConfiguration` describes.
///
/// Shapes: samples [n] -> features [frames, melCount], frames = 1 + n / hop when centred.
public struct FeatureExtractor: FeatureExtracting {
    public let configuration: FeatureConfiguration
    public let filterbank: MelFilterbank
    private let transform: ShortTimeFourierTransform
    /// Threads for the STFT; results do not depend on it.
    public var threadCount: Int

    public init(_ configuration: FeatureConfiguration, threadCount: Int = 1) throws {
        try configuration.validate()
        self.configuration = configuration
        self.filterbank = try configuration.melFilterbank()
        self.transform = try ShortTimeFourierTransform(configuration.stft)
        self.threadCount = threadCount
    }

    /// Warnings about the settings (empty mel filters), for the caller to show.
    public var warnings: [String] { filterbank.emptyFilterWarning.map { [$0] } ?? [] }

    public func features(of signal: AudioSignal) throws -> FeatureMatrix {
        try features(of: signal, source: "<signal>")
    }

    /// As `features(of:)`; `source` names the input in errors.
    public func features(of signal: AudioSignal, source: String) throws -> FeatureMatrix {
        let c = configuration
        guard signal.sampleRate == c.sampleRate else {
            throw AudioFeaturesError.invalidParameter(
                name: "sample rate of \(source)", value: String(signal.sampleRate),
                valid: "\(c.sampleRate) Hz (resample first)")
        }
        guard !signal.samples.isEmpty else { throw AudioFeaturesError.empty(path: source) }
        guard signal.samples.count >= c.stft.fftLength else {
            throw AudioFeaturesError.tooShort(
                path: source, sampleCount: signal.samples.count, required: c.stft.fftLength, sampleRate: c.sampleRate)
        }
        if let bad = signal.samples.firstIndex(where: { !$0.isFinite }) {
            throw AudioFeaturesError.nonFinite(path: source, sampleIndex: bad, value: signal.samples[bad])
        }
        var result: FeatureMatrix
        switch (c.scale, c.decibelOrder) {
        case (.db, .beforeMel) where !c.decibels.isElementwise:
            // A data-dependent reference or top_db needs the whole power spectrogram first.
            var spectrum = transform.spectrogram(signal.samples, kind: .power, threadCount: threadCount)
            c.decibels.apply(to: &spectrum.values)
            result = filterbank.apply(to: spectrum)
        default:
            // Frame by frame: power -> (dB) -> mel, never holding the power spectrogram.
            result = FeatureMatrix(
                frameCount: c.stft.frameCount(sampleCount: signal.samples.count), binCount: filterbank.melCount)
            let decibelsFirst = c.scale == .db && c.decibelOrder == .beforeMel
            let melCount = filterbank.melCount
            let filterbank = self.filterbank
            let decibels = c.decibels
            result.values.withUnsafeMutableBufferPointer { buffer in
                let output = SendableMutableBuffer(buffer)
                transform.forEachFrame(signal.samples, kind: .power, threadCount: threadCount) { frame, power in
                    if decibelsFirst { decibels.applyElementwise(to: power) }
                    filterbank.apply(
                        row: UnsafeBufferPointer(power),
                        into: UnsafeMutableBufferPointer(
                            rebasing: output.buffer[(frame * melCount)..<((frame + 1) * melCount)]))
                }
            }
            if c.scale == .db && c.decibelOrder == .afterMel { c.decibels.apply(to: &result.values) }
        }
        c.normalization.apply(to: &result.values)
        return result
    }

    /// Reads `url` (any format libsndfile reads, resampled to the configured rate) and
    /// computes its features.
    public func features(ofFile url: URL, channel: ChannelSelection = .mixDown) throws -> FeatureMatrix {
        let signal = try AudioFile.read(url, sampleRate: configuration.sampleRate, channel: channel)
        return try features(of: signal, source: url.path)
    }
}
