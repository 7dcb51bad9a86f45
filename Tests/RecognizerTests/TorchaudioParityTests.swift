import AudioFeatures
import Foundation
import NeuralCore
import PhonoscopeIO
import Testing

@testable import Recognizer

/// A torchaudio `Wav2Letter` (num_features 8, 5 classes, blank 0) against our
/// `torchaudio-wav2letter` preset: outputs, CTC loss and gradients, computed by PyTorch in
/// double precision (fixtures by Scripts/make_wav2letter_fixtures.py, whose weight rule the
/// test repeats so that 23 M weights need not be committed).
struct TorchaudioParityTests {
    struct Expected: Decodable {
        let ctcLoss: Double
        let target: [Int]
        let blank: Int
        let framesOut: Int
        let stateDictKeys: [String]

        enum CodingKeys: String, CodingKey {
            case target, blank
            case ctcLoss = "ctc_loss"
            case framesOut = "frames_out"
            case stateDictKeys = "state_dict_keys"
        }
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/wav2letter")

    static func npy(_ name: String) throws -> NPYArray<Float> {
        try NPYArray<Float>(contentsOf: directory.appendingPathComponent(name))
    }

    /// The fixture script's weight rule, in the same integer arithmetic.
    static func hashed(count: Int, tensor n: Int) -> [Double] {
        (0..<count).map { k in
            let h = (UInt64(k) &* 2_654_435_761 &+ UInt64(n * 40503 + 12345)) % (1 << 32)
            return Double(h) / 4_294_967_296.0 * 2 - 1
        }
    }

    static func model() throws -> (Recognizer, Expected) {
        let expected = try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: directory.appendingPathComponent("expected.json")))
        let alphabet = try Alphabet(labels: Array("_abcd"), blankIndex: 0)
        let model = try Recognizer(config: .torchaudioWav2Letter(numFeatures: 8, alphabet: alphabet))
        #expect(model.parameters.map(\.name) == expected.stateDictKeys)
        var tensors: [String: Tensor] = [:]
        for (n, name) in expected.stateDictKeys.enumerated() {
            let isWeight = name.hasSuffix(".weight")
            let weightName = isWeight ? name : name.replacingOccurrences(of: ".bias", with: ".weight")
            guard let weightShape = model.parameters.first(where: { $0.name == weightName })?.value.shape,
                let shape = model.parameters.first(where: { $0.name == name })?.value.shape
            else { throw RecognizerError.missingTensor(path: "model", name: name) }
            let fanIn = Double(weightShape[1] * weightShape[2])
            let scale = isWeight ? (6 / fanIn).squareRoot() : 0.1 / fanIn.squareRoot()
            let values = hashed(count: shape.reduce(1, *), tensor: n).map { Float($0 * scale) }
            tensors[name] = Tensor(shape: shape, values: values)
        }
        try model.load(weights: SafeTensors(tensors: tensors), path: "hashed weights")
        return (model, expected)
    }

    @Test func logitsMatchTorchaudio() throws {
        let (model, expected) = try Self.model()
        let input = try Self.npy("input.npy")
        let reference = try Self.npy("logits.npy")
        let features = FeatureMatrix(frameCount: input.shape[0], binCount: input.shape[1], values: input.elements)
        let logits = try model.logits(features: features)
        #expect(logits.shape == reference.shape)
        #expect(logits.shape[0] == expected.framesOut)
        let scale = reference.elements.map(abs).max() ?? 1
        let difference = zip(logits.values, reference.elements).map { abs($0 - $1) }.max() ?? .infinity
        #expect(difference <= 1e-4 * scale, "max |difference| \(difference), output scale \(scale)")

        let loss = try CTC.loss(
            logits: logits.values, frames: logits.shape[0], classes: logits.shape[1], target: expected.target,
            blank: expected.blank)
        #expect(abs(Double(loss.loss) - expected.ctcLoss) <= 1e-4 * expected.ctcLoss)
    }

    @Test func gradientsThroughTheNetworkMatchTorch() throws {
        let (model, expected) = try Self.model()
        let input = try Self.npy("input.npy")
        let tensor = Tensor(shape: [1] + input.shape, values: input.elements)
        let output = try model.network.forward(tensor)
        let (frames, classes) = (output.shape[1], output.shape[2])
        let loss = try CTC.loss(
            logits: output.values, frames: frames, classes: classes, target: expected.target, blank: expected.blank)
        model.network.zeroGradients()
        let inputGradient = model.network.backward(Tensor(shape: output.shape, values: loss.gradient))
        for (computed, name) in [
            (inputGradient.values, "input_gradient.npy"),
            (model.parameters[1].gradient.values, "conv1_bias_gradient.npy"),
        ] {
            let reference = try Self.npy(name).elements
            let scale = reference.map(abs).max() ?? 1
            let difference = zip(computed, reference).map { abs($0 - $1) }.max() ?? .infinity
            #expect(computed.count == reference.count)
            #expect(difference <= 1e-3 * scale, "\(name): max |difference| \(difference), scale \(scale)")
        }
    }
}
