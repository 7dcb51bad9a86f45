import ArgumentParser
import AudioFeatures
import Foundation
import PhonoscopeIO
import Plots

// The value lists spelled out per type: the library's generic default (a key path over
// `allCases`) is instantiated at run time on every start, about 0.6 ms of a `features` run.
extension FeatureConfiguration.Preset: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
}
extension WindowKind: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
}
extension MelScale: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
}
extension MelNormalization: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
}
extension FeatureConfiguration.Scale: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
}
extension FeatureNormalization: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
}

/// `phonoscope features AUDIO -o OUT.npy`: the front end as a command.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Compute a (log-)mel spectrogram of an audio file and save it as a NumPy .npy array.",
        discussion: """
            The output is float32, shape (frames, bins), time-major, readable with
            numpy.load. A preset sets every option; explicit options override it. Presets:
              speechless  the recogniser front end: 16 kHz, n_fft 512, hop 128, power -> dB
                          (floor -150 dB) -> 128 Slaney mel bands -> z-score per utterance
              logmel      16 kHz, n_fft 400, win 400, hop 160, 80 mel bands,
                          power_to_db(ref 1, amin 1e-10, no top_db)
            --scale db is librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=None); with
            the speechless preset the preset's -150 dB floor (amin 1e-15) and its
            dB-before-mel order apply.
            --win-length defaults to --n-fft. Audio at another rate is resampled with
            libsoxr (HQ).

            Examples:
              phonoscope features speech.flac -o speech.npy
              phonoscope features speech.wav -o speech.npy --preset logmel --plot \\
                speech.png
              phonoscope features speech.wav -o mel.npy --n-fft 1024 --hop-length 256 \\
                --n-mels 64 --fmax 8000 --scale power
            """)

    @Argument(help: "Audio file (WAV, FLAC, Ogg Vorbis, or anything libsndfile reads).")
    var audio: String

    @Option(name: [.customShort("o"), .long], help: "Output .npy file.")
    var output: String

    @Option(help: "Feature preset.")
    var preset: FeatureConfiguration.Preset = .speechless

    @Option(help: "Sample rate in Hz the audio is resampled to.")
    var sampleRate: Int?
    @Option(help: "FFT size in samples.")
    var nFft: Int?
    @Option(help: "Samples between successive frames.")
    var hopLength: Int?
    @Option(help: "Window length in samples (at most --n-fft).")
    var winLength: Int?
    @Option(help: "Analysis window (periodic).")
    var window: WindowKind?
    @Flag(help: "Do not pad n_fft/2 zeros at both ends (frames then start at sample 0).")
    var noCenter = false
    @Option(help: "Number of mel bands.")
    var nMels: Int?
    @Option(help: "Lowest mel filter edge in Hz.")
    var fmin: Double?
    @Option(help: "Highest mel filter edge in Hz (default: sample rate / 2).")
    var fmax: Double?
    @Option(help: "Mel scale formula.")
    var melScale: MelScale?
    @Option(help: "Mel filter normalisation.")
    var melNorm: MelNormalization?
    @Option(help: "Values: mel power or power in dB.")
    var scale: FeatureConfiguration.Scale?
    @Option(help: "Normalisation: none, or one z-score per utterance.")
    var normalize: FeatureNormalization?
    @Option(help: "Also draw the features to this figure (.png, .svg or .pdf).")
    var plot: String?

    @OptionGroup var channel: ChannelOption

    /// The preset with every explicit option applied.
    func resolvedConfiguration() -> FeatureConfiguration {
        var c = preset.configuration
        if let sampleRate { c.sampleRate = sampleRate }
        if let nFft {
            c.stft.fftLength = nFft
            c.stft.windowLength = nFft
        }
        if let winLength { c.stft.windowLength = winLength }
        if let hopLength { c.stft.hopLength = hopLength }
        if let window { c.stft.window = window }
        if noCenter { c.stft.center = false }
        if let nMels { c.melCount = nMels }
        if let fmin { c.minimumFrequency = fmin }
        if let fmax { c.maximumFrequency = fmax }
        if let melScale { c.melScale = melScale }
        if let melNorm { c.melNormalization = melNorm }
        if let scale {
            c.scale = scale
            if scale == .db && preset != .speechless {
                c.decibels = DecibelConversion(reference: .value(1), minimumPower: 1e-10, topDecibels: nil)
            }
        }
        if let normalize { c.normalization = normalize }
        return c
    }

    func run() throws {
        let configuration = resolvedConfiguration()
        let extractor = try FeatureExtractor(configuration)
        for warning in extractor.warnings { Console.warn(warning) }
        let inputURL = URL(fileURLWithPath: audio)
        let outputURL = URL(fileURLWithPath: output)
        // Check every destination before the work, so a bad path costs nothing.
        try AtomicFile.checkDestination(outputURL)
        let plotURL = plot.map { URL(fileURLWithPath: $0) }
        if let plotURL {
            try AtomicFile.checkDestination(plotURL)
            _ = try OutputFormat(url: plotURL)
        }
        if plotURL == nil, extractor.streams,
            let reader = try? AudioFileReader(inputURL, channel: channel.selection),
            reader.sampleRate == configuration.sampleRate
        {
            // Block by block: neither the signal nor the features are held whole.
            let frames = try Self.streamFeatures(extractor, reader: reader, to: outputURL)
            print(
                "\(output): \(frames) frames x \(extractor.filterbank.melCount) bins, float32 (\(Self.describe(configuration)))"
            )
            return
        }
        let features = try extractor.features(ofFile: inputURL, channel: channel.selection)
        try NPYArray(shape: [features.frameCount, features.binCount], elements: features.values).write(to: outputURL)
        if let plotURL {
            var figure = SpectrogramFigure(
                values: features.values, frameCount: features.frameCount, binCount: features.binCount,
                secondsPerFrame: Double(configuration.stft.hopLength) / Double(configuration.sampleRate),
                binFrequencies: extractor.filterbank.centerFrequencies,
                colorbarLabel: Self.valueLabel(configuration),
                title: "\(inputURL.lastPathComponent): \(Self.describe(configuration))")
            if configuration.scale == .db && configuration.normalization == .none {
                // Show the top 80 dB, as librosa.display users usually do; values below are clipped in colour only.
                let peak = features.values.max() ?? 0
                figure.colorLimits = max(features.values.min() ?? peak - 80, peak - 80)...peak
            }
            try figure.write(to: plotURL)
        }
        print(
            "\(output): \(features.frameCount) frames x \(features.binCount) bins, float32 (\(Self.describe(configuration)))"
        )
    }

    static func valueLabel(_ c: FeatureConfiguration) -> String {
        switch (c.scale, c.normalization) {
        case (.power, .none): return "mel power"
        case (.power, .utterance): return "z-score of mel power"
        case (.db, .none): return "power (dB)"
        case (.db, .utterance): return "z-score of power in dB"
        }
    }

    /// Streams the features of `reader` into the `.npy` at `url` (atomically): unnormalised rows
    /// block by block, then the normalisation applied in place once its statistics are known.
    static func streamFeatures(_ extractor: FeatureExtractor, reader: AudioFileReader, to url: URL) throws -> Int {
        let frames = extractor.configuration.stft.frameCount(sampleCount: reader.frameCount)
        let bins = extractor.filterbank.melCount
        return try AtomicFile.withTemporaryURL(for: url) { temporary in
            let writer = try NPYStreamWriter<Float>(url: temporary, shape: [frames, bins], reportedPath: url.path)
            let result = try extractor.streamFeatures(from: reader) { try writer.append($0) }
            if result.normalization != .identity {
                try writer.transformWritten { result.normalization.apply(to: $0) }
            }
            try writer.finish()
            return result.frameCount
        }
    }

    static func describe(_ c: FeatureConfiguration) -> String {
        let s = c.stft
        return "\(c.melCount) mel bands, n_fft \(s.fftLength), hop \(s.hopLength), \(c.sampleRate) Hz"
    }
}
