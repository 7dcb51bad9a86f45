import ArgumentParser
import Foundation
import Recognizer

/// `phonoscope transcribe`: CTC transcription of audio files (greedy, beam, beam with a letter LM).
struct TranscribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcribe",
        abstract: "Transcribe audio files (or features .npy) with a model: greedy or beam-search CTC decoding.",
        discussion: """
            Greedy decoding by default; --beam N runs prefix beam search, and
            --lm-corpus DIR fuses in a character n-gram language model (Witten-Bell,
            --lm-order letters) counted from that corpus's train transcripts: a prefix
            scores log p_CTC + --lm-weight x log P_LM + --letter-bonus x its length.

            Examples:
              phonoscope transcribe --model Corpora/models/en-small fox.flac
              phonoscope transcribe --model Corpora/models/de-small a.flac b.wav --json
              phonoscope transcribe --model Corpora/models/en-small fox.flac --beam 16
              phonoscope transcribe --model Corpora/models/en-small fox.flac --beam 16 \\
                --lm-corpus corpora/en
            """)

    @Option(help: "Model directory (config.json + model.safetensors).")
    var model: String

    @Argument(help: "Audio files (any format libsndfile reads) or features .npy (frames x features).")
    var inputs: [String]

    @Flag(help: "Print one JSON object per input: {\"file\": ..., \"text\": ...}.")
    var json = false

    @OptionGroup var channel: ChannelOption

    @OptionGroup var decoding: DecodingOptions

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give at least one audio file") }
    }

    func run() throws {
        let recognizer = try ModelInput.recognizer(model)
        let decoder = try decoding.decoder(for: recognizer)
        for input in inputs {
            let features = try ModelInput.features(of: input, recognizer: recognizer, channel: channel.selection)
            let text = try recognizer.transcribe(features: features, source: input, decoder: decoder).text
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
