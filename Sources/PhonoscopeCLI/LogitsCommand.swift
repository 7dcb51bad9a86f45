import ArgumentParser
import Foundation
import PhonoscopeIO
import Recognizer

/// `phonoscope logits`: the model's last-layer outputs as a .npy.
struct LogitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logits",
        abstract: "Write the last layer's outputs before the softmax, shape (frames, classes), as .npy.",
        discussion: """
            For an imported torchaudio Wav2Letter these are the outputs after its final
            ReLU, before log_softmax. A .npy input is a feature matrix (frames, features)
            fed as it is. With --transcript TEXT --json, also prints {"ctc_loss": ...}:
            the negative log-likelihood of TEXT (a sum over frames, not averaged).

            Examples:
              phonoscope logits --model Corpora/models/en-small fox.flac -o fox-logits.npy
              phonoscope logits --model imported feats.npy -o out.npy --transcript \\
                "the fox" --json
            """)

    @Option(help: "Model directory (config.json + model.safetensors).")
    var model: String

    @Argument(help: "Audio file or features .npy (frames x features).")
    var input: String

    @Option(name: [.customShort("o"), .long], help: "Output .npy (float32, frames x classes).")
    var output: String

    @Option(help: "Reference text whose CTC loss to print (needs --json).")
    var transcript: String?

    @Flag(help: "Print {\"frames\": ..., \"classes\": ..., \"ctc_loss\": ...} as JSON.")
    var json = false

    @OptionGroup var channel: ChannelOption

    func run() throws {
        let recognizer = try ModelInput.recognizer(model)
        let outputURL = URL(fileURLWithPath: output)
        try AtomicFile.checkDestination(outputURL)
        let features = try ModelInput.features(of: input, recognizer: recognizer, channel: channel.selection)
        let logits = try recognizer.logits(features: features, source: input)
        var loss: Double?
        if let transcript {
            let target = try recognizer.alphabet.encode(transcript, source: "--transcript")
            loss = Double(
                try CTC.loss(
                    logits: logits.values, frames: logits.shape[0], classes: logits.shape[1], target: target,
                    blank: recognizer.alphabet.blankIndex
                ).loss)
        }
        try NPYArray(shape: logits.shape, elements: logits.values).write(to: outputURL)
        if json {
            var fields = ["\"frames\": \(logits.shape[0])", "\"classes\": \(logits.shape[1])"]
            if let loss {
                fields.append("\"ctc_loss\": " + (loss.isFinite ? "\(loss)" : loss.isNaN ? "NaN" : "Infinity"))
            }
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            print("\(output): \(logits.shape[0]) frames x \(logits.shape[1]) classes")
            if let loss { print("CTC loss of the transcript: " + String(format: "%.2f", loss) + " nats") }
        }
    }
}
