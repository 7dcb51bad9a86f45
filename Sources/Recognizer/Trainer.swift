import AudioFeatures
import Corpus
import Foundation
import NeuralCore
import PhonoscopeIO
import SeededRandom

/// Settings of a training run; stored in every checkpoint so that `--resume` continues the
/// same run (and refuses a different one).
public struct TrainingOptions: Sendable, Codable, Equatable {
    public var epochs: Int = 12
    public var batchSize: Int = 16
    /// Peak Adam learning rate, reached after `warmupSteps` of linear warm-up and then decayed
    /// along a half cosine to `finalLearningRate` at the last step.
    public var learningRate: Double = 6e-4
    public var finalLearningRate: Double = 2e-5
    public var warmupSteps: Int = 300
    /// Gradient-norm clipping threshold (`clip_grad_norm_`).
    public var clipNorm: Float = 2
    public var seed: UInt64 = 1
    /// A checkpoint every this many steps (and at each epoch's end and on SIGINT).
    public var checkpointEvery: Int = 200
    /// Dev utterances decoded for the per-epoch CER (the first ones by id; 0 for all).
    public var devLimit: Int = 200
    /// Training utterances used (the first ones by id; 0 for all).
    public var trainLimit: Int = 0
    public var augmentation = Augmentation()
    /// Stop after this many steps in this invocation (0: no limit); for tests and smoke runs.
    public var maxSteps: Int = 0

    public init() {}

    public func validate() throws {
        let checks: [(String, Bool, String, String)] = [
            ("--epochs", epochs >= 1, String(epochs), "1 or more"),
            ("--batch-size", batchSize >= 1, String(batchSize), "1 or more"),
            ("--learning-rate", learningRate > 0 && learningRate.isFinite, String(learningRate), "a positive number"),
            ("--warmup-steps", warmupSteps >= 0, String(warmupSteps), "0 or more"),
            ("--clip-norm", clipNorm > 0, String(clipNorm), "a positive number"),
            ("--checkpoint-every", checkpointEvery >= 1, String(checkpointEvery), "1 or more"),
        ]
        for (name, ok, value, valid) in checks where !ok {
            throw RecognizerError.invalidOption(name: name, value: value, valid: valid)
        }
    }

    /// The learning rate at (0-based) `step` of `totalSteps`.
    public func learningRate(step: Int, totalSteps: Int) -> Double {
        if step < warmupSteps { return learningRate * Double(step + 1) / Double(warmupSteps) }
        let span = max(1, totalSteps - warmupSteps)
        let progress = min(1, Double(step - warmupSteps) / Double(span))
        return finalLearningRate + (learningRate - finalLearningRate) * 0.5 * (1 + cos(Double.pi * progress))
    }

    /// Options that may differ on `--resume` without changing the run.
    func sameRun(as other: TrainingOptions) -> Bool {
        var a = self
        var b = other
        a.maxSteps = 0
        b.maxSteps = 0
        a.checkpointEvery = 1
        b.checkpointEvery = 1
        return a == b
    }
}

/// One finished epoch, as the log and the model's README report it.
public struct EpochRecord: Sendable, Codable, Equatable {
    public var epoch: Int
    public var trainLoss: Double
    public var devCER: Double
    public var devWER: Double
    public var seconds: Double
    public var skippedBatches: Int
}

/// Where a run stands: saved in the checkpoint's metadata.
public struct TrainingState: Sendable, Codable, Equatable {
    public var corpus: String
    public var architecture: String
    public var options: TrainingOptions
    /// Steps done over the whole run.
    public var step = 0
    public var epoch = 0
    /// Batches of `epoch` already done.
    public var batchInEpoch = 0
    public var epochLossSum = 0.0
    public var epochLossCount = 0
    public var skippedBatches = 0
    public var seconds = 0.0
    public var history: [EpochRecord] = []
}

/// What the trainer reports while it runs.
public enum TrainingEvent: Sendable {
    case prepared(train: Int, dev: Int, skipped: [String], trainSeconds: Double)
    case step(done: Int, total: Int, loss: Double, learningRate: Double, framesPerSecond: Double)
    case skippedBatch(step: Int, reason: String)
    case epoch(EpochRecord)
    case checkpoint(step: Int, path: String)
}

