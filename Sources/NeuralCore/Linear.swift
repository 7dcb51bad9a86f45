import COpenBLAS

/// A fully connected layer on the last dimension, as `torch.nn.Linear`: y = x W^T + b.
///
/// Shapes: input [..., inFeatures], output [..., outFeatures]; weight [outFeatures, inFeatures]
/// (PyTorch's layout). Initial values as PyTorch: uniform(+-1/sqrt(inFeatures)).
public final class Linear: Layer, @unchecked Sendable {
    public let name: String
    public let inFeatures: Int
    public let outFeatures: Int
    public let weight: Parameter
    public let bias: Parameter?
    private var input: Tensor?

    public init(
        name: String, inFeatures: Int, outFeatures: Int, bias: Bool = true, initializer: inout SeededInitializer
    ) throws {
        for (parameter, value) in [("in_features", inFeatures), ("out_features", outFeatures)] where value < 1 {
            throw NeuralCoreError.invalidParameter(
                layer: name, name: parameter, value: String(value), valid: "1 or more")
        }
        self.name = name
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        let bound = 1 / Float(inFeatures).squareRoot()
        weight = Parameter(
            name: "\(name).weight", value: initializer.uniform(shape: [outFeatures, inFeatures], bound: bound))
        self.bias =
            bias ? Parameter(name: "\(name).bias", value: initializer.uniform(shape: [outFeatures], bound: bound)) : nil
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank >= 1, input.shape.last == inFeatures else {
            throw NeuralCoreError.shapeMismatch(layer: name, expected: "[..., \(inFeatures)]", got: input.shape)
        }
        self.input = input
        let rows = input.count / inFeatures
        var output = Tensor(zeros: Array(input.shape.dropLast()) + [outFeatures])
        if let bias {
            for r in 0..<rows {
                for o in 0..<outFeatures { output.values[r * outFeatures + o] = bias.value.values[o] }
            }
        }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outFeatures), Int32(inFeatures), 1,
            input.values, Int32(inFeatures), weight.value.values, Int32(inFeatures), bias == nil ? 0 : 1,
            &output.values, Int32(outFeatures))
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let input else { preconditionFailure("\(name): backward before forward") }
        let rows = input.count / inFeatures
        cblas_sgemm(
            CblasRowMajor, CblasTrans, CblasNoTrans, Int32(outFeatures), Int32(inFeatures), Int32(rows), 1,
            outputGradient.values, Int32(outFeatures), input.values, Int32(inFeatures), 1, &weight.gradient.values,
            Int32(inFeatures))
        if let bias {
            for r in 0..<rows {
                for o in 0..<outFeatures { bias.gradient.values[o] += outputGradient.values[r * outFeatures + o] }
            }
        }
        var inputGradient = Tensor(zeros: input.shape)
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(inFeatures), Int32(outFeatures), 1,
            outputGradient.values, Int32(outFeatures), weight.value.values, Int32(inFeatures), 0,
            &inputGradient.values, Int32(inFeatures))
        return inputGradient
    }
}
