import AudioFeatures
import Foundation
import Phonetics
import PhonoscopeIO

/// A recogniser's architecture as `config.json` spells it: the feature front end, the layers in
/// order, the alphabet with its blank, and the activation applied to the outputs.
///
/// ```json
/// {"format": "phonoscope-recognizer", "version": 1, "architecture": "small", "language": "en",
///  "features": "speechless", "num_features": 128,
///  "labels": ["a", ..., "'", "_"], "blank_index": 28, "final_activation": "softmax",
///  "layers": [{"type": "conv1d", "name": "conv1", "in_channels": 128, "out_channels": 250,
///              "kernel_size": 48, "stride": 2, "padding": [23, 23], "dilation": 1},
///             {"type": "relu", "name": "relu1"}, ...]}
/// ```
/// `padding` is [left, right] in frames (or one number for both sides). `final_activation` is
/// `softmax` or `log_softmax`; both give the same CTC loss and decoding, since CTC normalises
/// the last layer's outputs ("logits") with a log-softmax either way.
public struct RecognizerConfig: Sendable, Equatable, Codable {
    public struct LayerSpec: Sendable, Equatable, Codable {
        public var type: String
        public var name: String
        public var inChannels: Int?
        public var outChannels: Int?
        public var kernelSize: Int?
        public var stride: Int?
        public var padding: [Int]?
        public var dilation: Int?
        public var probability: Float?

        enum CodingKeys: String, CodingKey {
            case type, name, stride, padding, dilation, probability
            case inChannels = "in_channels"
            case outChannels = "out_channels"
            case kernelSize = "kernel_size"
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = try c.decode(String.self, forKey: .type)
            name = try c.decode(String.self, forKey: .name)
            inChannels = try c.decodeIfPresent(Int.self, forKey: .inChannels)
            outChannels = try c.decodeIfPresent(Int.self, forKey: .outChannels)
            kernelSize = try c.decodeIfPresent(Int.self, forKey: .kernelSize)
            stride = try c.decodeIfPresent(Int.self, forKey: .stride)
            dilation = try c.decodeIfPresent(Int.self, forKey: .dilation)
            probability = try c.decodeIfPresent(Float.self, forKey: .probability)
            if let both = try? c.decodeIfPresent(Int.self, forKey: .padding) {
                padding = [both, both]
            } else {
                padding = try c.decodeIfPresent([Int].self, forKey: .padding)
            }
        }

        public static func conv1d(
            _ name: String, _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: [Int]
        ) -> LayerSpec {
            LayerSpec(
                type: "conv1d", name: name, inChannels: inChannels, outChannels: outChannels, kernelSize: kernel,
                stride: stride, padding: padding, dilation: 1)
        }

        public static func relu(_ name: String) -> LayerSpec { LayerSpec(type: "relu", name: name) }

        public init(
            type: String, name: String, inChannels: Int? = nil, outChannels: Int? = nil, kernelSize: Int? = nil,
            stride: Int? = nil, padding: [Int]? = nil, dilation: Int? = nil, probability: Float? = nil
        ) {
            self.type = type
            self.name = name
            self.inChannels = inChannels
            self.outChannels = outChannels
            self.kernelSize = kernelSize
            self.stride = stride
            self.padding = padding
            self.dilation = dilation
            self.probability = probability
        }
    }

    /// Layer types a config may name.
    public static let layerTypes = ["conv1d", "relu", "dropout"]
    public static let formatName = "phonoscope-recognizer"

    public var format: String = RecognizerConfig.formatName
    public var version: Int = 1
    public var architecture: String
    public var language: String?
    /// A `FeatureConfiguration.Preset` name, or "none" for models that take feature matrices only.
    public var features: String
    public var numFeatures: Int
    public var labels: [String]
    public var blankIndex: Int?
    public var finalActivation: String
    public var layers: [LayerSpec]

    enum CodingKeys: String, CodingKey {
        case format, version, architecture, language, features, labels, layers
        case numFeatures = "num_features"
        case blankIndex = "blank_index"
        case finalActivation = "final_activation"
    }

    public init(
        architecture: String, language: String?, features: String, numFeatures: Int, alphabet: Alphabet,
        finalActivation: String, layers: [LayerSpec]
    ) {
        self.architecture = architecture
        self.language = language
        self.features = features
        self.numFeatures = numFeatures
        self.labels = alphabet.labels.map(String.init)
        self.blankIndex = alphabet.blankIndex
        self.finalActivation = finalActivation
        self.layers = layers
    }