/// CTC training of a `Recognizer` on a corpus's `train` split with Adam, warm-up and cosine
/// decay, gradient clipping, length buckets, augmentation, a dev CER per epoch, checkpoints
/// and an exact resume.
///
/// Output directory: the model (`config.json`, `model.safetensors`) rewritten after each epoch,
/// `checkpoint.safetensors` (weights, Adam state, and the `TrainingState` as JSON metadata, one
/// file written atomically, so a failed write leaves the previous checkpoint whole) and
/// `training.json` (the history).
public final class Trainer: @unchecked Sendable {
    public static let checkpointFile = "checkpoint.safetensors"
    public static let historyFile = "training.json"

    public let recognizer: Recognizer
    public let output: URL
    private let extractor: FeatureExtractor
    private var optimizer: Adam
    private var state: TrainingState
    private let train: [TrainingUtterance]
    private let dev: [TrainingUtterance]
    private let buckets: LengthBuckets
    private let report: (TrainingEvent) -> Void

    /// Loads and checks the data (every transcript inside the alphabet, every utterance longer
    /// than the receptive field) and, with `resume`, the checkpoint in `output`.
    public init(
        recognizer: Recognizer, corpus: SpeechCorpus, options: TrainingOptions, output: URL, resume: Bool,
        report: @escaping (TrainingEvent) -> Void
    ) throws {
        try options.validate()
        guard let features = recognizer.featureConfiguration else {
            throw RecognizerError.noFeaturePreset(source: "the model to train")
        }
        self.recognizer = recognizer
        recognizer.computesInputGradient = false  // nothing learns from the features' gradient
        self.output = output
        self.report = report
        let extractor = try FeatureExtractor(features)
        self.extractor = extractor
        optimizer = try Adam(learningRate: options.learningRate)
        state = TrainingState(
            corpus: corpus.directory.standardizedFileURL.path, architecture: recognizer.config.architecture,
            options: options)

        var skipped: [String] = []
        func load(_ split: String, limit: Int) throws -> [TrainingUtterance] {
            var entries = corpus.entries(split: split).sorted { $0.id < $1.id }
            if limit > 0 { entries = Array(entries.prefix(limit)) }
            var result: [TrainingUtterance] = []
            for entry in entries {
                let source = corpus.audioURL(for: entry).path
                let labels = try recognizer.alphabet.encode(entry.text, source: "\(source) transcript")
                let signal = try corpus.signal(for: entry, sampleRate: features.sampleRate)
                let matrix = try extractor.features(of: signal, source: source)
                guard matrix.frameCount >= recognizer.receptiveField,
                    recognizer.outputLength(matrix.frameCount) >= labels.count
                else {
                    skipped.append(entry.id)
                    continue
                }
                result.append(
                    TrainingUtterance(
                        id: entry.id, text: entry.text, samples: signal.samples, features: matrix, labels: labels))
            }
            return result
        }
        train = try load("train", limit: options.trainLimit)
        guard !train.isEmpty else {
            let reason =
                corpus.entries(split: "train").isEmpty
                ? "the manifest has no utterance with split \"train\""
                : "every one is shorter than the receptive field (\(recognizer.receptiveField) frames) or its transcript"
            throw RecognizerError.noUtterances(corpus: corpus.directory.path, split: "train", reason: reason)
        }
        dev = try load("dev", limit: options.devLimit)
        buckets = LengthBuckets(lengths: train.map(\.features.frameCount), batchSize: options.batchSize)
        let trainSeconds = train.reduce(0.0) { $0 + Double($1.samples.count) } / Double(features.sampleRate)
        report(.prepared(train: train.count, dev: dev.count, skipped: skipped, trainSeconds: trainSeconds))
        if resume { try loadCheckpoint(options: options) }
    }

    public var trainingState: TrainingState { state }

    private var totalSteps: Int { state.options.epochs * buckets.batches.count }

