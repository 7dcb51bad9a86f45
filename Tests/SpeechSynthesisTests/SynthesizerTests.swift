import Testing

@testable import SpeechSynthesis

struct SynthesizerTests {
    @Test func speaksWithPhonemeAndWordEvents() throws {
        let native = try Synthesizer.speak("hello world", voice: .init(name: "en-us"))
        #expect(native.signal.sampleRate == 22050)
        #expect(native.signal.duration > 0.5 && native.signal.duration < 3)
        let peak = native.signal.samples.map(abs).max() ?? 0
        #expect(peak > 0.05)
        let words = native.events.filter { $0.kind == .word }.map(\.label)
        #expect(words == ["hello", "world"])
        let phonemes = native.events.filter { $0.kind == .phoneme }
        #expect(phonemes.count >= 6)
        #expect(phonemes.map(\.label).contains("l"))
        let offsets = native.events.map(\.sample)
        #expect(offsets == offsets.sorted())
        #expect(offsets.allSatisfy { $0 >= 0 && $0 <= native.signal.samples.count })

        let resampled = try Synthesizer.speak("hello world", voice: .init(name: "en-us"), sampleRate: 16000)
        #expect(resampled.signal.sampleRate == 16000)
        // eSpeak's output varies slightly between calls within one process (DESIGN.md), so
        // compare durations loosely; the resampler itself is checked against librosa elsewhere.
        #expect(abs(resampled.signal.duration - native.signal.duration) < 0.05 * native.signal.duration)
        let resampledPhonemes = resampled.events.filter { $0.kind == .phoneme }
        #expect(resampledPhonemes.map(\.label) == phonemes.map(\.label))
        #expect(resampled.events.allSatisfy { $0.sample <= resampled.signal.samples.count })
    }

    @Test func germanVoice() throws {
        let utterance = try Synthesizer.speak("guten Morgen", voice: .init(name: "de", wordsPerMinute: 150, pitch: 40))
        #expect(utterance.events.filter { $0.kind == .word }.map(\.label) == ["guten", "Morgen"])
    }

    /// eSpeak's G2P gives the phonemes its synthesis speaks, per word, without stress marks.
    @Test func g2pReadsWordsLikeTheSynthesizer() throws {
        #expect(try ESpeakG2P(language: .en).pronunciation(of: "knight")?.phonemes == ["n", "aɪ", "t"])
        #expect(try ESpeakG2P(language: .de).pronunciation(of: "straße")?.phonemes.first == "ʃ")
        let words = try Synthesizer.phonemes(of: "the quick brown fox", voice: "en-us")
        #expect(words.count == 4)
        #expect(words.last == ["f", "ɑː", "k", "s"])
        #expect(!words.joined().contains { $0.contains("ˈ") || $0.contains("ˌ") })
        // Speaking the word gives the same phonemes as the G2P.
        let spoken = try Synthesizer.speak("knight", voice: .init(name: "en-us")).events
            .filter { $0.kind == .phoneme && !$0.label.isEmpty }.map(\.label)
        #expect(spoken.map { $0.filter { $0 != "ˈ" && $0 != "ˌ" } } == ["n", "aɪ", "t"])
        #expect(throws: SynthesisError.self) { _ = try Synthesizer.phonemes(of: "x", voice: "xx-nonexistent") }
        #expect(throws: SynthesisError.self) { _ = try Synthesizer.phonemes(of: " ", voice: "en-us") }
    }

    @Test func badInputNamesTheValue() {
        #expect(throws: SynthesisError.unknownVoice("xx-nonexistent")) {
            _ = try Synthesizer.speak("hi", voice: .init(name: "xx-nonexistent"))
        }
        #expect(throws: SynthesisError.emptyText) { _ = try Synthesizer.speak("   ", voice: .init(name: "en")) }
        #expect(throws: SynthesisError.invalidParameter(name: "--words-per-minute", value: "20", valid: "80...450")) {
            _ = try Synthesizer.speak("hi", voice: .init(name: "en", wordsPerMinute: 20))
        }
    }
}
