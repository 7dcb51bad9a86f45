import COpenBLAS

/// A 1-D convolution over time, as `torch.nn.Conv1d` computes it, on time-major tensors.
///
/// Concretely: y[b, t, o] = bias[o] + sum_{c, k} w[o, c, k] * x[b, t * stride - padLeft + k * dilation, c],
/// with x = 0 outside 0..<T. Output length T' = (T + padLeft + padRight - dilation (K - 1) - 1) / stride + 1.
/// PyTorch pads both sides equally; Keras' "same" padding of an even kernel pads one frame more
/// on the right, so the two sides can differ here.
///
/// Shapes: input [batch, T, inChannels] (or [T, inChannels]); output [batch, T', outChannels].
/// The weight keeps PyTorch's layout [outChannels, inChannels, kernelSize] so that state dicts
/// load as they are. Implementation: for stride 1, a sum of shifted products, one sgemm per tap
/// over the whole batch (`ShiftedProduct`); otherwise im2col - each output frame's receptive
/// field gathered into a row ordered (tap, channel), one contiguous copy per tap - then one
/// `cblas_sgemm` for the batch against the weight rearranged to [out, kernel, in]. Rearranged
/// weights are cached until the parameter changes.
public final class Conv1d: Layer, @unchecked Sendable {
    public let name: String
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: Int
    public let stride: Int
    /// Zero frames before the input.
    public let padding: Int
    /// Zero frames after the input (equal to `padding` unless given).
    public let paddingRight: Int
    public let dilation: Int
    public let weight: Parameter
    public let bias: Parameter?

    /// Whether `backward` computes the input gradient. A network's first layer, fed with
    /// features that nothing upstream learns from, can skip it (as PyTorch does for inputs that
    /// do not require a gradient); `backward` then returns zeros.
    public var computesInputGradient = true

    private var columns: [Float] = []
    private var columnGradient: [Float]? = []
    /// The stride-1 path's padded input, kept for backward.
    private var shifted: (product: ShiftedProduct, padded: [Float])?
    private var savedInput: [Float] = []
    /// The weight rearranged for the products, with the parameter version it was made from.
    private var arranged: [KernelLayout: (version: Int, values: [Float])] = [:]
    /// Kernels longer than this run backward through im2col (measured: k = 32 backward is
    /// faster as one wide product, k = 7 as seven shifted ones).
    static let shiftedBackwardLimit = 8
    private var inputShape: [Int] = []

