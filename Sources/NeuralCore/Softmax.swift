import Foundation

/// Softmax over the last dimension: y_i = exp(x_i - max x) / sum_j exp(x_j - max x).
public final class Softmax: Layer, @unchecked Sendable {
    public let name: String
    private var output: Tensor?

    public init(name: String) { self.name = name }

    public func forward(_ input: Tensor) throws -> Tensor {
        let y = Softmax.apply(input, logarithm: false)
        output = y
        return y
    }

    /// dx_i = y_i (dy_i - sum_j dy_j y_j).
    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let output, let width = output.shape.last, width > 0 else { return outputGradient }
        var gradient = outputGradient
        for row in stride(from: 0, to: output.count, by: width) {
            var dot: Float = 0
            for i in row..<(row + width) { dot += outputGradient.values[i] * output.values[i] }
            for i in row..<(row + width) { gradient.values[i] = output.values[i] * (outputGradient.values[i] - dot) }
        }
        return gradient
    }

    /// Softmax or log-softmax of every row (last dimension), stable by subtracting the row max.
    static func apply(_ input: Tensor, logarithm: Bool) -> Tensor {
        guard let width = input.shape.last, width > 0 else { return input }
        var output = input
        for row in stride(from: 0, to: input.count, by: width) {
            let values = input.values[row..<(row + width)]
            let peak = values.max() ?? 0
            var sum: Float = 0
            for v in values { sum += exp(v - peak) }
            let logSum = log(sum)
            for i in row..<(row + width) {
                // (x - max) - log sum keeps precision when |x| is large.
                let shifted = (input.values[i] - peak) - logSum
                output.values[i] = logarithm ? shifted : exp(shifted)
            }
        }
        return output
    }
}

/// Log-softmax over the last dimension: y_i = x_i - log sum_j exp(x_j) (computed stably).
public final class LogSoftmax: Layer, @unchecked Sendable {
    public let name: String
    private var output: Tensor?

    public init(name: String) { self.name = name }

    public func forward(_ input: Tensor) throws -> Tensor {
        let y = Softmax.apply(input, logarithm: true)
        output = y
        return y
    }

    /// dx_i = dy_i - exp(y_i) sum_j dy_j.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let output, let width = output.shape.last, width > 0 else { return outputGradient }
        var gradient = outputGradient
        for row in stride(from: 0, to: output.count, by: width) {
            var sum: Float = 0
            for i in row..<(row + width) { sum += outputGradient.values[i] }
            for i in row..<(row + width) { gradient.values[i] = outputGradient.values[i] - exp(output.values[i]) * sum }
        }
        return gradient
    }
}
