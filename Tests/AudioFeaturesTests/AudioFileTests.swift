import Foundation
import PhonoscopeIO
import Testing

@testable import AudioFeatures

/// Decoding every supported format against soundfile's decoding (the same libsndfile), mono
/// down-mix and channel choice, resampling against librosa's soxr_hq, and writing.
struct AudioFileTests {
    @Test(arguments: LibrosaFixtures.shared.audio.map(\.file))
    func decodesLikeSoundfile(_ file: String) throws {
        let fixture = LibrosaFixtures.shared.audio.first { $0.file == file }!
        let decoded = try AudioFile.decode(LibrosaFixtures.url(file))
        #expect(decoded.sampleRate == fixture.rate)
        #expect(decoded.channelCount == fixture.channels)
        let reference = try LibrosaFixtures.array(fixture.decoded)
        #expect(reference.shape == [decoded.frameCount, decoded.channelCount])
        let error = zip(decoded.interleaved, reference.elements).map { abs($0 - $1) }.max()!
        #expect(error <= 1e-6, "\(file): decoding differs from soundfile by \(error)")
    }

    @Test(arguments: LibrosaFixtures.shared.audio.map(\.file))
    func monoAt16kHzLikeLibrosaLoad(_ file: String) throws {
        let fixture = LibrosaFixtures.shared.audio.first { $0.file == file }!
        let signal = try AudioFile.read(LibrosaFixtures.url(file), sampleRate: 16000)
        let reference = try LibrosaFixtures.array(fixture.mono16k)
        #expect(signal.sampleRate == 16000)
        #expect(signal.samples.count == reference.elements.count)
        let error = zip(signal.samples, reference.elements).map { abs($0 - $1) }.max()!
        #expect(error <= 1e-4, "\(file): librosa.load differs by \(error)")
    }

    @Test func channelSelection() throws {
        let url = LibrosaFixtures.url("audio/float.wav")
        let decoded = try AudioFile.decode(url)
        let left = try AudioFile.read(url, channel: .channel(0))
        let right = try AudioFile.read(url, channel: .channel(1))
        let mixed = try AudioFile.read(url)
        for i in stride(from: 0, to: decoded.frameCount, by: 97) {
            #expect(left.samples[i] == decoded.interleaved[2 * i])
            #expect(right.samples[i] == decoded.interleaved[2 * i + 1])
            #expect(abs(mixed.samples[i] - (left.samples[i] + right.samples[i]) / 2) <= 1e-7)
        }
        #expect(throws: AudioFeaturesError.noSuchChannel(path: url.path, channel: 2, channelCount: 2)) {
            _ = try AudioFile.read(url, channel: .channel(2))
        }
    }

    @Test(arguments: LibrosaFixtures.shared.resampling.map(\.rate))
    func resamplesLikeLibrosaSoxrHQ(_ rate: Int) throws {
        let fixture = LibrosaFixtures.shared.resampling.first { $0.rate == rate }!
        let input = try LibrosaFixtures.array(fixture.input).elements
        let reference = try LibrosaFixtures.array(fixture.output).elements
        let output = try Resampler.resample(AudioSignal(samples: input, sampleRate: rate), to: 16000)
        #expect(output.samples.count == reference.count)
        let error = zip(output.samples, reference).map { abs($0 - $1) }.max()!
        #expect(error <= 1e-4, "\(rate) Hz -> 16 kHz differs from librosa.resample by \(error)")
    }

    @Test(arguments: ["wav", "flac"])
    func writesAndReadsBack(_ ext: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "phonoscope-audio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let samples = (0..<4000).map { Float(sin(Double($0) * 0.05) * 0.5) }
        let url = directory.appendingPathComponent("tone.\(ext)")
        try AudioFile.write(AudioSignal(samples: samples, sampleRate: 16000), to: url)
        let back = try AudioFile.read(url)
        #expect(back.sampleRate == 16000)
        #expect(back.samples.count == samples.count)
        // WAV is float32 and exact; FLAC is 16-bit: within half a quantisation step.
        let tolerance: Float = ext == "wav" ? 0 : 1.0 / 32768
        #expect(zip(back.samples, samples).map { abs($0 - $1) }.max()! <= tolerance)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers == ["tone.\(ext)"])
    }

    @Test func refusesUnknownOutputFormat() throws {
        let url = URL(fileURLWithPath: "/tmp/x.mp3")
        #expect(throws: AudioFeaturesError.unsupportedOutput(path: url.path, valid: ".wav, .flac")) {
            try AudioFile.write(AudioSignal(samples: [0, 0], sampleRate: 16000), to: url)
        }
    }
}