    public init(
        name: String, inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        paddingRight: Int? = nil, dilation: Int = 1, bias: Bool = true, initializer: inout SeededInitializer
    ) throws {
        for (parameter, value) in [
            ("in_channels", inChannels), ("out_channels", outChannels), ("kernel_size", kernelSize), ("stride", stride),
            ("dilation", dilation),
        ] where value < 1 {
            throw NeuralCoreError.invalidParameter(
                layer: name, name: parameter, value: String(value), valid: "1 or more")
        }
        for (parameter, value) in [("padding", padding), ("padding_right", paddingRight ?? padding)] where value < 0 {
            throw NeuralCoreError.invalidParameter(
                layer: name, name: parameter, value: String(value), valid: "0 or more")
        }
        self.name = name
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.paddingRight = paddingRight ?? padding
        self.dilation = dilation
        // PyTorch's default: uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias.
        let bound = 1 / Float(inChannels * kernelSize).squareRoot()
        weight = Parameter(
            name: "\(name).weight",
            value: initializer.uniform(shape: [outChannels, inChannels, kernelSize], bound: bound))
        self.bias =
            bias ? Parameter(name: "\(name).bias", value: initializer.uniform(shape: [outChannels], bound: bound)) : nil
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    /// True for kernel 1, stride 1, no padding: the layer is a matrix product needing no im2col.
    private var isPointwise: Bool { kernelSize == 1 && stride == 1 && padding == 0 && paddingRight == 0 }

    /// Output frames for `length` input frames (0 if the input is too short).
    public func outputLength(_ length: Int) -> Int {
        let span = length + padding + paddingRight - dilation * (kernelSize - 1) - 1
        return span < 0 ? 0 : span / stride + 1
    }

    /// The weight in `layout`, rearranged only when it changed since the last call.
    private func weight(in layout: KernelLayout) -> [Float] {
        if let cached = arranged[layout], cached.version == weight.version { return cached.values }
        let values = layout.arrange(weight.value.values, out: outChannels, in: inChannels, kernel: kernelSize)
        arranged[layout] = (weight.version, values)
        return values
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        let (batch, length) = try dimensions(of: input)
        let frames = outputLength(length)
        guard frames >= 1 else {
            throw NeuralCoreError.tooShort(
                layer: name, length: length, required: dilation * (kernelSize - 1) + 1 - padding - paddingRight)
        }
        inputShape = input.shape
        let outputShape = input.rank == 2 ? [frames, outChannels] : [batch, frames, outChannels]
        shifted = nil
        if stride == 1 && !isPointwise {
            let product = ShiftedProduct(
                batch: batch, length: length, channels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
                dilation: dilation, padLeft: padding, padRight: paddingRight)
            let padded = product.padded(input.values)
            shifted = (product, padded)
            savedInput = kernelSize > Self.shiftedBackwardLimit ? input.values : []
            let values = product.forward(
                padded: padded, taps: weight(in: .tapOutIn), bias: bias?.value.values)
            return Tensor(shape: outputShape, values: values)
        }
        if isPointwise {
            // A 1-tap convolution without stride or padding is a plain product: the input is the columns.
            columns = input.values
        } else {
            fillColumns(input.values, batch: batch, length: length, frames: frames)
        }
        let values = ColumnProduct.forward(
            columns: columns, rows: batch * frames, width: inChannels * kernelSize,
            weight: isPointwise ? weight.value.values : weight(in: .outTapIn), outChannels: outChannels,
            bias: bias?.value.values)
        return Tensor(shape: outputShape, values: values)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let batch = inputShape.count == 3 ? inputShape[0] : 1
        let length = inputShape[inputShape.count - 2]
        let frames = outputLength(length)
        let rows = batch * frames
        let width = inChannels * kernelSize
        precondition(outputGradient.count == rows * outChannels, "\(name): gradient shape \(outputGradient.shape)")
        var biasGradient = bias?.gradient.values
        defer { if let biasGradient { bias?.gradient.values = biasGradient } }
        if shifted != nil, kernelSize > Self.shiftedBackwardLimit {
            // Long kernels: the shifted products would be K thin products; one wide im2col product is faster.
            fillColumns(savedInput, batch: batch, length: length, frames: frames)
        } else if let shifted {
            var tapGradient = [Float](repeating: 0, count: weight.value.count)
            let inputGradient = shifted.product.backward(
                outputGradient: outputGradient.values, padded: shifted.padded, taps: weight(in: .tapOutIn),
                tapGradient: &tapGradient, biasGradient: &biasGradient, inputGradient: computesInputGradient)
            KernelLayout.tapOutIn.add(
                tapGradient, into: &weight.gradient.values, out: outChannels, in: inChannels, kernel: kernelSize)
            return inputGradient.map { Tensor(shape: inputShape, values: $0) } ?? Tensor(zeros: inputShape)
        }
        if isPointwise {
            var columnGradient: [Float]? = computesInputGradient ? [] : nil
            ColumnProduct.backward(
                outputGradient: outputGradient.values, columns: columns, rows: rows, width: width,
                weight: weight.value.values, outChannels: outChannels, weightGradient: &weight.gradient.values,
                biasGradient: &biasGradient, columnGradient: &columnGradient)
            return Tensor(shape: inputShape, values: columnGradient ?? [Float](repeating: 0, count: rows * width))
        }
        var arrangedGradient = [Float](repeating: 0, count: weight.value.count)
        if computesInputGradient {
            if columnGradient == nil { columnGradient = [] }
        } else {
            columnGradient = nil
        }
        ColumnProduct.backward(
            outputGradient: outputGradient.values, columns: columns, rows: rows, width: width,
            weight: weight(in: .outTapIn), outChannels: outChannels, weightGradient: &arrangedGradient,
            biasGradient: &biasGradient, columnGradient: &columnGradient)
        KernelLayout.outTapIn.add(
            arrangedGradient, into: &weight.gradient.values, out: outChannels, in: inChannels, kernel: kernelSize)
        var inputGradient = Tensor(zeros: inputShape)
        guard let columnGradient else { return inputGradient }
        let (stride, padding, dilation, kernelSize, inChannels) = (
            self.stride, self.padding, self.dilation, self.kernelSize, self.inChannels
        )
        inputGradient.values.withUnsafeMutableBufferPointer { dxBuffer in
            columnGradient.withUnsafeBufferPointer { gradientBuffer in
                guard let dxBase = dxBuffer.baseAddress, let gradientBase = gradientBuffer.baseAddress else { return }
                let dx = SharedMutableBuffer(pointer: dxBase)
                let columnGradient = SharedBuffer(pointer: gradientBase)
                // Overlapping windows add into the same frames, so chunks split the channels.
                ParallelLoop.forEachChunk(count: inChannels, work: rows * width) { channels in
                    for b in 0..<batch {
                        for t in 0..<frames {
                            let row = (b * frames + t) * width
                            for k in 0..<kernelSize {
                                let source = t * stride - padding + k * dilation
                                guard source >= 0, source < length else { continue }
                                let target = dx.pointer + (b * length + source) * inChannels
                                let gradient = columnGradient.pointer + row + k * inChannels
                                for c in channels { target[c] += gradient[c] }
                            }
                        }
                    }
                }
            }
        }
        return inputGradient
    }

    /// Vector-Jacobian products over windows of frames, without saved state or parameter
    /// gradients: the layer is linear in its input, so its Jacobian does not depend on it.
    ///
    /// Concretely: `outputGradient` holds `windows` windows of `outputFrames` consecutive output
    /// frames each, [windows, outputFrames, outChannels]; window w's output frame j is frame
    /// o_w + j. The result is the gradient with respect to the input frames those outputs read,
    /// [windows, (outputFrames - 1) stride + dilation (kernelSize - 1) + 1, inChannels], window
    /// w's first frame being input frame o_w stride - padding. Frames outside the real input (the
    /// zero padding) are included; callers discard them. Used to back-propagate many events'
    /// gradients through the frames that can affect them only (the cone of a receptive field).
    public func inputGradient(windows: Int, outputFrames: Int, outputGradient: [Float]) -> [Float] {
        let rows = windows * outputFrames
        let width = inChannels * kernelSize
        precondition(outputGradient.count == rows * outChannels, "\(name): window gradient of the wrong size")
        let inputFrames = (outputFrames - 1) * stride + dilation * (kernelSize - 1) + 1
        guard rows > 0 else { return [] }
        // dColumns = dY W, W as [out, K x in] with rows ordered (tap, channel).
        var columns = [Float](repeating: 0, count: rows * width)
        let arranged = isPointwise ? weight.value.values : weight(in: .outTapIn)
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(width), Int32(outChannels), 1,
            outputGradient, Int32(outChannels), arranged, Int32(width), 0, &columns, Int32(width))
        var result = [Float](repeating: 0, count: windows * inputFrames * inChannels)
        let (stride, dilation, kernelSize, inChannels) = (self.stride, self.dilation, self.kernelSize, self.inChannels)
        result.withUnsafeMutableBufferPointer { dx in
            columns.withUnsafeBufferPointer { cols in
                for w in 0..<windows {
                    for j in 0..<outputFrames {
                        let row = (w * outputFrames + j) * width
                        for k in 0..<kernelSize {
                            let target = (w * inputFrames + j * stride + k * dilation) * inChannels
                            let source = row + k * inChannels
                            for c in 0..<inChannels { dx[target + c] += cols[source + c] }
                        }
                    }
                }
            }
        }
        return result
    }