    /// Reads and checks `config.json`; errors name the file.
    public init(contentsOf url: URL) throws {
        let data = try FileError.contents(of: url)
        do {
            self = try JSONDecoder().decode(RecognizerConfig.self, from: data)
        } catch let error as DecodingError {
            throw RecognizerError.invalidConfig(path: url.path, reason: Self.explain(error))
        }
        try validate(path: url.path)
    }

    /// The alphabet; throws when the labels are not single characters or the blank is missing.
    public func alphabet(path: String = "config.json") throws -> Alphabet {
        guard let blankIndex else {
            throw RecognizerError.invalidConfig(
                path: path, reason: "the alphabet has no blank: \"blank_index\" is missing; CTC needs one")
        }
        var characters: [Character] = []
        for (index, label) in labels.enumerated() {
            guard label.count == 1, let character = label.first else {
                throw RecognizerError.invalidConfig(
                    path: path, reason: "label \(index) \"\(label)\" is not one character; each output is one symbol")
            }
            characters.append(character)
        }
        do {
            return try Alphabet(labels: characters, blankIndex: blankIndex)
        } catch let error as RecognizerError {
            throw RecognizerError.invalidConfig(path: path, reason: error.description)
        }
    }

    /// The front end for audio input, or nil for "none".
    public func featureConfiguration(path: String = "config.json") throws -> FeatureConfiguration? {
        if features == "none" { return nil }
        guard let preset = FeatureConfiguration.Preset(rawValue: features) else {
            let valid = FeatureConfiguration.Preset.allCases.map(\.rawValue) + ["none"]
            throw RecognizerError.invalidConfig(
                path: path, reason: "features \"\(features)\" is not a preset; valid: \(valid.joined(separator: ", "))")
        }
        return preset.configuration
    }

    /// Checks what decoding cannot: format, alphabet, feature preset and its width, layer types,
    /// and that the channels chain from the features to one output per label.
    public func validate(path: String = "config.json") throws {
        guard format == Self.formatName else {
            throw RecognizerError.invalidConfig(
                path: path, reason: "format \"\(format)\" is not \"\(Self.formatName)\"")
        }
        let alphabet = try alphabet(path: path)
        if let features = try featureConfiguration(path: path), features.melCount != numFeatures {
            throw RecognizerError.invalidConfig(
                path: path,
                reason: "num_features \(numFeatures) disagrees with preset \"\(self.features)\" "
                    + "(\(features.melCount) features)")
        }
        guard ["softmax", "log_softmax"].contains(finalActivation) else {
            throw RecognizerError.invalidConfig(
                path: path, reason: "final_activation \"\(finalActivation)\" is invalid; valid: softmax, log_softmax")
        }
        guard !layers.isEmpty else { throw RecognizerError.invalidConfig(path: path, reason: "there are no layers") }
        var channels = numFeatures
        var names: Set<String> = []
        for (index, layer) in layers.enumerated() {
            guard Self.layerTypes.contains(layer.type) else {
                throw RecognizerError.unknownLayerType(
                    path: path, layer: index, type: layer.type, valid: Self.layerTypes)
            }
            guard names.insert(layer.name).inserted else {
                throw RecognizerError.invalidConfig(
                    path: path, reason: "layer \(index): name \"\(layer.name)\" is used twice; names must be unique")
            }
            guard layer.type == "conv1d" else { continue }
            guard let inChannels = layer.inChannels, let outChannels = layer.outChannels, layer.kernelSize != nil
            else {
                throw RecognizerError.invalidConfig(
                    path: path,
                    reason: "layer \(index) (\(layer.name)): conv1d needs in_channels, out_channels and kernel_size")
            }
            guard inChannels == channels else {
                throw RecognizerError.invalidConfig(
                    path: path,
                    reason: "layer \(index) (\(layer.name)): in_channels \(inChannels), but its input has \(channels)")
            }
            if let padding = layer.padding, padding.count != 2 {
                throw RecognizerError.invalidConfig(
                    path: path,
                    reason: "layer \(index) (\(layer.name)): padding \(padding) is invalid; valid: N or [left, right]")
            }
            channels = outChannels
        }
        guard channels == alphabet.count else {
            throw RecognizerError.invalidConfig(
                path: path, reason: "the last layer has \(channels) outputs, but there are \(alphabet.count) labels")
        }
    }

