import ArgumentParser
import Foundation
import Recognizer

/// `phonoscope transcribe`: greedy CTC transcription of audio files.
struct TranscribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcribe",
        abstract: "Transcribe audio files (or features .npy) with a model: greedy CTC decoding.",
        discussion: """
            Examples:
              phonoscope transcribe --model Corpora/models/en-small fox.flac
              phonoscope transcribe --model Corpora/models/de-small a.flac b.wav --json
              phonoscope transcribe --model Corpora/models/en-small fox.flac --beam 16
            """)

    @Option(help: "Model directory (config.json + model.safetensors).")
    var model: String

    @Argument(help: "Audio files (any format libsndfile reads) or features .npy (frames x features).")
    var inputs: [String]

    @Option(help: "Prefix beam search with this beam width instead of greedy decoding (0: greedy).")
    var beam: Int = 0

    @Flag(help: "Print one JSON object per input: {\"file\": ..., \"text\": ...}.")
    var json = false

    @OptionGroup var channel: ChannelOption

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give at least one audio file") }
        if beam < 0 { throw ValidationError("--beam \(beam) is invalid; valid: 0 (greedy) or a width of 1 or more") }
    }

    func run() throws {
        let recognizer = try ModelInput.recognizer(model)
        for input in inputs {
            let features = try ModelInput.features(of: input, recognizer: recognizer, channel: channel.selection)
            var text = try recognizer.transcribe(features: features, source: input).text
            if beam > 0 {
                let output = try recognizer.logits(features: features, source: input)
                let best = try CTC.beamSearch(
                    logits: output.values, frames: output.shape[0], classes: output.shape[1],
                    blank: recognizer.alphabet.blankIndex, beamWidth: beam
                ).first
                text = recognizer.alphabet.decode(best?.labels ?? [])
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(["file": input, "text": text]), as: UTF8.self))
            } else {
                print(inputs.count > 1 ? "\(input)\t\(text)" : text)
            }
        }
    }
}