    /// im2col: each output frame's receptive field as one row of `columns`, ordered (tap,
    /// channel), so that each tap is one contiguous copy of an input frame; the buffer is
    /// reused between calls and every element written.
    private func fillColumns(_ input: [Float], batch: Int, length: Int, frames: Int) {
        let width = inChannels * kernelSize
        if columns.count != batch * frames * width {
            columns = [Float](repeating: 0, count: batch * frames * width)
        }
        let (stride, padding, dilation, kernelSize, inChannels) = (
            self.stride, self.padding, self.dilation, self.kernelSize, self.inChannels
        )
        input.withUnsafeBufferPointer { xBuffer in
            columns.withUnsafeMutableBufferPointer { colsBuffer in
                guard let xBase = xBuffer.baseAddress, let colsBase = colsBuffer.baseAddress else { return }
                let x = SharedBuffer(pointer: xBase)
                let cols = SharedMutableBuffer(pointer: colsBase)
                // Rows (output frames of all utterances) in parallel chunks.
                ParallelLoop.forEachChunk(count: batch * frames, work: batch * frames * width) { rows in
                    for r in rows {
                        let (b, t) = r.quotientAndRemainder(dividingBy: frames)
                        for k in 0..<kernelSize {
                            let target = cols.pointer + r * width + k * inChannels
                            let source = t * stride - padding + k * dilation
                            if source >= 0, source < length {
                                target.update(from: x.pointer + (b * length + source) * inChannels, count: inChannels)
                            } else {
                                target.update(repeating: 0, count: inChannels)
                            }
                        }
                    }
                }
            }
        }
    }

    private func dimensions(of input: Tensor) throws -> (batch: Int, length: Int) {
        let expected = "[batch, time, \(inChannels)] or [time, \(inChannels)]"
        switch input.rank {
        case 2 where input.shape[1] == inChannels: return (1, input.shape[0])
        case 3 where input.shape[2] == inChannels: return (input.shape[0], input.shape[1])
        default: throw NeuralCoreError.shapeMismatch(layer: name, expected: expected, got: input.shape)
        }
    }
}