    /// Trains until the last epoch, `maxSteps`, or `shouldStop()` (checked between steps; then a
    /// checkpoint is written). Returns true when every epoch is done.
    @discardableResult
    public func run(shouldStop: () -> Bool = { false }) throws -> Bool {
        var stepsThisRun = 0
        let parameters = recognizer.parameters
        while state.epoch < state.options.epochs {
            let batches = buckets.order(epoch: state.epoch, seed: state.options.seed)
            let epochStart = Date()
            while state.batchInEpoch < batches.count {
                if shouldStop() || (state.options.maxSteps > 0 && stepsThisRun >= state.options.maxSteps) {
                    try saveCheckpoint()
                    return false
                }
                let started = Date()
                let learningRate = state.options.learningRate(step: state.step, totalSteps: totalSteps)
                optimizer.learningRate = learningRate
                let batch = batches[state.batchInEpoch]
                let result = try step(batch: batch, parameters: parameters)
                switch result {
                case .success(let loss, let frames):
                    state.epochLossSum += loss
                    state.epochLossCount += 1
                    let seconds = Date().timeIntervalSince(started)
                    report(
                        .step(
                            done: state.step + 1, total: totalSteps,
                            loss: state.epochLossSum / Double(state.epochLossCount),
                            learningRate: learningRate, framesPerSecond: Double(frames) / max(seconds, 1e-9)))
                case .skipped(let reason):
                    state.skippedBatches += 1
                    report(.skippedBatch(step: state.step + 1, reason: reason))
                }
                state.seconds += Date().timeIntervalSince(started)
                state.step += 1
                state.batchInEpoch += 1
                stepsThisRun += 1
                if state.step % state.options.checkpointEvery == 0 { try saveCheckpoint() }
            }
            let evaluation = try Evaluation.run(recognizer: recognizer, utterances: dev)
            let record = EpochRecord(
                epoch: state.epoch + 1,
                trainLoss: state.epochLossCount > 0 ? state.epochLossSum / Double(state.epochLossCount) : .nan,
                devCER: evaluation.cer, devWER: evaluation.wer, seconds: Date().timeIntervalSince(epochStart),
                skippedBatches: state.skippedBatches)
            state.history.append(record)
            state.epoch += 1
            state.batchInEpoch = 0
            state.epochLossSum = 0
            state.epochLossCount = 0
            state.skippedBatches = 0
            report(.epoch(record))
            try recognizer.save(to: output, metadata: ["training": "epoch \(state.epoch) of \(state.options.epochs)"])
            try saveCheckpoint()
        }
        return true
    }

    enum StepResult {
        case success(loss: Double, frames: Int)
        case skipped(reason: String)
    }

    /// One optimiser step on `batch` (indices into `train`).
    private func step(batch: [Int], parameters: [Parameter]) throws -> StepResult {
        let utterances = batch.map { train[$0] }
        var features = [FeatureMatrix](repeating: FeatureMatrix(frameCount: 0, binCount: 0), count: utterances.count)
        let augmentation = state.options.augmentation
        let seed = state.options.seed
        let epoch = UInt64(state.epoch)
        let failure = FirstError()
        features.withUnsafeMutableBufferPointer { buffer in
            let slots = SendableFeatureSlots(buffer)
            DispatchQueue.concurrentPerform(iterations: utterances.count) { i in
                var generator = SeededGenerator(seed: TrainingSeeds.mix(seed, epoch, UInt64(batch[i])))
                do {
                    slots.set(
                        i,
                        try augmentation.isIdentity
                            ? utterances[i].features
                            : augmentation.features(of: utterances[i], extractor: extractor, generator: &generator))
                } catch {
                    failure.record(error)
                }
            }
        }
        try failure.rethrow()

        let bins = recognizer.config.numFeatures
        let longest = features.map(\.frameCount).max() ?? 0
        var input = Tensor(zeros: [utterances.count, longest, bins])
        for (i, matrix) in features.enumerated() {
            let base = i * longest * bins
            for j in 0..<matrix.values.count { input.values[base + j] = matrix.values[j] }
        }
        recognizer.setTraining(true)
        let logits = try recognizer.network.forward(input)
        let frames = logits.shape[1]
        let classes = logits.shape[2]
        var (losses, gradient) = try CTC.loss(
            logits: logits, lengths: features.map { recognizer.outputLength($0.frameCount) },
            targets: utterances.map(\.labels), blank: recognizer.alphabet.blankIndex)
        var lossSum = 0.0
        var counted = 0
        var tooShort: [String] = []
        let weight = 1 / Float(utterances.count)
        for (i, loss) in losses.enumerated() {
            // An infeasible utterance has +infinity and zero gradient already.
            if loss.isInfinite {
                tooShort.append(utterances[i].id)
                continue
            }
            guard loss.isFinite else { return .skipped(reason: "CTC loss is \(loss) for \(utterances[i].id)") }
            // PyTorch's reduction "mean": each loss over its target length, averaged over the batch.
            let targetLength = max(1, utterances[i].labels.count)
            let scale = weight / Float(targetLength)
            lossSum += Double(loss) / Double(targetLength)
            counted += 1
            let offset = i * frames * classes
            for j in offset..<(offset + frames * classes) { gradient.values[j] *= scale }
        }
        guard counted > 0 else {
            return .skipped(
                reason: "every utterance is too short for its transcript (\(tooShort.joined(separator: ", ")))")
        }
        recognizer.network.zeroGradients()
        recognizer.network.backward(gradient)
        let norm = GradientClipping.clipNorm(parameters, maxNorm: state.options.clipNorm)
        guard norm.isFinite else {
            recognizer.network.zeroGradients()
            return .skipped(reason: "gradient norm is \(norm)")
        }
        optimizer.step(parameters)
        return .success(loss: lossSum / Double(counted), frames: features.reduce(0) { $0 + $1.frameCount })
    }

