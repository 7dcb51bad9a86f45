import Foundation
import NeuralCore
import Recognizer

/// What to explain in a CTC recogniser, as a network whose output is a score per class, so
/// every image explainer applies unchanged to a spectrogram.
///
/// The recogniser's layers are wrapped: a reshape in front takes the spectrogram as an image
/// [batch, frames, bins, 1] (so occlusion windows span time x frequency), and an objective
/// layer at the end turns the logits [batch, outputFrames, classes] into scores:
/// - `letter(frame:)`: the log-probability log softmax(logits[frame])[c] of every class c at
///   one output frame (explain class c: "why the letter c here?"); relevance methods take the
///   logit itself, since LRP distributes a positive score.
/// - `transcript(labels)`: the CTC log-likelihood log p(transcript | input) as the one score
///   (class 0): "what makes the model hear this sentence?".
public enum SpeechObjective: Sendable, Equatable {
    case letter(frame: Int)
    case transcript([Int])

    /// The wrapped network, the number of scores, and the layer names of the recogniser (for
    /// Grad-CAM).
    public func network(for recognizer: Recognizer, frames: Int, relevance: Bool = false) throws -> (
        network: Sequential, classCount: Int
    ) {
        let bins = recognizer.config.numFeatures
        let output: Layer
        let classes = recognizer.alphabet.count
        switch self {
        case .letter(let frame):
            let outputFrames = recognizer.outputLength(frames)
            guard frame >= 0, frame < outputFrames else {
                throw ExplainerError.invalidOption(
                    name: "--frame", value: String(frame), valid: "an output frame 0 to \(outputFrames - 1)")
            }
            output = FrameScores(name: "objective", frame: frame, logarithm: !relevance)
        case .transcript(let labels):
            output = TranscriptLikelihood(name: "objective", labels: labels, blank: recognizer.alphabet.blankIndex)
        }
        let layers: [Layer] = [SpectrogramInput(name: "spectrogram", bins: bins)] + recognizer.network.layers + [output]
        recognizer.setTraining(false)
        return (try Sequential(layers), isLetter ? classes : 1)
    }

    var isLetter: Bool {
        if case .letter = self { return true }
        return false
    }

    /// The recogniser as an image network with no objective: a spectrogram image
    /// [batch, frames, bins, 1] in, every layer's output named as the recogniser names it
    /// (for activation maximisation of a unit). Dropout is switched off.
    public static func imageNetwork(for recognizer: Recognizer) throws -> Sequential {
        recognizer.setTraining(false)
        return try Sequential(
            [SpectrogramInput(name: "spectrogram", bins: recognizer.config.numFeatures)] + recognizer.network.layers)
    }
}

/// [batch, frames, bins, 1] -> [batch, frames, bins] and back.
final class SpectrogramInput: Layer, @unchecked Sendable {
    let name: String
    let bins: Int
    private var shape: [Int] = []

    init(name: String, bins: Int) {
        self.name = name
        self.bins = bins
    }

    func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank == 4, input.shape[2] == bins, input.shape[3] == 1 else {
            throw NeuralCoreError.shapeMismatch(layer: name, expected: "[batch, frames, \(bins), 1]", got: input.shape)
        }
        shape = input.shape
        return Tensor(shape: Array(input.shape.prefix(3)), values: input.values)
    }

    func backward(_ outputGradient: Tensor) -> Tensor { Tensor(shape: shape, values: outputGradient.values) }
}

/// The scores of one output frame: log-softmax (or the logits) of logits[:, frame, :].
final class FrameScores: Layer, @unchecked Sendable {
    let name: String
    let frame: Int
    let logarithm: Bool
    private var inputShape: [Int] = []
    private var probabilities: [Float] = []

    init(name: String, frame: Int, logarithm: Bool) {
        self.name = name
        self.frame = frame
        self.logarithm = logarithm
    }

    func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank == 3, frame < input.shape[1] else {
            throw NeuralCoreError.shapeMismatch(
                layer: name, expected: "[batch, > \(frame) frames, classes]", got: input.shape)
        }
        inputShape = input.shape
        let (batch, frames, classes) = (input.shape[0], input.shape[1], input.shape[2])
        var output = Tensor(zeros: [batch, classes])
        probabilities = [Float](repeating: 0, count: batch * classes)
        for b in 0..<batch {
            let row = Array(input.values[((b * frames + frame) * classes)..<((b * frames + frame + 1) * classes)])
            let peak = row.max() ?? 0
            let total = row.reduce(0.0) { $0 + exp(Double($1 - peak)) }
            for k in 0..<classes {
                let logProbability = Double(row[k] - peak) - log(total)
                probabilities[b * classes + k] = Float(exp(logProbability))
                output.values[b * classes + k] = logarithm ? Float(logProbability) : row[k]
            }
        }
        return output
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        let (batch, frames, classes) = (inputShape[0], inputShape[1], inputShape[2])
        var gradient = Tensor(zeros: inputShape)
        for b in 0..<batch {
            let g = outputGradient.values[(b * classes)..<((b + 1) * classes)]
            let sum = g.reduce(0, +)
            for k in 0..<classes {
                // d log p_j / d z_k = delta_jk - p_k.
                let value = logarithm ? g[b * classes + k] - probabilities[b * classes + k] * sum : g[b * classes + k]
                gradient.values[(b * frames + frame) * classes + k] = value
            }
        }
        return gradient
    }
}

/// log p(labels | input) under CTC, one score per batch row.
final class TranscriptLikelihood: Layer, @unchecked Sendable {
    let name: String
    let labels: [Int]
    let blank: Int
    private var gradient: Tensor?

    init(name: String, labels: [Int], blank: Int) {
        self.name = name
        self.labels = labels
        self.blank = blank
    }

    func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank == 3 else {
            throw NeuralCoreError.shapeMismatch(layer: name, expected: "[batch, frames, classes]", got: input.shape)
        }
        let (batch, frames) = (input.shape[0], input.shape[1])
        let result = try CTC.loss(
            logits: input, lengths: [Int](repeating: frames, count: batch),
            targets: [[Int]](repeating: labels, count: batch), blank: blank)
        gradient = result.gradient
        return Tensor(shape: [batch, 1], values: result.losses.map { -$0 })
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        guard var gradient else { preconditionFailure("\(name): backward before forward") }
        let perRow = gradient.count / max(1, outputGradient.count)
        for i in gradient.values.indices { gradient.values[i] *= -outputGradient.values[i / perRow] }
        return gradient
    }
}
