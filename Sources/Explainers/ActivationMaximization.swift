import Foundation
import NeuralCore
import SeededRandom

/// Activation maximisation (Erhan et al. 2009; the regularisers of Olah et al. 2017, "Feature
/// Visualization"): the input that drives one unit hardest, found by gradient ascent from a
/// seeded random start, kept plausible by
/// - an L2 penalty `l2` * |x|^2 (small inputs);
/// - total variation `smoothness` * sum |x(i+1, j) - x(i, j)| + |x(i, j+1) - x(i, j)|, which
///   penalises high spatial frequencies (a frequency penalty);
/// - jitter: each step the image is shifted by up to `jitter` pixels (circularly; along the
///   rows only unless `jitterColumns`) before the gradient is taken and shifted back after, so
///   the result must work at nearby positions;
/// - clipping to the input range [`low`, `high`].
/// The unit is a class score (a logit of the last layer) or the mean activation of one channel
/// of a named layer. Adam (learning rate `learningRate`) takes `steps` steps.
public struct ActivationMaximization: Sendable {
    public enum Unit: Equatable, Sendable {
        case classScore(Int)
        case channel(layer: String, index: Int)
    }

    public var steps = 200
    public var learningRate = 0.05
    public var l2: Float = 0.01
    public var smoothness: Float = 0.02
    public var jitter = 1
    /// Whether jitter also shifts along the width; a spectrogram [frames, bins] is shifted in
    /// time only, since a circular shift in frequency would move energy from the top band to the bottom.
    public var jitterColumns = true
    public var low: Float = 0
    public var high: Float = 1
    public var seed: UInt64 = 1

    public init() {}

    /// The maximising input [1, height, width, channels] and the unit's value there.
    public func run(network: Sequential, unit: Unit, shape: [Int]) throws -> (input: Tensor, value: Float) {
        guard steps >= 1 else {
            throw ExplainerError.invalidOption(name: "--steps", value: String(steps), valid: "1 or more")
        }
        let layers: [Layer]
        var channel = 0
        switch unit {
        case .classScore(let index):
            layers = network.layers
            channel = index
        case .channel(let name, let index):
            guard let position = network.layers.firstIndex(where: { $0.name == name }) else {
                throw ExplainerError.unknownLayer(name: name, valid: network.layers.map(\.name))
            }
            layers = Array(network.layers[...position])
            channel = index
        }
        let prefix = try Sequential(layers)
        var generator = SeededGenerator(seed: seed)
        let (height, width, channels) = (shape[1], shape[2], shape[3])
        var x = Tensor(
            shape: [1, height, width, channels],
            values: (0..<(height * width * channels)).map { _ in
                low + (high - low) * (0.4 + 0.2 * generator.unitFloat())
            })
        let probe = try prefix.forward(x)
        let outputChannels = probe.shape[probe.rank - 1]
        guard channel >= 0, channel < outputChannels else {
            throw ExplainerError.targetOutOfRange(target: channel, classes: outputChannels)
        }
        /// The unit: the mean of its channel over the output's positions.
        func unitValue(_ output: Tensor) -> Float {
            let positions = output.count / outputChannels
            return (0..<positions).reduce(Float(0)) { $0 + output.values[$1 * outputChannels + channel] }
                / Float(positions)
        }
        var adam = try Adam(learningRate: learningRate)
        let parameter = Parameter(name: "input", value: x)
        for _ in 0..<steps {
            let dy = jitter > 0 ? generator.integer(in: -jitter...jitter) : 0
            let dx = jitter > 0 && jitterColumns ? generator.integer(in: -jitter...jitter) : 0
            let shifted = Self.rolled(parameter.value, dy, dx)
            let pass = try ModifiedBackward(network: prefix, composite: .gradient).run(shifted) { output in
                var seed = Tensor(zeros: output.shape)
                let positions = output.count / outputChannels
                for p in 0..<positions { seed.values[p * outputChannels + channel] = 1 / Float(positions) }
                return seed
            }
            let ascent = Self.rolled(pass.input, -dy, -dx)
            // Minimise -unit + penalties: the gradient of the penalties, minus the ascent.
            var gradient = Tensor(zeros: x.shape)
            let v = parameter.value.values
            for i in gradient.values.indices { gradient.values[i] = -ascent.values[i] + 2 * l2 * v[i] }
            if smoothness > 0 {
                for c in 0..<channels {
                    for i in 0..<height {
                        for j in 0..<width {
                            let here = (i * width + j) * channels + c
                            if i + 1 < height {
                                let below = ((i + 1) * width + j) * channels + c
                                let sign: Float = v[below] > v[here] ? 1 : v[below] < v[here] ? -1 : 0
                                gradient.values[here] -= smoothness * sign
                                gradient.values[below] += smoothness * sign
                            }
                            if j + 1 < width {
                                let right = (i * width + j + 1) * channels + c
                                let sign: Float = v[right] > v[here] ? 1 : v[right] < v[here] ? -1 : 0
                                gradient.values[here] -= smoothness * sign
                                gradient.values[right] += smoothness * sign
                            }
                        }
                    }
                }
            }
            parameter.gradient = gradient
            adam.step([parameter])
            parameter.value.values = parameter.value.values.map { min(max($0, low), high) }
        }
        x = parameter.value
        return (x, unitValue(try prefix.forward(x)))
    }

    /// The image shifted circularly by (dy, dx) pixels.
    static func rolled(_ image: Tensor, _ dy: Int, _ dx: Int) -> Tensor {
        guard dy != 0 || dx != 0 else { return image }
        let (height, width, channels) = (image.shape[1], image.shape[2], image.shape[3])
        var out = image
        for i in 0..<height {
            for j in 0..<width {
                let y = ((i + dy) % height + height) % height
                let x = ((j + dx) % width + width) % width
                for c in 0..<channels {
                    out.values[(y * width + x) * channels + c] = image.values[(i * width + j) * channels + c]
                }
            }
        }
        return out
    }
}
