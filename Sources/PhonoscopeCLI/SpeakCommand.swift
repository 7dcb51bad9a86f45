import ArgumentParser
import AudioFeatures
import Foundation
import PhonoscopeIO
import SpeechSynthesis

/// `phonoscope speak TEXT -o OUT.flac`: synthesise a sentence with eSpeak NG.
struct SpeakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speak",
        abstract: "Synthesise text with eSpeak NG and write it as WAV or FLAC, with the time of every phoneme.",
        discussion: """
            Prints the phoneme events (IPA, start time); --json prints them as JSON.

            Examples:
              phonoscope speak "the quick brown fox" -o fox.flac
              phonoscope speak "guten Morgen" --voice de+f3 -o morgen.wav --json
            """)

    @Argument(help: "The text to speak.")
    var text: String

    @Option(name: [.customShort("o"), .long], help: "Output audio file (.wav or .flac).")
    var output: String

    @Option(help: "eSpeak NG voice: a language (en-us, de) with an optional variant (en-us+f3).")
    var voice = "en-us"

    @Option(help: "Sample rate of the output in Hz (eSpeak's native rate, 22050, is resampled with libsoxr).")
    var sampleRate = 16000

    @Option(help: "Speaking rate in words per minute (80...450).")
    var wordsPerMinute = 175

    @Option(help: "Base pitch (0...100).")
    var pitch = 50

    @Flag(help: "Print the events as JSON.")
    var json = false

    func run() throws {
        let url = URL(fileURLWithPath: output)
        _ = try AudioFile.OutputFormat(for: url)
        try AtomicFile.checkDestination(url)
        let utterance = try Synthesizer.speak(
            text, voice: .init(name: voice, wordsPerMinute: wordsPerMinute, pitch: pitch), sampleRate: sampleRate)
        try AudioFile.write(utterance.signal, to: url)
        let rate = Double(utterance.signal.sampleRate)
        let phonemes = utterance.events.filter { $0.kind == .phoneme }
        if json {
            struct Event: Encodable {
                let kind: String
                let label: String
                let sample: Int
                let seconds: Double
            }
            let events = utterance.events.map {
                Event(
                    kind: $0.kind == .phoneme ? "phoneme" : "word", label: $0.label, sample: $0.sample,
                    seconds: Double($0.sample) / rate)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(events), as: UTF8.self))
        } else {
            print(
                String(
                    format: "%@: %.2f s at %d Hz, %d phonemes", output, utterance.signal.duration,
                    utterance.signal.sampleRate, phonemes.count))
            // eSpeak reports pauses as phoneme events with no IPA name; show them as "_".
            let listing = phonemes.map { event in
                String(format: "%@@%.3f", event.label.isEmpty ? "_" : event.label, Double(event.sample) / rate)
            }
            print(listing.joined(separator: " "))
        }
    }
}
