import AudioFeatures
import Foundation
import NeuralCore
import PhonoscopeIO

/// A Wav2Letter-style recogniser: a `RecognizerConfig` built into a `Sequential` of named
/// layers, with the front end that turns audio into its input.
///
/// A model directory holds `config.json` and `model.safetensors` (PyTorch layouts: conv weight
/// [out, in, kernel], keys `<layer name>.weight` / `.bias`).
public final class Recognizer: @unchecked Sendable {
    public static let configFile = "config.json"
    public static let weightsFile = "model.safetensors"

    public let config: RecognizerConfig
    public let alphabet: Alphabet
    public let network: Sequential
    /// The front end for audio input (nil when the config's features are "none").
    public let featureConfiguration: FeatureConfiguration?

    /// Builds the network with seeded initial values (PyTorch's default uniform bounds).
    public init(config: RecognizerConfig, seed: UInt64 = 0) throws {
        try config.validate()
        self.config = config
        self.alphabet = try config.alphabet()
        self.featureConfiguration = try config.featureConfiguration()
        var initializer = SeededInitializer(seed: seed)
        var layers: [Layer] = []
        for spec in config.layers {
            switch spec.type {
            case "conv1d":
                let padding = spec.padding ?? [0, 0]
                layers.append(
                    try Conv1d(
                        name: spec.name, inChannels: spec.inChannels ?? 0, outChannels: spec.outChannels ?? 0,
                        kernelSize: spec.kernelSize ?? 0, stride: spec.stride ?? 1, padding: padding[0],
                        paddingRight: padding[1], dilation: spec.dilation ?? 1, initializer: &initializer))
            case "relu":
                layers.append(ReLU(name: spec.name))
            case "dropout":
                layers.append(
                    try Dropout(
                        name: spec.name, probability: spec.probability ?? 0.5, seed: seed &+ UInt64(layers.count)))
            default:
                throw RecognizerError.unknownLayerType(
                    path: "config", layer: layers.count, type: spec.type, valid: RecognizerConfig.layerTypes)
            }
        }
        network = try Sequential(layers)
    }

    /// Loads a model directory; the weights must match the config tensor for tensor.
    public convenience init(directory: URL) throws {
        let configURL = directory.appendingPathComponent(Self.configFile)
        let weightsURL = directory.appendingPathComponent(Self.weightsFile)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw RecognizerError.invalidConfig(
                path: directory.path, reason: "no such model directory (expected config.json and model.safetensors)")
        }
        let config = try RecognizerConfig(contentsOf: configURL)
        try self.init(config: config)
        try load(weights: SafeTensors(contentsOf: weightsURL), path: weightsURL.path)
    }

    /// Every parameter by its state-dict name.
    public var parameters: [Parameter] { network.parameters }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Copies `weights` into the parameters, checking names and shapes first (nothing changes
    /// unless every tensor fits).
    public func load(weights: SafeTensors, path: String) throws {
        let expected = parameters.map(\.name)
        for name in weights.tensors.keys.sorted() where !expected.contains(name) {
            throw RecognizerError.unexpectedTensor(path: path, name: name, expected: expected)
        }
        for parameter in parameters {
            guard let tensor = weights.tensors[parameter.name] else {
                throw RecognizerError.missingTensor(path: path, name: parameter.name)
            }
            guard tensor.shape == parameter.value.shape else {
                throw RecognizerError.tensorShapeMismatch(
                    path: path, name: parameter.name, config: parameter.value.shape, weights: tensor.shape)
            }
        }
        for parameter in parameters {
            if let tensor = weights.tensors[parameter.name] { parameter.value = tensor }
        }
    }

    public func weights(metadata: [String: String] = [:]) -> SafeTensors {
        SafeTensors(
            tensors: Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.value) }), metadata: metadata)
    }

    /// Writes `config.json` and `model.safetensors` into `directory` (created if needed), each
    /// file atomically.
    public func save(to directory: URL, dtype: SafeTensors.DType = .f32, metadata: [String: String] = [:]) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try weights(metadata: metadata).write(to: directory.appendingPathComponent(Self.weightsFile), dtype: dtype)
        try config.write(to: directory.appendingPathComponent(Self.configFile))
    }

    // MARK: - Geometry

    private var convolutions: [Conv1d] { network.layers.compactMap { $0 as? Conv1d } }

    /// Input frames per output frame (the product of the strides).
    public var frameStride: Int { convolutions.reduce(1) { $0 * $1.stride } }

    /// Input frames that one output frame sees: 1 + sum over layers of (k - 1) d times the
    /// stride of everything before (194 for the speechless stack).
    public var receptiveField: Int {
        var field = 1
        var jump = 1
        for conv in convolutions {
            field += (conv.kernelSize - 1) * conv.dilation * jump
            jump *= conv.stride
        }
        return field
    }

    /// Output frames for `frames` input frames.
    public func outputLength(_ frames: Int) -> Int { convolutions.reduce(frames) { $1.outputLength($0) } }

    /// Seconds per output frame (nil without a front end).
    public var outputFrameDuration: Double? {
        featureConfiguration.map { Double($0.stft.hopLength * frameStride) / Double($0.sampleRate) }
    }

    /// The time (seconds) at the centre of output frame `t`'s receptive field, with input frame
    /// k at k hop / rate (the centred STFT's convention); nil without a front end. Each layer
    /// maps an output position x to input position stride x - padLeft + dilation (k - 1) / 2.
    public func outputFrameTime(_ t: Int) -> Double? {
        guard let featureConfiguration else { return nil }
        var x = Double(t)
        for conv in convolutions.reversed() {
            x = Double(conv.stride) * x - Double(conv.padding) + Double(conv.dilation * (conv.kernelSize - 1)) / 2
        }
        return x * Double(featureConfiguration.stft.hopLength) / Double(featureConfiguration.sampleRate)
    }

    /// Throws when `frames` input frames are fewer than the receptive field.
    public func checkLength(_ frames: Int, source: String) throws {
        guard frames >= receptiveField else {
            let seconds = featureConfiguration.map {
                Double(receptiveField * $0.stft.hopLength) / Double($0.sampleRate)
            }
            throw RecognizerError.inputTooShort(
                source: source, frames: frames, required: receptiveField, seconds: seconds ?? 0)
        }
    }

    // MARK: - Inference

    /// The feature matrix of an audio file through the model's front end.
    public func features(ofFile url: URL, channel: ChannelSelection = .mixDown) throws -> FeatureMatrix {
        guard let featureConfiguration else { throw RecognizerError.noFeaturePreset(source: url.path) }
        return try FeatureExtractor(featureConfiguration).features(ofFile: url, channel: channel)
    }

    /// The last layer's outputs ("logits", before the softmax), [outputFrames, classes], for a
    /// feature matrix [frames, numFeatures].
    public func logits(features: FeatureMatrix, source: String = "<features>") throws -> Tensor {
        guard features.binCount == config.numFeatures else {
            throw RecognizerError.featureMismatch(source: source, got: features.binCount, expected: config.numFeatures)
        }
        try checkLength(features.frameCount, source: source)
        setTraining(false)
        let input = Tensor(shape: [1, features.frameCount, features.binCount], values: features.values)
        var output = try network.forward(input)
        output.shape = Array(output.shape.dropFirst())
        return output
    }

    /// Whether `network.backward` computes the gradient with respect to the input features
    /// (saliency needs it; training does not, and skipping it saves the first layer's widest
    /// product). On by default; when off, the returned input gradient is zeros.
    public var computesInputGradient: Bool {
        get { (network.layers.first as? Conv1d)?.computesInputGradient ?? true }
        set { (network.layers.first as? Conv1d)?.computesInputGradient = newValue }
    }

    /// Dropout layers on (training) or off (inference).
    public func setTraining(_ training: Bool) {
        for case let dropout as Dropout in network.layers { dropout.isTraining = training }
    }
}

