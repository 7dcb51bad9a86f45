import AudioFeatures
import Foundation
import Testing

/// `phonoscope speak` and `phonoscope convert` end to end.
struct AudioCommandTests {
    @Test func speakWritesAudioAndPrintsPhonemes() throws {
        let directory = try TemporaryDirectory()
        let out = directory.path("fox.flac")
        let result = try CommandRunner.run(["speak", "the quick brown fox", "-o", out, "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let events = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]]
        let words = events?.filter { $0["kind"] as? String == "word" }.compactMap { $0["label"] as? String }
        #expect(words == ["the", "quick", "brown", "fox"])
        let signal = try AudioFile.read(URL(fileURLWithPath: out))
        #expect(signal.sampleRate == 16000)
        #expect(signal.duration > 0.5)
    }

    @Test func convertResamplesAndPicksAChannel() throws {
        let directory = try TemporaryDirectory()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../AudioFeaturesTests/Fixtures/audio/pcm_24.wav").standardizedFileURL
        let out = directory.path("right.wav")
        let result = try CommandRunner.run([
            "convert", fixture.path, "-o", out, "--sample-rate", "16000", "--channel", "1",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let converted = try AudioFile.read(URL(fileURLWithPath: out))
        let reference = try AudioFile.read(fixture, sampleRate: 16000, channel: .channel(1))
        #expect(converted == reference)

        let bad = try CommandRunner.run(["convert", fixture.path, "-o", directory.path("x.wav"), "--channel", "5"])
        #expect(bad.status != 0)
        #expect(bad.standardError.contains("--channel 5") && bad.standardError.contains("0...1"))
        #expect(try directory.contents() == ["right.wav"])
    }

    @Test func topLevelHelpListsTheSubcommands() throws {
        let result = try CommandRunner.run(["--help"])
        #expect(result.status == 0)
        for command in ["features", "speak", "convert"] { #expect(result.standardOutput.contains(command)) }
    }
}
