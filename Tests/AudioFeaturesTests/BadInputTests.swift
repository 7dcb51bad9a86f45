import Foundation
import PhonoscopeIO
import Testing

@testable import AudioFeatures

/// Bad input at the library level: each error names the value and what would be valid.
struct BadInputTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("phonoscope-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    @Test func missingFileAndDirectory() throws {
        let missing = directory.appendingPathComponent("nope.wav")
        #expect(throws: FileError.missing(path: missing.path)) { _ = try AudioFile.read(missing) }
        #expect(throws: FileError.isDirectory(path: directory.path)) { _ = try AudioFile.read(directory) }
    }

    @Test func garbageAndTruncatedAudio() throws {
        let garbage = directory.appendingPathComponent("garbage.wav")
        try Data("this is not audio at all".utf8).write(to: garbage)
        #expect(throws: AudioFeaturesError.self) { _ = try AudioFile.read(garbage) }

        let full = try Data(contentsOf: LibrosaFixtures.url("audio/pcm_16.flac"))
        let truncated = directory.appendingPathComponent("truncated.flac")
        try full.prefix(full.count / 2).write(to: truncated)
        do {
            _ = try AudioFile.read(truncated)
            Issue.record("a truncated FLAC was accepted")
        } catch let error as AudioFeaturesError {
            #expect(error.description.contains(truncated.path))
        }
        let wav = try Data(contentsOf: LibrosaFixtures.url("audio/pcm_16.wav"))
        let truncatedWAV = directory.appendingPathComponent("truncated.wav")
        try wav.prefix(wav.count - 1000).write(to: truncatedWAV)
        do {
            _ = try AudioFile.read(truncatedWAV)
            Issue.record("a truncated WAV was accepted")
        } catch let error as AudioFeaturesError {
            #expect(error.description.contains("truncated"))
        }
    }

    @Test func zeroSamplesAndNonFiniteSamples() throws {
        let empty = directory.appendingPathComponent("empty.wav")
        try AudioFile.write(AudioSignal(samples: [], sampleRate: 16000), to: empty)
        #expect(throws: AudioFeaturesError.empty(path: empty.path)) { _ = try AudioFile.read(empty) }

        let nan = directory.appendingPathComponent("nan.wav")
        try AudioFile.write(AudioSignal(samples: [0, 0.5, .nan, 1], sampleRate: 16000), to: nan)
        do {
            _ = try AudioFile.read(nan)
            Issue.record("NaN samples were accepted")
        } catch let AudioFeaturesError.nonFinite(path, index, _) {
            #expect(path == nan.path && index == 2)
        }
        let inf = directory.appendingPathComponent("inf.wav")
        try AudioFile.write(AudioSignal(samples: [0, .infinity], sampleRate: 16000), to: inf)
        #expect(throws: AudioFeaturesError.self) { _ = try AudioFile.read(inf) }
    }

    @Test func audioShorterThanOneFrame() throws {
        let extractor = try FeatureExtractor(.speechless)
        #expect(
            throws: AudioFeaturesError.tooShort(path: "<signal>", sampleCount: 100, required: 512, sampleRate: 16000)
        ) {
            _ = try extractor.features(of: AudioSignal(samples: [Float](repeating: 0.1, count: 100), sampleRate: 16000))
        }
    }

    @Test func invalidParametersNameTheValue() throws {
        func message(_ body: () throws -> Void) -> String {
            do {
                try body()
                return ""
            } catch { return String(describing: error) }
        }
        var c = FeatureConfiguration.logmel
        c.sampleRate = 0
        #expect(message { try c.validate() }.contains("--sample-rate 0"))
        c = .logmel
        c.stft.windowLength = 512
        #expect(message { try c.validate() }.contains("--win-length 512"))
        c = .logmel
        c.stft.hopLength = 0
        #expect(message { try c.validate() }.contains("--hop-length 0"))
        c = .logmel
        c.maximumFrequency = 9000
        let fmax = message { try c.validate() }
        #expect(fmax.contains("--fmax 9000") && fmax.contains("8000"))
        #expect(
            message { _ = try Resampler.resample(AudioSignal(samples: [1], sampleRate: 16000), to: -5) }.contains("-5"))
    }

    @Test func tooManyMelsWarnsLikeLibrosa() throws {
        var c = FeatureConfiguration.logmel
        c.stft = .init(fftLength: 256, hopLength: 128)
        c.melCount = 128
        let extractor = try FeatureExtractor(c)
        #expect(extractor.warnings.count == 1)
        #expect(extractor.warnings[0].contains("empty"))
        #expect(try FeatureExtractor(.speechless).warnings.isEmpty)
    }
}
