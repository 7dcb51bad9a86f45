import AudioFeatures
import Foundation
import PhonoscopeIO
import Testing

/// `phonoscope features` end to end, through the built executable.
struct FeaturesCommandTests {
    let directory: TemporaryDirectory
    let speech: String

    init() throws {
        directory = try TemporaryDirectory()
        speech = directory.path("speech.wav")
        // 1 s of a two-tone signal at 22,050 Hz, so reading also resamples.
        let samples = (0..<22050).map { i -> Float in
            let t = Double(i) / 22050
            return Float(0.3 * sin(2 * .pi * 440 * t) + 0.2 * sin(2 * .pi * 2500 * t))
        }
        try AudioFile.write(AudioSignal(samples: samples, sampleRate: 22050), to: URL(fileURLWithPath: speech))
    }

    @Test func speechlessPresetIsTheDefault() throws {
        let result = try CommandRunner.run(["features", speech, "-o", directory.path("out.npy")])
        #expect(result.status == 0, "\(result.standardError)")
        let array = try NPYArray<Float>(contentsOf: URL(fileURLWithPath: directory.path("out.npy")))
        #expect(array.shape == [1 + 16000 / 128, 128])
        let reference = try FeatureExtractor(.speechless).features(ofFile: URL(fileURLWithPath: speech))
        #expect(array.elements == reference.values)
    }

    @Test func explicitOptionsOverrideThePreset() throws {
        let out = directory.path("custom.npy")
        let result = try CommandRunner.run([
            "features", speech, "-o", out, "--preset", "logmel", "--n-mels", "40", "--no-center", "--n-fft", "512",
            "--win-length", "400", "--hop-length", "128", "--window", "hamming", "--fmin", "50", "--fmax", "7000",
            "--mel-scale", "htk", "--mel-norm", "none", "--scale", "power", "--normalize", "utterance",
            "--sample-rate", "16000",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let array = try NPYArray<Float>(contentsOf: URL(fileURLWithPath: out))
        #expect(array.shape == [1 + (16000 - 512) / 128, 40])
        var configuration = FeatureConfiguration.logmel
        configuration.stft = STFTConfiguration(
            fftLength: 512, hopLength: 128, windowLength: 400, window: .hamming, center: false)
        configuration.melCount = 40
        configuration.minimumFrequency = 50
        configuration.maximumFrequency = 7000
        configuration.melScale = .htk
        configuration.melNormalization = .none
        configuration.scale = .power
        configuration.normalization = .utterance
        let reference = try FeatureExtractor(configuration).features(ofFile: URL(fileURLWithPath: speech))
        #expect(array.elements == reference.values)
    }

    @Test(arguments: ["png", "svg", "pdf"])
    func plotsTheSpectrogram(_ format: String) throws {
        let figure = directory.path("spectrogram.\(format)")
        let result = try CommandRunner.run([
            "features", speech, "-o", directory.path("f.npy"), "--preset", "logmel", "--plot", figure,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let data = try Data(contentsOf: URL(fileURLWithPath: figure))
        let magic: [String: [UInt8]] = [
            "png": [0x89, 0x50, 0x4E, 0x47], "svg": Array("<?xml".utf8), "pdf": Array("%PDF".utf8),
        ]
        #expect(Array(data.prefix(magic[format]!.count)) == magic[format]!)
        #expect(try directory.contents() == ["f.npy", "spectrogram.\(format)", "speech.wav"])
    }

    @Test func helpShowsExamplesAndEveryOption() throws {
        let result = try CommandRunner.run(["features", "--help"])
        #expect(result.status == 0)
        for option in [
            "--preset", "--sample-rate", "--n-fft", "--hop-length", "--win-length", "--window", "--no-center",
            "--n-mels", "--fmin", "--fmax", "--mel-scale", "--mel-norm", "--scale", "--normalize", "--plot",
            "Examples:",
        ] {
            #expect(result.standardOutput.contains(option), "help lacks \(option)")
        }
    }
}
