import AudioFeatures
import CESpeakNG
import Foundation

/// Errors of speech synthesis; each names the value and what would be valid.
public enum SynthesisError: Error, CustomStringConvertible, Equatable {
    case initialization(String)
    case unknownVoice(String)
    case invalidParameter(name: String, value: String, valid: String)
    case emptyText
    case synthesis(String)

    public var description: String {
        switch self {
        case .initialization(let reason):
            return "cannot start eSpeak NG: \(reason) (install the Debian packages espeak-ng-data and libespeak-ng1)"
        case .unknownVoice(let voice):
            return
                "unknown eSpeak NG voice \"\(voice)\"; valid: a language such as en, en-us, de, optionally with a variant (en-us+f3); `espeak-ng --voices` lists them"
        case .invalidParameter(let name, let value, let valid):
            return "\(name) \(value) is invalid; valid: \(valid)"
        case .emptyText:
            return "the text is empty; give at least one word"
        case .synthesis(let reason):
            return "eSpeak NG failed: \(reason)"
        }
    }
}

/// One phoneme or word boundary reported by eSpeak NG while it spoke.
public struct SpeechEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A phoneme; `label` is its IPA name.
        case phoneme
        /// The start of a word; `label` is the word's text.
        case word
    }

    public var kind: Kind
    public var label: String
    /// Exact sample offset of the event in the synthesised audio, at the synthesis rate.
    public var sample: Int
    /// For words: where the word starts in the (trimmed) text, counted in Unicode scalars from 0.
    public var textOffset: Int?

    public init(kind: Kind, label: String, sample: Int, textOffset: Int? = nil) {
        self.kind = kind
        self.label = label
        self.sample = sample
        self.textOffset = textOffset
    }
}

/// Speech from text with eSpeak NG, with the sample offset of every phoneme and word.
///
/// eSpeak NG is initialised once per process (`espeakINITIALIZE_DONT_EXIT`, synchronous
/// output, IPA phoneme events) and is not thread-safe, so every call runs under one lock.
/// Its native rate is 22,050 Hz; `speak` can resample with libsoxr.
/// Within one process, repeated calls may differ by a few samples; the first call of a fresh
/// process is reproducible (which is why corpus synthesis runs one process per utterance).
public enum Synthesizer {
    /// Voice, speed and pitch.
    public struct Voice: Sendable, Equatable {
        /// An eSpeak NG voice name: a language (`en-us`, `de`) optionally with a variant (`en-us+f3`).
        public var name: String
        /// Words per minute; eSpeak accepts 80...450 (175 is its default).
        public var wordsPerMinute: Int
        /// Base pitch 0...100 (50 is eSpeak's default).
        public var pitch: Int

        public init(name: String, wordsPerMinute: Int = 175, pitch: Int = 50) {
            self.name = name
            self.wordsPerMinute = wordsPerMinute
            self.pitch = pitch
        }
    }

    /// Synthesised speech: mono samples and the events, both at `signal.sampleRate`.
    public struct Utterance: Sendable {
        public var signal: AudioSignal
        public var events: [SpeechEvent]
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var nativeRate: Int32 = 0

    /// Collects samples and events from eSpeak's callback (passed through `user_data`, since a
    /// C callback cannot capture).
    private final class Collector {
        var samples: [Int16] = []
        var events: [(type: espeak_EVENT_TYPE, textPosition: Int, length: Int, sample: Int, name: String)] = []
    }

    /// Speaks `text` and returns the audio (resampled to `sampleRate` if given) with its events.
    public static func speak(_ text: String, voice: Voice, sampleRate: Int? = nil) throws -> Utterance {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw SynthesisError.emptyText }
        guard (80...450).contains(voice.wordsPerMinute) else {
            throw SynthesisError.invalidParameter(
                name: "--words-per-minute", value: String(voice.wordsPerMinute), valid: "80...450")
        }
        guard (0...100).contains(voice.pitch) else {
            throw SynthesisError.invalidParameter(name: "--pitch", value: String(voice.pitch), valid: "0...100")
        }
        if let sampleRate, sampleRate <= 0 {
            throw SynthesisError.invalidParameter(
                name: "--sample-rate", value: String(sampleRate), valid: "a positive rate in Hz, e.g. 16000")
        }
        let (samples, events, rate) = try synthesizeLocked(trimmed, voice: voice)
        var signal = AudioSignal(samples: samples.map { Float($0) / 32768 }, sampleRate: rate)
        var speechEvents = events
        if let sampleRate, sampleRate != rate {
            signal = try Resampler.resample(signal, to: sampleRate)
            let ratio = Double(sampleRate) / Double(rate)
            speechEvents = events.map { event in
                var resampled = event
                resampled.sample = Int((Double(event.sample) * ratio).rounded())
                return resampled
            }
        }
        return Utterance(signal: signal, events: speechEvents)
    }