    // MARK: - Checkpoints

    private var checkpointURL: URL { output.appendingPathComponent(Self.checkpointFile) }

    /// NaN and infinities in the state and history JSON, as the strings "NaN", "Infinity", "-Infinity".
    static let nonFiniteNumbers = (
        encoding: JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN"),
        decoding: JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    )

    /// Weights, Adam state and the run's state in one safetensors file, written atomically.
    public func saveCheckpoint() throws {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        var tensors: [String: Tensor] = [:]
        for parameter in recognizer.parameters { tensors["model." + parameter.name] = parameter.value }
        for (key, tensor) in optimizer.state() { tensors[key] = tensor }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // An epoch whose batches were all skipped has a NaN train loss; JSON has no NaN.
        encoder.nonConformingFloatEncodingStrategy = Self.nonFiniteNumbers.encoding
        let stateJSON = String(decoding: try encoder.encode(state), as: UTF8.self)
        let configJSON = String(decoding: try encoder.encode(recognizer.config), as: UTF8.self)
        try SafeTensors(tensors: tensors, metadata: ["state": stateJSON, "config": configJSON]).write(to: checkpointURL)
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try encoder.encode(state.history), to: output.appendingPathComponent(Self.historyFile))
        report(.checkpoint(step: state.step, path: checkpointURL.path))
    }

    private func loadCheckpoint(options: TrainingOptions) throws {
        let path = checkpointURL.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw RecognizerError.checkpoint(path: path, reason: "no checkpoint to resume from; start without --resume")
        }
        let checkpoint = try SafeTensors(contentsOf: checkpointURL)
        guard let stateJSON = checkpoint.metadata["state"], let configJSON = checkpoint.metadata["config"] else {
            throw RecognizerError.checkpoint(path: path, reason: "not a phonoscope checkpoint (no \"state\" metadata)")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = Self.nonFiniteNumbers.decoding
        let saved = try decoder.decode(TrainingState.self, from: Data(stateJSON.utf8))
        let config = try JSONDecoder().decode(RecognizerConfig.self, from: Data(configJSON.utf8))
        guard config == recognizer.config else {
            throw RecognizerError.checkpoint(
                path: path,
                reason: "it was made for architecture \"\(config.architecture)\" with other layers or labels")
        }
        guard saved.options.sameRun(as: options), saved.corpus == state.corpus else {
            throw RecognizerError.checkpoint(
                path: path,
                reason: "it belongs to another run (corpus \(saved.corpus), options \(saved.options)); resume with the "
                    + "same options or train into a new directory")
        }
        var weights: [String: Tensor] = [:]
        for (key, tensor) in checkpoint.tensors where key.hasPrefix("model.") {
            weights[String(key.dropFirst("model.".count))] = tensor
        }
        try recognizer.load(weights: SafeTensors(tensors: weights), path: path)
        try optimizer.load(state: checkpoint.tensors)
        state = saved
        state.options = options
    }
}

/// Lets `concurrentPerform` fill distinct slots of one buffer.
private struct SendableFeatureSlots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<FeatureMatrix>
    init(_ buffer: UnsafeMutableBufferPointer<FeatureMatrix>) { self.buffer = buffer }
    func set(_ index: Int, _ value: FeatureMatrix) { buffer[index] = value }
}

/// The first error thrown by any of several concurrent workers.
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?

    func record(_ error: Error) {
        lock.lock()
        if self.error == nil { self.error = error }
        lock.unlock()
    }

    func rethrow() throws {
        lock.lock()
        defer { lock.unlock() }
        if let error { throw error }
    }
}
