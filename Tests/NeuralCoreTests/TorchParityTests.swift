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
