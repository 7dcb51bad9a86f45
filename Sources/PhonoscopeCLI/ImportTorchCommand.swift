import ArgumentParser
import AudioFeatures
import Foundation
import NeuralCore
import Recognizer

/// `phonoscope import-torch`: a PyTorch state dict (safetensors) into a model directory.
struct ImportTorchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-torch",
        abstract: "Import a torchaudio Wav2Letter state dict (safetensors) as a Phonoscope model directory.",
        discussion: """
            The state dict has keys acoustic_model.{0,2,...,20}.{weight,bias}
            (torchaudio's Wav2Letter(num_classes, input_type="mfcc", num_features)); save
            it from Python with safetensors.torch.save_file(model.state_dict(),
            "state.safetensors"). Every tensor's shape is checked against the architecture
            before anything is written.

            Examples:
              phonoscope import-torch --arch torchaudio-wav2letter --weights \\
                state.safetensors --num-features 128 --labels \\
                "abcdefghijklmnopqrstuvwxyz '_" --blank-index 28 -o imported
            """)

    @Option(help: "Architecture of the state dict: torchaudio-wav2letter.")
    var arch: String

    @Option(help: "safetensors file with the state dict.")
    var weights: String

    @Option(help: "Input features per frame (torchaudio's num_features).")
    var numFeatures: Int

    @Option(help: "Output symbols in index order, one character each, the blank's included.")
    var labels: String

    @Option(help: "Index of the CTC blank in --labels.")
    var blankIndex: Int

    @Option(help: "Feature preset for audio input (speechless, logmel) or none (features .npy only).")
    var features: String = "none"

    @Option(name: [.customShort("o"), .long], help: "Output model directory.")
    var output: String

    func validate() throws {
        guard arch == "torchaudio-wav2letter" else {
            throw ValidationError("--arch \(arch) is invalid; valid: torchaudio-wav2letter")
        }
        if numFeatures < 1 { throw ValidationError("--num-features \(numFeatures) is invalid; valid: 1 or more") }
    }

    func run() throws {
        let alphabet = try Alphabet(labels: Array(labels), blankIndex: blankIndex)
        let config = RecognizerConfig.torchaudioWav2Letter(
            numFeatures: numFeatures, alphabet: alphabet, features: features)
        try config.validate(path: "--features/--num-features")
        let recognizer = try Recognizer(config: config)
        let url = URL(fileURLWithPath: weights)
        try recognizer.load(weights: SafeTensors(contentsOf: url), path: url.path)
        try recognizer.save(to: URL(fileURLWithPath: output), metadata: ["imported_from": url.lastPathComponent])
        print("\(output): \(recognizer.parameterCount) parameters, \(alphabet.count) classes (blank \(blankIndex))")
    }
}