// MARK: - Transfer

extension Recognizer {
    /// Copies `source`'s weights into this model where names and shapes agree; the output
    /// layer is remapped letter by letter (rows of shared labels copied, the blank to the
    /// blank), as [KUNZE17] started its German model from the English one. Returns a summary.
    public func initialize(from source: Recognizer) throws -> String {
        let sourceParameters = Dictionary(uniqueKeysWithValues: source.parameters.map { ($0.name, $0) })
        let outputLayer = network.layers.last { $0 is Conv1d }?.name
        var copied = 0
        var remapped = 0
        for parameter in parameters {
            guard let from = sourceParameters[parameter.name] else { continue }
            if from.value.shape == parameter.value.shape, !parameter.name.hasPrefix((outputLayer ?? "") + ".") {
                parameter.value = from.value
                copied += 1
                continue
            }
            guard parameter.name.hasPrefix((outputLayer ?? "-") + "."),
                from.value.shape.dropFirst() == parameter.value.shape.dropFirst()
            else { continue }
            let rowSize = parameter.value.count / parameter.value.shape[0]
            for (row, label) in alphabet.labels.enumerated() {
                let sourceRow: Int?
                if row == alphabet.blankIndex {
                    sourceRow = source.alphabet.blankIndex
                } else {
                    sourceRow = source.alphabet.labels.indices.first {
                        $0 != source.alphabet.blankIndex && source.alphabet.labels[$0] == label
                    }
                }
                guard let sourceRow else { continue }
                for j in 0..<rowSize {
                    parameter.value.values[row * rowSize + j] = from.value.values[sourceRow * rowSize + j]
                }
            }
            remapped += 1
        }
        let shared = alphabet.labels.filter { source.alphabet.labels.contains($0) }.count
        return
            "\(copied) tensors copied, \(remapped) output tensors remapped (\(shared) of \(alphabet.count) labels shared)"
    }
}

extension Recognizer {
    /// Rescales the seeded initial weights to He et al. (2015) uniform bounds, sqrt(6 / fan_in)
    /// (variance 2 / fan_in, which keeps activations at scale through ReLU layers), and zeroes
    /// the biases; the output layer keeps PyTorch's smaller default so that training starts
    /// from near-uniform outputs. PyTorch's default (bound 1 / sqrt(fan_in)) shrinks the signal
    /// about sixfold in variance per ReLU layer, which slows training of 11 plain layers.
    public func applyHeInitialization() {
        let convolutions = network.layers.compactMap { $0 as? Conv1d }
        for conv in convolutions.dropLast() {
            let scale = Float(6.0.squareRoot())
            for i in conv.weight.value.values.indices { conv.weight.value.values[i] *= scale }
            if let bias = conv.bias {
                for i in bias.value.values.indices { bias.value.values[i] = 0 }
            }
        }
    }
}
