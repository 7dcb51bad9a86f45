import Foundation
import NeuralCore
import SeededRandom

/// Trains an `ImageClassifier` with softmax cross-entropy and Adam: the training split in a
/// seeded random order each epoch, mini-batches of `batchSize`, the validation accuracy after
/// every epoch, and the weights of the epoch with the best validation accuracy kept (the
/// test split is never looked at).
public struct ClassifierTraining: Sendable {
    public struct Options: Equatable, Sendable {
        public var epochs = 40
        public var batchSize = 32
        /// Adam's step; 3e-3 trains the digit network in 40 epochs without divergence.
        public var learningRate = 3e-3
        public var seed: UInt64 = 1

        public init() {}
    }

    public struct Epoch: Equatable, Sendable, Codable {
        public var epoch: Int
        public var loss: Double
        public var validationAccuracy: Double
    }

    public let options: Options

    public init(options: Options) throws {
        guard options.epochs >= 1 else {
            throw ExplainerError.invalidOption(name: "--epochs", value: String(options.epochs), valid: "1 or more")
        }
        guard options.batchSize >= 1 else {
            throw ExplainerError.invalidOption(
                name: "--batch-size", value: String(options.batchSize), valid: "1 or more")
        }
        guard options.learningRate > 0, options.learningRate.isFinite else {
            throw ExplainerError.invalidOption(
                name: "--learning-rate", value: String(options.learningRate), valid: "a positive number")
        }
        self.options = options
    }

    /// Mean cross-entropy of `logits` [n, classes] against `labels`, and its gradient.
    public static func crossEntropy(_ logits: Tensor, labels: [Int]) -> (loss: Double, gradient: Tensor) {
        let classes = logits.shape[1]
        var gradient = logits
        var loss = 0.0
        for (row, label) in labels.enumerated() {
            let slice = logits.values[(row * classes)..<((row + 1) * classes)]
            let peak = slice.max() ?? 0
            let exps = slice.map { Double(exp($0 - peak)) }
            let total = exps.reduce(0, +)
            loss -= log(exps[label] / total)
            for k in 0..<classes {
                let p = exps[k] / total
                gradient.values[row * classes + k] = Float((p - (k == label ? 1 : 0)) / Double(labels.count))
            }
        }
        return (loss / Double(labels.count), gradient)
    }

    /// Accuracy on `indices`.
    public static func accuracy(_ model: ImageClassifier, _ data: ImageDataset, _ indices: [Int]) throws -> Double {
        guard !indices.isEmpty else { return 0 }
        var correct = 0
        for start in stride(from: 0, to: indices.count, by: 256) {
            let part = Array(indices[start..<min(start + 256, indices.count)])
            let logits = try model.logits(data.batch(part, scale: model.config.pixelScale))
            let classes = model.classCount
            for (row, index) in part.enumerated() {
                let scores = logits.values[(row * classes)..<((row + 1) * classes)]
                let predicted = scores.indices.max { scores[$0] < scores[$1] }.map { $0 - row * classes }
                if predicted == data.labels[index] { correct += 1 }
            }
        }
        return Double(correct) / Double(indices.count)
    }

    /// Trains `model` on `data`; `progress` is called after each epoch. With `keepBest` the
    /// weights of the best validation epoch are kept, else the last epoch's.
    public func train(
        _ model: ImageClassifier, on data: ImageDataset, keepBest: Bool = true, progress: (Epoch) -> Void
    ) throws -> [Epoch] {
        try model.check(data.batch([0], scale: 1), path: data.directory.appendingPathComponent("images.npy").path)
        if let bad = data.labels.first(where: { $0 < 0 || $0 >= model.classCount }) {
            throw ExplainerError.invalidDataset(
                path: data.directory.appendingPathComponent("labels.npy").path,
                reason: "label \(bad); valid: 0 to \(model.classCount - 1)")
        }
        let train = data.indices(of: .train)
        let validation = data.indices(of: .validation)
        guard !train.isEmpty else {
            throw ExplainerError.invalidDataset(path: data.directory.path, reason: "the train split is empty")
        }
        var generator = SeededGenerator(seed: options.seed)
        var adam = try Adam(learningRate: options.learningRate)
        var history: [Epoch] = []
        var best: (accuracy: Double, weights: [Tensor])?
        for epoch in 1...options.epochs {
            let order = generator.shuffled(train)
            var total = 0.0
            for start in stride(from: 0, to: order.count, by: options.batchSize) {
                let part = Array(order[start..<min(start + options.batchSize, order.count)])
                model.network.zeroGradients()
                let logits = try model.network.forward(data.batch(part, scale: model.config.pixelScale))
                let (loss, gradient) = Self.crossEntropy(logits, labels: part.map { data.labels[$0] })
                model.network.backward(gradient)
                adam.step(model.parameters)
                total += loss * Double(part.count)
            }
            let accuracy = try Self.accuracy(model, data, validation)
            let record = Epoch(epoch: epoch, loss: total / Double(order.count), validationAccuracy: accuracy)
            history.append(record)
            progress(record)
            if best == nil || accuracy > best?.accuracy ?? 0 {
                best = (accuracy, model.parameters.map(\.value))
            }
        }
        if keepBest, let best {
            for (parameter, value) in zip(model.parameters, best.weights) { parameter.value = value }
        }
        return history
    }
}