    private static func synthesizeLocked(_ text: String, voice: Voice) throws -> ([Int16], [SpeechEvent], Int) {
        lock.lock()
        defer { lock.unlock() }
        try initializeLocked()
        guard espeak_SetVoiceByName(voice.name) == EE_OK else { throw SynthesisError.unknownVoice(voice.name) }
        espeak_SetParameter(espeakRATE, Int32(voice.wordsPerMinute), 0)
        espeak_SetParameter(espeakPITCH, Int32(voice.pitch), 0)
        let collector = Collector()
        let userData = Unmanaged.passUnretained(collector).toOpaque()
        let status = withExtendedLifetime(collector) {
            text.withCString { pointer in
                espeak_Synth(pointer, strlen(pointer) + 1, 0, POS_CHARACTER, 0, UInt32(espeakCHARS_UTF8), nil, userData)
            }
        }
        guard status == EE_OK else { throw SynthesisError.synthesis("espeak_Synth returned \(status.rawValue)") }
        let characters = Array(text.unicodeScalars)
        let events: [SpeechEvent] = collector.events.compactMap { e in
            switch e.type {
            case espeakEVENT_PHONEME:
                return SpeechEvent(kind: .phoneme, label: e.name, sample: e.sample)
            case espeakEVENT_WORD:
                // text_position counts characters from 1.
                let start = max(0, e.textPosition - 1)
                let end = min(characters.count, start + e.length)
                // eSpeak sometimes reports a word past the end of the text; that is no word.
                guard start < end else { return nil }
                let word = String(String.UnicodeScalarView(characters[start..<end]))
                return SpeechEvent(kind: .word, label: word, sample: e.sample, textOffset: start)
            default:
                return nil
            }
        }
        return (collector.samples, events, Int(nativeRate))
    }

    /// Starts eSpeak NG once per process; call with `lock` held.
    private static func initializeLocked() throws {
        guard nativeRate == 0 else { return }
        let options = Int32(
            espeakINITIALIZE_PHONEME_EVENTS | espeakINITIALIZE_PHONEME_IPA | espeakINITIALIZE_DONT_EXIT)
        let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nil, options)
        guard rate > 0 else { throw SynthesisError.initialization("espeak_Initialize returned \(rate)") }
        nativeRate = rate
        espeak_SetSynthCallback { wav, count, events in
            guard let events, let userData = events.pointee.user_data else { return 0 }
            let collector = Unmanaged<Collector>.fromOpaque(userData).takeUnretainedValue()
            if let wav, count > 0 {
                collector.samples.append(contentsOf: UnsafeBufferPointer(start: wav, count: Int(count)))
            }
            var event = events
            while event.pointee.type != espeakEVENT_LIST_TERMINATED {
                let e = event.pointee
                var name = ""
                if e.type == espeakEVENT_PHONEME {
                    name = withUnsafeBytes(of: e.id.string) { raw in
                        let bytes = raw.prefix(while: { $0 != 0 })
                        return String(decoding: bytes, as: UTF8.self)
                    }
                }
                collector.events.append((e.type, Int(e.text_position), Int(e.length), Int(e.sample), name))
                event += 1
            }
            return 0  // continue synthesis
        }
    }

    /// eSpeak NG's phonemes (IPA, as its phoneme events name them) of each word of `text`,
    /// read by `voice`'s language rules: one array per word in eSpeak's own split, stress marks
    /// dropped. Words eSpeak joins in connected reading (it may fuse short function words) come
    /// back joined; pass one word at a time to get exactly one entry.
    public static func phonemes(of text: String, voice: String) throws -> [[String]] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw SynthesisError.emptyText }
        lock.lock()
        defer { lock.unlock() }
        try initializeLocked()
        guard espeak_SetVoiceByName(voice) == EE_OK else { throw SynthesisError.unknownVoice(voice) }
        // phonememode: bit 1 = IPA; bits 8-23 = the character put between phonemes.
        let separator: Unicode.Scalar = "_"
        let mode = Int32(0x02) | Int32(separator.value << 8)
        var clauses: [String] = []
        trimmed.withCString { start in
            var pointer: UnsafeRawPointer? = UnsafeRawPointer(start)
            while let current = pointer {
                var cursor: UnsafeRawPointer? = current
                guard let phonemes = espeak_TextToPhonemes(&cursor, Int32(espeakCHARS_UTF8), mode) else { break }
                clauses.append(String(cString: phonemes))
                if cursor == current { break }
                pointer = cursor
            }
        }
        let stress: Set<Character> = ["ˈ", "ˌ"]
        return clauses.joined(separator: " ").split(separator: " ").map { word in
            // Drop language-switch markers such as "(en)" and stress marks.
            var cleaned = String(word)
            while let open = cleaned.firstIndex(of: "("), let close = cleaned[open...].firstIndex(of: ")") {
                cleaned.removeSubrange(open...close)
            }
            return cleaned.split(separator: Character(separator)).map { String($0.filter { !stress.contains($0) }) }
                .filter { !$0.isEmpty }
        }.filter { !$0.isEmpty }
    }
}
