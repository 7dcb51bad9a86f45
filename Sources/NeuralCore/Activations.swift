/// max(0, x), elementwise.
public final class ReLU: Layer, @unchecked Sendable {
    public let name: String
    /// The last output (shared with the returned tensor, not copied): positive exactly where the
    /// input was.
    private var output: [Float] = []

    public init(name: String) { self.name = name }

    public func forward(_ input: Tensor) throws -> Tensor {
        output = input.values.map { max(0, $0) }
        return Tensor(shape: input.shape, values: output)
    }

    /// The gradient passes where the input was positive (PyTorch's choice at 0: no gradient).
    public func backward(_ outputGradient: Tensor) -> Tensor {
        precondition(outputGradient.count == output.count, "\(name): gradient shape \(outputGradient.shape)")
        var gradient = outputGradient
        gradient.values.withUnsafeMutableBufferPointer { g in
            output.withUnsafeBufferPointer { y in
                for i in g.indices where !(y[i] > 0) { g[i] = 0 }
            }
        }
        return gradient
    }
}
