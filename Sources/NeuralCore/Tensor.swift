/// A float32 tensor: a shape and its values in row-major (C) order.
///
/// Sequence data is time-major: a batch of feature sequences has shape [batch, time, channels],
/// so one frame's channels are contiguous (what im2col and the .npy files want).
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(
            shape.reduce(1, *) == values.count, "shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)"
        )
        self.shape = shape
        self.values = values
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, values: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    public var count: Int { values.count }
    public var rank: Int { shape.count }
}

/// Errors of the neural core; each names the layer or tensor, the shapes and what is valid.
public enum NeuralCoreError: Error, CustomStringConvertible, Equatable {
    case shapeMismatch(layer: String, expected: String, got: [Int])
    case invalidParameter(layer: String, name: String, value: String, valid: String)
    case tooShort(layer: String, length: Int, required: Int)

    public var description: String {
        switch self {
        case .shapeMismatch(let layer, let expected, let got):
            return "layer \(layer): input shape \(got) does not fit; expected \(expected)"
        case .invalidParameter(let layer, let name, let value, let valid):
            return "layer \(layer): \(name) \(value) is invalid; valid: \(valid)"
        case .tooShort(let layer, let length, let required):
            return "layer \(layer): the input has \(length) frames, fewer than the \(required) its kernel needs"
        }
    }
}
