import Foundation
import PhonoscopeIO
import SeededRandom
import Testing

@testable import AudioFeatures

/// Features read block by block (`AudioFileReader`, `FeatureExtractor.streamFeatures`) against
/// the same features of the whole decoded file, including blocks of one frame, frames that skip
/// samples, stereo files and errors found in the middle of a file.
struct StreamingTests {
    let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("phonoscope-streaming-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// A seeded 16 kHz test signal: a chirp with noise and a quiet stretch, `count` samples.
    func signal(count: Int) -> [Float] {
        var generator = SeededGenerator(seed: 5)
        return (0..<count).map { i in
            let t = Double(i) / 16000
            let chirp = sin(2 * Double.pi * (200 * t + 1500 * t * t))
            let quiet = i > count / 3 && i < count / 2 ? 1e-4 : 1.0
            return Float(quiet * (0.5 * chirp + 0.05 * Double.random(in: -1...1, using: &generator)))
        }
    }

    /// The streamed rows of `url`, normalised as the caller would, as one matrix.
    func streamed(_ extractor: FeatureExtractor, _ url: URL, channel: ChannelSelection = .mixDown, block: Int) throws
        -> [Float]
    {
        var rows: [Float] = []
        let reader = try AudioFileReader(url, channel: channel)
        let result = try extractor.streamFeatures(from: reader, framesPerBlock: block) { rows += $0 }
        rows.withUnsafeMutableBufferPointer { result.normalization.apply(to: $0) }
        #expect(rows.count == result.frameCount * extractor.filterbank.melCount)
        return rows
    }

    static let configurations: [(String, FeatureConfiguration)] = {
        var sparse = FeatureConfiguration.logmel
        sparse.stft = STFTConfiguration(
            fftLength: 256, hopLength: 300, windowLength: 200, window: .hamming, center: false)
        sparse.melCount = 40
        var power = FeatureConfiguration.logmel
        power.scale = .power
        power.normalization = .utterance
        return [("speechless", .speechless), ("logmel", .logmel), ("sparse frames", sparse), ("power z-score", power)]
    }()

    @Test(arguments: [1, 7, 1024])
    func streamedFeaturesEqualThoseOfTheWholeFile(block: Int) throws {
        let url = directory.appendingPathComponent("chirp.wav")
        try AudioFile.write(AudioSignal(samples: signal(count: 24_321), sampleRate: 16000), to: url)
        for (name, configuration) in Self.configurations {
            let extractor = try FeatureExtractor(configuration)
            #expect(extractor.streams)
            let whole = try extractor.features(ofFile: url)
            let rows = try streamed(extractor, url, block: block)
            #expect(rows.count == whole.values.count, "\(name)")
            let scale = whole.values.map { abs($0) }.max()!
            let error = zip(rows, whole.values).map { abs($0 - $1) }.max()!
            #expect(error <= 1e-5 * scale, "\(name), blocks of \(block) frames: differs by \(error)")
        }
    }

    /// Mono 16-bit files (FLAC here, as 16-bit WAV) stream from their integers (`FrameSample`): the rows are those of the
    /// whole file decoded to floats, bit for bit (before normalisation, whose moments the two
    /// paths sum in different orders).
    @Test(arguments: [1, 7, 256])
    func sixteenBitFilesStreamTheSameRowsAsTheirFloats(block: Int) throws {
        let url = directory.appendingPathComponent("chirp-16-rows.flac")
        try AudioFile.write(AudioSignal(samples: signal(count: 24_321), sampleRate: 16000), to: url)
        #expect(try AudioFileReader(url).readsSixteenBitIntegers)
        var speechless = FeatureConfiguration.speechless
        speechless.normalization = .none
        for (name, configuration) in [("speechless", speechless), ("logmel", FeatureConfiguration.logmel)] {
            let extractor = try FeatureExtractor(configuration)
            let whole = try extractor.features(ofFile: url)
            let rows = try streamed(extractor, url, block: block)
            #expect(rows == whole.values, "\(name), blocks of \(block) frames")
        }
    }

    /// Mono 16-bit files (FLAC here) are read as integers and scaled by 1 / 32768 in C; the
    /// samples must be those libsndfile's own float conversion gives (`AudioFile.read`).
    @Test(arguments: [1, 4096, 100_000])
    func sixteenBitFilesReadAsLibsndfileConvertsThem(block: Int) throws {
        let url = directory.appendingPathComponent("chirp-16-\(block).flac")
        try AudioFile.write(AudioSignal(samples: signal(count: 24_321), sampleRate: 16000), to: url)
        let reference = try AudioFile.read(url).samples
        let reader = try AudioFileReader(url)
        var samples: [Float] = []
        var buffer = [Float](repeating: .nan, count: block)
        while true {
            let n = try buffer.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
            if n == 0 { break }
            samples += buffer[0..<n]
        }
        #expect(samples == reference)
        #expect(samples.count == 24_321)
    }

    @Test func stereoFilesStreamTheirDownMixOrOneChannel() throws {
        let url = LibrosaFixtures.url("audio/pcm_16.flac")
        var configuration = FeatureConfiguration.logmel
        configuration.sampleRate = 22050
        let extractor = try FeatureExtractor(configuration)
        for channel in [ChannelSelection.mixDown, .channel(0), .channel(1)] {
            let whole = try extractor.features(ofFile: url, channel: channel)
            #expect(try streamed(extractor, url, channel: channel, block: 5) == whole.values)
        }
        #expect(throws: AudioFeaturesError.noSuchChannel(path: url.path, channel: 2, channelCount: 2)) {
            _ = try AudioFileReader(url, channel: .channel(2))
        }
    }

    @Test func aNaNInTheMiddleIsReportedWithItsIndex() throws {
        var samples = signal(count: 20_000)
        samples[12_345] = .nan
        let url = directory.appendingPathComponent("nan.wav")
        try AudioFile.write(AudioSignal(samples: samples, sampleRate: 16000), to: url)
        let extractor = try FeatureExtractor(.speechless)
        do {
            _ = try streamed(extractor, url, block: 16)
            Issue.record("a NaN sample was streamed")
        } catch AudioFeaturesError.nonFinite(let path, let index, let value) {
            #expect(path == url.path && index == 12_345 && value.isNaN)
        }
    }

    @Test func rowsFromATruncatedWAVStopWithAnError() throws {
        let url = directory.appendingPathComponent("cut.wav")
        try AudioFile.write(AudioSignal(samples: signal(count: 20_000), sampleRate: 16000), to: url)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count - 4000).write(to: url)
        do {
            _ = try streamed(try FeatureExtractor(.speechless), url, block: 16)
            Issue.record("a truncated WAV was streamed")
        } catch let error as AudioFeaturesError {
            #expect(error.description.contains("truncated"))
        }
    }

    @Test func momentsOfBlocksEqualThoseOfAllValues() {
        var generator = SeededGenerator(seed: 9)
        let values = (0..<10_001).map { _ in Float.random(in: -150...40, using: &generator) }
        var moments = FeatureNormalization.Moments()
        for start in stride(from: 0, to: values.count, by: 3_000) {
            values[start..<min(values.count, start + 3_000)].withUnsafeBufferPointer { moments.add($0) }
        }
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
        #expect(moments.count == values.count)
        #expect(abs(moments.mean - mean) <= 1e-12 * abs(mean))
        #expect(abs(moments.populationStandardDeviation - variance.squareRoot()) <= 1e-12 * variance.squareRoot())
    }
}
