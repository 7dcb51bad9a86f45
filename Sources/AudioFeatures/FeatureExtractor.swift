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
    let transform: ShortTimeFourierTransform
    /// The analysis window (`windowLength` points), computed once: `rows` runs once per block.
    let windowCoefficients: [Double]
    /// Threads for the STFT; results do not depend on it.
    public var threadCount: Int

    public init(_ configuration: FeatureConfiguration, threadCount: Int = 1) throws {
        try configuration.validate()
        self.configuration = configuration
        self.filterbank = try configuration.melFilterbank()
        self.transform = try ShortTimeFourierTransform(configuration.stft)
        self.windowCoefficients = configuration.stft.window.coefficients(length: configuration.stft.windowLength)
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
            result.values.withUnsafeMutableBufferPointer { buffer in
                signal.samples.withUnsafeBufferPointer { samples in
                    rows(
                        of: samples, segmentStart: 0, sampleCount: samples.count,
                        frames: 0..<result.frameCount, into: SendableMutableBuffer(buffer))
                }
            }
            if c.scale == .db && c.decibelOrder == .afterMel { c.decibels.apply(to: &result.values) }
        }
        c.normalization.apply(to: &result.values)
        return result
    }

    /// Whether `streamFeatures` can compute these settings block by block: every setting but a
    /// data-dependent dB reference or top_db (which need the whole spectrogram first).
    public var streams: Bool { configuration.scale != .db || configuration.decibels.isElementwise }

    /// The features of a file read block by block (`reader`, at the configured rate), handed to
    /// `body` in order as blocks of whole rows (`framesPerBlock` rows, fewer in the last),
    /// before normalisation: neither the signal nor the features are ever held whole. Returns
    /// the frame count and the normalisation the caller applies to the rows it kept
    /// (`FeatureNormalization.Affine.identity` for `.none`). Needs `streams`. Mono 16-bit PCM
    /// is windowed straight from its integers (`FrameSample`), with the same rows.
    public func streamFeatures(
        from reader: AudioFileReader, framesPerBlock: Int = 256,
        _ body: (UnsafeBufferPointer<Float>) throws -> Void
    ) throws -> (frameCount: Int, normalization: FeatureNormalization.Affine) {
        if reader.readsSixteenBitIntegers {
            return try streamFeatures(Int16.self, from: reader, framesPerBlock: framesPerBlock, body)
        }
        return try streamFeatures(Float.self, from: reader, framesPerBlock: framesPerBlock, body)
    }

    private func streamFeatures<Sample: FrameSample>(
        _: Sample.Type, from reader: AudioFileReader, framesPerBlock: Int,
        _ body: (UnsafeBufferPointer<Float>) throws -> Void
    ) throws -> (frameCount: Int, normalization: FeatureNormalization.Affine) {
        let c = configuration
        precondition(streams, "streamFeatures needs an elementwise dB conversion")
        let source = reader.url.path
        guard reader.sampleRate == c.sampleRate else {
            throw AudioFeaturesError.invalidParameter(
                name: "sample rate of \(source)", value: String(reader.sampleRate),
                valid: "\(c.sampleRate) Hz (resample first)")
        }
        let sampleCount = reader.frameCount
        guard sampleCount >= c.stft.fftLength else {
            throw AudioFeaturesError.tooShort(
                path: source, sampleCount: sampleCount, required: c.stft.fftLength, sampleRate: c.sampleRate)
        }
        let frameCount = c.stft.frameCount(sampleCount: sampleCount)
        let melCount = filterbank.melCount
        let blockFrames = max(1, framesPerBlock)
        let capacity = (blockFrames - 1) * c.stft.hopLength + c.stft.fftLength
        let samples = UnsafeMutableBufferPointer<Sample>.allocate(capacity: capacity)
        defer { samples.deallocate() }
        let rows = UnsafeMutableBufferPointer<Float>.allocate(capacity: blockFrames * melCount)
        defer { rows.deallocate() }
        // samples[0..<held] are the signal's samples [heldStart, heldStart + held).
        var heldStart = 0
        var held = 0
        var moments = FeatureNormalization.Moments()
        for first in stride(from: 0, to: frameCount, by: blockFrames) {
            let frames = first..<min(frameCount, first + blockFrames)
            let needed = transform.sampleRange(frames: frames, sampleCount: sampleCount)
            // Drop what no later frame reads, skip what none reads, then read up to the block's end.
            let drop = min(held, max(0, needed.lowerBound - heldStart))
            if drop > 0 {
                if let base = samples.baseAddress { base.update(from: base + drop, count: held - drop) }
                heldStart += drop
                held -= drop
            }
            while held == 0 && heldStart < needed.lowerBound {
                let skip = UnsafeMutableBufferPointer(
                    rebasing: samples[0..<min(capacity, needed.lowerBound - heldStart)])
                heldStart += try Sample.read(from: reader, into: skip)
            }
            while heldStart + held < needed.upperBound {
                let free = UnsafeMutableBufferPointer(
                    rebasing: samples[held..<min(capacity, held + needed.upperBound - heldStart - held)])
                held += try Sample.read(from: reader, into: free)
            }
            let block = UnsafeMutableBufferPointer(rebasing: rows[0..<(frames.count * melCount)])
            self.rows(
                of: UnsafeBufferPointer(rebasing: samples[0..<held]), segmentStart: heldStart, sampleCount: sampleCount,
                frames: frames, into: SendableMutableBuffer(block))
            if c.scale == .db && c.decibelOrder == .afterMel { c.decibels.applyElementwise(to: block) }
            if c.normalization == .utterance { moments.add(UnsafeBufferPointer(block)) }
            try body(UnsafeBufferPointer(block))
        }
        let normalization =
            c.normalization == .utterance ? FeatureNormalization.Affine(moments) : FeatureNormalization.Affine.identity
        return (frameCount, normalization)
    }

    /// Reads `url` (any format libsndfile reads, resampled to the configured rate) and
    /// computes its features.
    public func features(ofFile url: URL, channel: ChannelSelection = .mixDown) throws -> FeatureMatrix {
        let signal = try AudioFile.read(url, sampleRate: configuration.sampleRate, channel: channel)
        return try features(of: signal, source: url.path)
    }
}
