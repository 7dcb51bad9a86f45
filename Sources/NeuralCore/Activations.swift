/// max(0, x), elementwise.
public final class ReLU: Layer, @unchecked Sendable {
    public let name: String
    private var positive: [Bool] = []

    public init(name: String) { self.name = name }

    public func forward(_ input: Tensor) throws -> Tensor {
        positive = input.values.map { $0 > 0 }
        return Tensor(shape: input.shape, values: input.values.map { max(0, $0) })
    }

    /// The gradient passes where the input was positive (PyTorch's choice at 0: no gradient).
    public func backward(_ outputGradient: Tensor) -> Tensor {
        var gradient = outputGradient
        for i in gradient.values.indices where !positive[i] { gradient.values[i] = 0 }
        return gradient
    }
}
