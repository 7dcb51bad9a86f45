import Foundation
import NeuralCore
import PhonoscopeIO

/// The image classifier the explainers are shown on: three 3x3 convolutions with a max pool
/// between the second and third, then global average pooling and one linear layer.
///
/// Global average pooling before the classifier is what Class Activation Mapping needs (Zhou et
/// al. 2016): the class score is a weighted sum of the last convolution's channel means, so
/// the same weights applied to the channel maps say where the evidence lies. Layers are named
/// as their PyTorch twin's modules (conv1, relu1, conv2, relu2, pool, conv3, relu3, gap,
/// flatten, fc), so a state dict loads by name. Images are channels-last,
/// [batch, height, width, channels], values scaled to [0, 1].
public final class ImageClassifier {
    public static let configFile = "config.json"
    public static let weightsFile = "model.safetensors"

    public struct Config: Codable, Equatable, Sendable {
        public var format = "phonoscope-image-classifier"
        /// Image size and channels.
        public var height = 8
        public var width = 8
        public var inputChannels = 1
        /// Output channels of conv1, conv2, conv3; 16, 32, 64 reach 98 % on the digits with
        /// 23,818 parameters.
        public var channels = [16, 32, 64]
        /// Class names, in output order.
        public var labels = (0..<10).map(String.init)
        /// Raw pixel values are divided by this (16 for the digits' counts 0..16).
        public var pixelScale: Float = 16

        public init() {}

        public init(contentsOf url: URL) throws {
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw ExplainerError.invalidModel(
                    path: url.path, reason: "cannot read it (\(error.localizedDescription))")
            }
            do {
                self = try JSONDecoder().decode(Config.self, from: data)
            } catch {
                throw ExplainerError.invalidModel(path: url.path, reason: "not an image classifier config (\(error))")
            }
            guard format == "phonoscope-image-classifier" else {
                throw ExplainerError.invalidModel(
                    path: url.path, reason: "format \(format), expected phonoscope-image-classifier")
            }
            guard channels.count == 3, channels.allSatisfy({ $0 >= 1 }), height % 2 == 0, width % 2 == 0,
                height >= 2, width >= 2, inputChannels >= 1, labels.count >= 2
            else {
                throw ExplainerError.invalidModel(
                    path: url.path,
                    reason: "expected 3 positive channel counts, an even height and width, 1 or more input channels "
                        + "and 2 or more labels")
            }
        }
    }

    public let config: Config
    public let network: Sequential

    /// A freshly initialised network (PyTorch's default uniform initialisation, from `seed`).
    public init(config: Config = Config(), seed: UInt64 = 1) throws {
        self.config = config
        var initializer = SeededInitializer(seed: seed)
        let (c1, c2, c3) = (config.channels[0], config.channels[1], config.channels[2])
        network = try Sequential([
            Conv2d(
                name: "conv1", inChannels: config.inputChannels, outChannels: c1, kernelSize: (3, 3), padding: (1, 1),
                initializer: &initializer),
            ReLU(name: "relu1"),
            Conv2d(
                name: "conv2", inChannels: c1, outChannels: c2, kernelSize: (3, 3), padding: (1, 1),
                initializer: &initializer),
            ReLU(name: "relu2"),
            Pooling(name: "pool", kind: .max, kernelSize: (2, 2)),
            Conv2d(
                name: "conv3", inChannels: c2, outChannels: c3, kernelSize: (3, 3), padding: (1, 1),
                initializer: &initializer),
            ReLU(name: "relu3"),
            Pooling(name: "gap", kind: .average, kernelSize: (config.height / 2, config.width / 2)),
            Flatten(name: "flatten"),
            Linear(name: "fc", inFeatures: c3, outFeatures: config.labels.count, initializer: &initializer),
        ])
    }

    /// Loads a model directory (config.json and model.safetensors); every tensor is checked.
    public convenience init(directory: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw ExplainerError.invalidModel(
                path: directory.path, reason: "no such model directory (expected config.json and model.safetensors)")
        }
        try self.init(config: Config(contentsOf: directory.appendingPathComponent(Self.configFile)))
        let url = directory.appendingPathComponent(Self.weightsFile)
        try load(SafeTensors(contentsOf: url), path: url.path)
    }

    public var parameters: [Parameter] { network.parameters }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
    public var classCount: Int { config.labels.count }
    /// The names of the layers, input to output.
    public var layerNames: [String] { network.layers.map(\.name) }

    /// Copies weights in by name, checking every name and shape first.
    public func load(_ weights: SafeTensors, path: String) throws {
        let expected = parameters.map(\.name)
        for name in weights.tensors.keys.sorted() where !expected.contains(name) {
            throw ExplainerError.invalidModel(
                path: path, reason: "unexpected tensor \(name) (expected \(expected.joined(separator: ", ")))")
        }
        for parameter in parameters {
            guard let tensor = weights.tensors[parameter.name] else {
                throw ExplainerError.invalidModel(path: path, reason: "tensor \(parameter.name) is missing")
            }
            guard tensor.shape == parameter.value.shape else {
                throw ExplainerError.invalidModel(
                    path: path,
                    reason:
                        "tensor \(parameter.name) has shape \(tensor.shape), the config needs \(parameter.value.shape)")
            }
        }
        for parameter in parameters { parameter.value = weights.tensors[parameter.name] ?? parameter.value }
    }

    /// Writes config.json and model.safetensors, each atomically.
    public func save(to directory: URL, metadata: [String: String] = [:]) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let weights = SafeTensors(
            tensors: Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.value) }), metadata: metadata)
        try weights.write(to: directory.appendingPathComponent(Self.weightsFile))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(
            try encoder.encode(config) + Data("\n".utf8), to: directory.appendingPathComponent(Self.configFile))
    }

    /// Checks an image batch's shape against the config.
    public func check(_ images: Tensor, path: String) throws {
        let expected = [config.height, config.width, config.inputChannels]
        guard images.rank == 4, Array(images.shape.dropFirst()) == expected else {
            throw ExplainerError.wrongImageShape(
                path: path, shape: images.shape,
                expected: "\(config.height) x \(config.width) pixels with \(config.inputChannels) channel(s)")
        }
    }

    /// Logits [batch, classes] of images [batch, height, width, channels].
    public func logits(_ images: Tensor) throws -> Tensor {
        try check(images, path: "input")
        return try network.forward(images)
    }
}