    /// Writes pretty, key-sorted JSON atomically.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(self) + Data("\n".utf8), to: url)
    }

    private static func explain(_ error: DecodingError) -> String {
        func location(_ path: [CodingKey]) -> String {
            path.isEmpty
                ? "the top level" : path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "key \"\(key.stringValue)\" is missing at \(location(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(location(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "not valid JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))"
        @unknown default:
            return "\(error)"
        }
    }
}

// MARK: - Presets

extension RecognizerConfig {
    /// Architectures `phonoscope train --arch` knows by name.
    public static let presetNames = ["small", "speechless"]

    /// SCIENCE.md's Wav2Letter (the [KUNZE17] code): 11 convolutions with Keras-style "same"
    /// padding and ReLU, only the first strided; 24,662,529 parameters for English.
    public static func speechless(language: Language) -> RecognizerConfig {
        wav2letter(architecture: "speechless", language: language, width: 250, wide: 2000)
    }

    /// The same 11-layer shape with narrower big layers (9 and 10: 384 channels instead of 2000):
    /// 7,817,757 parameters for English, trainable on two CPU cores.
    public static func small(language: Language) -> RecognizerConfig {
        wav2letter(architecture: "small", language: language, width: 250, wide: 384)
    }

    public static func preset(_ name: String, language: Language) -> RecognizerConfig? {
        switch name {
        case "small": return small(language: language)
        case "speechless": return speechless(language: language)
        default: return nil
        }
    }

    private static func wav2letter(architecture: String, language: Language, width: Int, wide: Int)
        -> RecognizerConfig
    {
        let alphabet = Alphabet.standard(for: language)
        let features = FeatureConfiguration.speechless.melCount
        // Keras "same": ceil(T / stride) outputs, the padding's odd frame on the right. For
        // k = 48, stride 2 that is 23 left and 23 (even T) or 24 (odd T) right; [23, 24] gives the
        // same frames for both, since the extra right frame never completes a window for even T.
        var layers: [LayerSpec] = [.conv1d("conv1", features, width, kernel: 48, stride: 2, padding: [23, 24])]
        for index in 2...8 { layers.append(.conv1d("conv\(index)", width, width, kernel: 7, padding: [3, 3])) }
        layers.append(.conv1d("conv9", width, wide, kernel: 32, padding: [15, 16]))
        layers.append(.conv1d("conv10", wide, wide, kernel: 1, padding: [0, 0]))
        layers.append(.conv1d("conv11", wide, alphabet.count, kernel: 1, padding: [0, 0]))
        var withActivations: [LayerSpec] = []
        for (index, layer) in layers.enumerated() {
            withActivations.append(layer)
            if index < layers.count - 1 { withActivations.append(.relu("relu\(index + 1)")) }
        }
        return RecognizerConfig(
            architecture: architecture, language: language.rawValue, features: "speechless", numFeatures: features,
            alphabet: alphabet, finalActivation: "softmax", layers: withActivations)
    }

    /// torchaudio's `Wav2Letter(num_classes, input_type="mfcc", num_features)`: the same stack
    /// with PyTorch paddings (23, 3, 16, 0, 0) and a ReLU after every convolution, the last
    /// included; layer names are the state dict's `acoustic_model.N`.
    public static func torchaudioWav2Letter(numFeatures: Int, alphabet: Alphabet, features: String = "none")
        -> RecognizerConfig
    {
        let shapes: [(inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int)] =
            [(numFeatures, 250, 48, 2, 23)] + Array(repeating: (250, 250, 7, 1, 3), count: 7) + [
                (250, 2000, 32, 1, 16), (2000, 2000, 1, 1, 0), (2000, alphabet.count, 1, 1, 0),
            ]
        var layers: [LayerSpec] = []
        for (index, shape) in shapes.enumerated() {
            layers.append(
                .conv1d(
                    "acoustic_model.\(2 * index)", shape.inChannels, shape.outChannels, kernel: shape.kernel,
                    stride: shape.stride, padding: [shape.padding, shape.padding]))
            layers.append(.relu("acoustic_model.\(2 * index + 1)"))
        }
        return RecognizerConfig(
            architecture: "torchaudio-wav2letter", language: nil, features: features, numFeatures: numFeatures,
            alphabet: alphabet, finalActivation: "log_softmax", layers: layers)
    }
}
