/// A 2-D convolution, as `torch.nn.Conv2d`, on channels-last images.
///
/// Concretely: y[b, i, j, o] = bias[o] + sum_{c, u, v} w[o, c, u, v] x[b, i s_h - p_h + u, j s_w - p_w + v, c],
/// with x = 0 outside the image; output size (H + 2 p_h - K_h) / s_h + 1 by (W + 2 p_w - K_w) / s_w + 1.
///
/// Shapes: input [batch, height, width, inChannels]; output [batch, H', W', outChannels]; weight in
/// PyTorch's layout [outChannels, inChannels, kernelHeight, kernelWidth]. im2col rows are ordered
/// (channel, u, v) to match it; the products are `ColumnProduct`'s.
public final class Conv2d: Layer, @unchecked Sendable {
    public let name: String
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: (height: Int, width: Int)
    public let stride: (height: Int, width: Int)
    public let padding: (height: Int, width: Int)
    public let weight: Parameter
    public let bias: Parameter?
    private var columns: [Float] = []
    private var inputShape: [Int] = []

    public init(
        name: String, inChannels: Int, outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
        padding: (Int, Int) = (0, 0), bias: Bool = true, initializer: inout SeededInitializer
    ) throws {
        for (parameter, value) in [
            ("in_channels", inChannels), ("out_channels", outChannels),
            ("kernel_size", min(kernelSize.0, kernelSize.1)),
            ("stride", min(stride.0, stride.1)),
        ] where value < 1 {
            throw NeuralCoreError.invalidParameter(
                layer: name, name: parameter, value: String(value), valid: "1 or more")
        }
        guard padding.0 >= 0, padding.1 >= 0 else {
            throw NeuralCoreError.invalidParameter(
                layer: name, name: "padding", value: "\(padding)", valid: "0 or more")
        }
        self.name = name
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = (kernelSize.0, kernelSize.1)
        self.stride = (stride.0, stride.1)
        self.padding = (padding.0, padding.1)
        let bound = 1 / Float(inChannels * kernelSize.0 * kernelSize.1).squareRoot()
        weight = Parameter(
            name: "\(name).weight",
            value: initializer.uniform(shape: [outChannels, inChannels, kernelSize.0, kernelSize.1], bound: bound))
        self.bias =
            bias ? Parameter(name: "\(name).bias", value: initializer.uniform(shape: [outChannels], bound: bound)) : nil
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        let h = height + 2 * padding.height - kernelSize.height
        let w = width + 2 * padding.width - kernelSize.width
        return (h < 0 ? 0 : h / stride.height + 1, w < 0 ? 0 : w / stride.width + 1)
    }

    /// Visits every (row of columns, column index, input index) of the receptive fields.
    private func forEachTap(batch: Int, height: Int, width: Int, _ body: (Int, Int) -> Void) {
        let out = outputSize(height: height, width: width)
        let taps = inChannels * kernelSize.height * kernelSize.width
        for b in 0..<batch {
            for i in 0..<out.height {
                for j in 0..<out.width {
                    let row = ((b * out.height + i) * out.width + j) * taps
                    for u in 0..<kernelSize.height {
                        let y = i * stride.height - padding.height + u
                        guard y >= 0, y < height else { continue }
                        for v in 0..<kernelSize.width {
                            let x = j * stride.width - padding.width + v
                            guard x >= 0, x < width else { continue }
                            let pixel = ((b * height + y) * width + x) * inChannels
                            for c in 0..<inChannels {
                                body(row + (c * kernelSize.height + u) * kernelSize.width + v, pixel + c)
                            }
                        }
                    }
                }
            }
        }
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank == 4, input.shape[3] == inChannels else {
            throw NeuralCoreError.shapeMismatch(
                layer: name, expected: "[batch, height, width, \(inChannels)]", got: input.shape)
        }
        let (batch, height, width) = (input.shape[0], input.shape[1], input.shape[2])
        let out = outputSize(height: height, width: width)
        guard out.height >= 1, out.width >= 1 else {
            throw NeuralCoreError.tooShort(
                layer: name, length: min(height, width), required: max(kernelSize.height, kernelSize.width))
        }
        inputShape = input.shape
        let taps = inChannels * kernelSize.height * kernelSize.width
        let rows = batch * out.height * out.width
        var columns = [Float](repeating: 0, count: rows * taps)
        forEachTap(batch: batch, height: height, width: width) { column, source in
            columns[column] = input.values[source]
        }
        self.columns = columns
        return Tensor(
            shape: [batch, out.height, out.width, outChannels],
            values: ColumnProduct.forward(columns: columns, rows: rows, width: taps, weight: weight, bias: bias))
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let (batch, height, width) = (inputShape[0], inputShape[1], inputShape[2])
        let out = outputSize(height: height, width: width)
        let taps = inChannels * kernelSize.height * kernelSize.width
        let columnGradient = ColumnProduct.backward(
            outputGradient: outputGradient.values, columns: columns, rows: batch * out.height * out.width, width: taps,
            weight: weight, bias: bias)
        var inputGradient = Tensor(zeros: inputShape)
        forEachTap(batch: batch, height: height, width: width) { column, source in
            inputGradient.values[source] += columnGradient[column]
        }
        return inputGradient
    }
}
