import SeededRandom

/// Inverted dropout: in training, each value is zeroed with probability p and the rest scaled by
/// 1/(1 - p), so evaluation (`isTraining == false`) is the identity. The mask comes from a seeded
/// generator: the same seed and the same sequence of calls give the same masks.
public final class Dropout: Layer, @unchecked Sendable {
    public let name: String
    public let probability: Float
    public var isTraining = true
    private var generator: SeededGenerator
    private var mask: [Float] = []

    public init(name: String, probability: Float, seed: UInt64) throws {
        guard probability >= 0, probability < 1 else {
            throw NeuralCoreError.invalidParameter(layer: name, name: "p", value: "\(probability)", valid: "0 <= p < 1")
        }
        self.name = name
        self.probability = probability
        self.generator = SeededGenerator(seed: seed)
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        guard isTraining, probability > 0 else {
            mask = []
            return input
        }
        let keep = 1 / (1 - probability)
        mask = (0..<input.count).map { _ in generator.unitFloat() < probability ? 0 : keep }
        return Tensor(shape: input.shape, values: zip(input.values, mask).map { $0 * $1 })
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard !mask.isEmpty else { return outputGradient }
        return Tensor(shape: outputGradient.shape, values: zip(outputGradient.values, mask).map { $0 * $1 })
    }
}
