import Foundation
import PhonoscopeIO
import Testing

@testable import NeuralCore

/// Conv1d forward and backward against PyTorch (fixtures by Scripts/make_torch_fixtures.py).
struct TorchParityTests {
    struct Manifest: Decodable {
        struct Case: Decodable {
            let name: String
            let batch: Int, length: Int, cin: Int, cout: Int, kernel: Int, stride: Int, padding: Int, dilation: Int
            let files: [String: String]
        }
        let torch: String
        let conv1d: [Case]
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")
    static let manifest: Manifest = {
        do {
            let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
            return try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            fatalError("cannot read the PyTorch fixture manifest: \(error)")
        }
    }()

    static func tensor(_ c: Manifest.Case, _ key: String) throws -> Tensor {
        let array = try NPYArray<Float>(contentsOf: directory.appendingPathComponent(c.files[key] ?? ""))
        return Tensor(shape: array.shape, values: array.elements)
    }

    static func worst(_ ours: Tensor, _ theirs: Tensor) -> Float {
        let scale = max(1, theirs.values.map(abs).max() ?? 1)
        return zip(ours.values, theirs.values).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
    }

    @Test(arguments: manifest.conv1d.map(\.name))
    func conv1dMatchesPyTorch(_ name: String) throws {
        let c = try #require(Self.manifest.conv1d.first { $0.name == name })
        var initializer = SeededInitializer(seed: 0)
        let conv = try Conv1d(
            name: c.name, inChannels: c.cin, outChannels: c.cout, kernelSize: c.kernel, stride: c.stride,
            padding: c.padding, dilation: c.dilation, initializer: &initializer)
        conv.weight.value = try Self.tensor(c, "weight")
        conv.bias?.value = try Self.tensor(c, "bias")
        let output = try conv.forward(try Self.tensor(c, "input"))
        let expected = try Self.tensor(c, "output")
        #expect(output.shape == expected.shape)
        #expect(Self.worst(output, expected) < 1e-5)
        let inputGradient = conv.backward(try Self.tensor(c, "output_gradient"))
        #expect(Self.worst(inputGradient, try Self.tensor(c, "input_gradient")) < 1e-5)
        #expect(Self.worst(conv.weight.gradient, try Self.tensor(c, "weight_gradient")) < 1e-5)
        #expect(Self.worst(try #require(conv.bias?.gradient), try Self.tensor(c, "bias_gradient")) < 1e-5)
    }
}

/// Conv2d, Linear, pooling and (log-)softmax against PyTorch, forward and backward.
struct TorchLayerParityTests {
    static let cases: [String] = {
        guard let data = try? Data(contentsOf: TorchParityTests.directory.appendingPathComponent("manifest.json")),
            let raw = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let layers = raw["layers"] as? [[String: Any]]
        else { return [] }
        return layers.compactMap { $0["name"] as? String }
    }()

    static func info(_ name: String) throws -> (kind: String, options: [String: Any], files: [String: String]) {
        let data = try Data(contentsOf: TorchParityTests.directory.appendingPathComponent("manifest.json"))
        let raw = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let layers = try #require(raw["layers"] as? [[String: Any]])
        let entry = try #require(layers.first { $0["name"] as? String == name })
        return (
            try #require(entry["kind"] as? String), entry["options"] as? [String: Any] ?? [:],
            try #require(entry["files"] as? [String: String])
        )
    }

    static func load(_ files: [String: String], _ key: String) throws -> Tensor {
        let array = try NPYArray<Float>(
            contentsOf: TorchParityTests.directory.appendingPathComponent(try #require(files[key])))
        return Tensor(shape: array.shape, values: array.elements)
    }

    @Test(arguments: cases)
    func matchesPyTorch(_ name: String) throws {
        let (kind, options, files) = try Self.info(name)
        func pair(_ key: String) -> (Int, Int) {
            let values = options[key] as? [Int] ?? [1, 1]
            return (values[0], values[1])
        }
        var initializer = SeededInitializer(seed: 0)
        let layer: Layer
        switch kind {
        case "conv2d":
            let conv = try Conv2d(
                name: name, inChannels: options["cin"] as? Int ?? 0, outChannels: options["cout"] as? Int ?? 0,
                kernelSize: pair("kernel"), stride: pair("stride"), padding: pair("padding"), initializer: &initializer)
            conv.weight.value = try Self.load(files, "weight")
            conv.bias?.value = try Self.load(files, "bias")
            layer = conv
        case "linear":
            let linear = try Linear(
                name: name, inFeatures: options["cin"] as? Int ?? 0, outFeatures: options["cout"] as? Int ?? 0,
                initializer: &initializer)
            linear.weight.value = try Self.load(files, "weight")
            linear.bias?.value = try Self.load(files, "bias")
            layer = linear
        case "maxpool2d":
            layer = try Pooling(name: name, kind: .max, kernelSize: pair("kernel"), stride: pair("stride"))
        case "avgpool2d":
            layer = try Pooling(name: name, kind: .average, kernelSize: pair("kernel"), stride: pair("stride"))
        case "log_softmax": layer = LogSoftmax(name: name)
        default: layer = Softmax(name: name)
        }
        let output = try layer.forward(try Self.load(files, "input"))
        let expected = try Self.load(files, "output")
        #expect(output.shape == expected.shape)
        #expect(TorchParityTests.worst(output, expected) < 1e-5, "\(name) forward")
        let inputGradient = layer.backward(try Self.load(files, "output_gradient"))
        #expect(
            TorchParityTests.worst(inputGradient, try Self.load(files, "input_gradient")) < 1e-5, "\(name) backward")
        for parameter in layer.parameters {
            let key = parameter.name.hasSuffix("weight") ? "weight_gradient" : "bias_gradient"
            #expect(TorchParityTests.worst(parameter.gradient, try Self.load(files, key)) < 1e-5, "\(parameter.name)")
        }
    }
}
