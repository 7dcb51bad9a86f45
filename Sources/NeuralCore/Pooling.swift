/// Max or average pooling over windows of a channels-last image, as `torch.nn.MaxPool2d` /
/// `AvgPool2d` (no padding, floor mode); over time for sequences with `Pooling.overTime`.
///
/// Shapes: input [batch, height, width, channels] -> [batch, H', W', channels], H' = (H - k_h) / s_h + 1;
/// a sequence [batch, time, channels] pools over time (a height of 1 is implied).
/// Backward: max pooling sends the gradient to the first largest value of each window (as
/// PyTorch); average pooling spreads it evenly.
public final class Pooling: Layer, @unchecked Sendable {
    public enum Kind: String, Sendable { case max, average }

    public let name: String
    public let kind: Kind
    public let kernelSize: (height: Int, width: Int)
    public let stride: (height: Int, width: Int)
    private var inputShape: [Int] = []
    private var argmax: [Int] = []

    public init(name: String, kind: Kind, kernelSize: (Int, Int), stride: (Int, Int)? = nil) throws {
        let step = stride ?? kernelSize
        guard min(kernelSize.0, kernelSize.1, step.0, step.1) >= 1 else {
            throw NeuralCoreError.invalidParameter(
                layer: name, name: "kernel_size/stride", value: "\(kernelSize)/\(step)", valid: "1 or more")
        }
        self.name = name
        self.kind = kind
        self.kernelSize = (kernelSize.0, kernelSize.1)
        self.stride = (step.0, step.1)
    }

    /// Pooling of sequences [batch, time, channels] over `kernelSize` frames.
    public static func overTime(name: String, kind: Kind, kernelSize: Int, stride: Int? = nil) throws -> Pooling {
        try Pooling(name: name, kind: kind, kernelSize: (kernelSize, 1), stride: (stride ?? kernelSize, 1))
    }

    private func imageShape(_ shape: [Int]) -> (batch: Int, height: Int, width: Int, channels: Int)? {
        switch shape.count {
        case 4: return (shape[0], shape[1], shape[2], shape[3])
        case 3: return (shape[0], shape[1], 1, shape[2])
        default: return nil
        }
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        guard let (batch, height, width, channels) = imageShape(input.shape) else {
            throw NeuralCoreError.shapeMismatch(
                layer: name, expected: "[batch, height, width, channels] or [batch, time, channels]", got: input.shape)
        }
        let outHeight = height >= kernelSize.height ? (height - kernelSize.height) / stride.height + 1 : 0
        let outWidth = width >= kernelSize.width ? (width - kernelSize.width) / stride.width + 1 : 0
        guard outHeight >= 1, outWidth >= 1 else {
            throw NeuralCoreError.tooShort(
                layer: name, length: min(height, width), required: max(kernelSize.height, kernelSize.width))
        }
        inputShape = input.shape
        let count = batch * outHeight * outWidth * channels
        var output = [Float](repeating: 0, count: count)
        argmax = kind == .max ? [Int](repeating: 0, count: count) : []
        let area = Float(kernelSize.height * kernelSize.width)
        for b in 0..<batch {
            for i in 0..<outHeight {
                for j in 0..<outWidth {
                    for c in 0..<channels {
                        let target = ((b * outHeight + i) * outWidth + j) * channels + c
                        var best = -Float.infinity
                        var bestIndex = -1
                        var sum: Float = 0
                        for u in 0..<kernelSize.height {
                            for v in 0..<kernelSize.width {
                                let source =
                                    ((b * height + i * stride.height + u) * width + j * stride.width + v) * channels + c
                                let value = input.values[source]
                                sum += value
                                if value > best || bestIndex < 0 {
                                    best = value
                                    bestIndex = source
                                }
                            }
                        }
                        if kind == .max {
                            output[target] = best
                            argmax[target] = bestIndex
                        } else {
                            output[target] = sum / area
                        }
                    }
                }
            }
        }
        let shape = input.rank == 4 ? [batch, outHeight, outWidth, channels] : [batch, outHeight, channels]
        return Tensor(shape: shape, values: output)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        var inputGradient = Tensor(zeros: inputShape)
        guard let (batch, height, width, channels) = imageShape(inputShape) else { return inputGradient }
        if kind == .max {
            for (target, source) in argmax.enumerated() {
                inputGradient.values[source] += outputGradient.values[target]
            }
            return inputGradient
        }
        let outHeight = (height - kernelSize.height) / stride.height + 1
        let outWidth = (width - kernelSize.width) / stride.width + 1
        let area = Float(kernelSize.height * kernelSize.width)
        for b in 0..<batch {
            for i in 0..<outHeight {
                for j in 0..<outWidth {
                    for c in 0..<channels {
                        let share = outputGradient.values[((b * outHeight + i) * outWidth + j) * channels + c] / area
                        for u in 0..<kernelSize.height {
                            for v in 0..<kernelSize.width {
                                inputGradient.values[
                                    ((b * height + i * stride.height + u) * width + j * stride.width + v) * channels + c
                                ] += share
                            }
                        }
                    }
                }
            }
        }
        return inputGradient
    }
}

/// Flattens every dimension after the first: [batch, ...] -> [batch, product]. Channels-last
/// order, so a Linear layer after it sees (height, width, channel) order - not PyTorch's
/// (channel, height, width); importing such weights needs a permutation.
public final class Flatten: Layer, @unchecked Sendable {
    public let name: String
    private var inputShape: [Int] = []

    public init(name: String) { self.name = name }

    public func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank >= 2 else {
            throw NeuralCoreError.shapeMismatch(layer: name, expected: "[batch, ...]", got: input.shape)
        }
        inputShape = input.shape
        return Tensor(shape: [input.shape[0], input.count / max(1, input.shape[0])], values: input.values)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        Tensor(shape: inputShape, values: outputGradient.values)
    }
}
