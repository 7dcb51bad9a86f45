import ArgumentParser
import Corpus
import Foundation
import NeuralCore
import Phonetics
import Recognizer

/// `phonoscope train`: CTC training of a Wav2Letter recogniser on a corpus, on the CPU.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a Wav2Letter recogniser with CTC on a corpus's train split (CPU, OpenBLAS).",
        discussion: """
            Batches group utterances of similar length. Adam with linear warm-up and
            cosine decay, gradient-norm clipping, and augmentation (speed perturbation,
            additive noise, time and frequency masks) drawn from the seed. After each
            epoch the dev CER is printed and the model is written to the output directory.
            A checkpoint is written every --checkpoint-every steps, at each epoch's end
            and on Ctrl-C; --resume continues exactly where it stopped (same weights as an
            uninterrupted run). Batches whose loss or gradient is not finite are skipped
            and reported.

            Examples:
              phonoscope train --corpus corpora/en --arch small -o models/en-small
              phonoscope train --corpus corpora/en --arch small -o models/en-small \\
                --resume
              phonoscope train --corpus corpora/de --arch small --init \\
                Corpora/models/en-small -o models/de-small
            """)

    @Option(help: "Corpus directory (manifest.jsonl with train and dev splits).")
    var corpus: String

    @Option(help: "Architecture: small, speechless, or a config.json.")
    var arch: String = "small"

    @Option(help: "Alphabet language for a named architecture (default: the corpus's language).")
    var language: Language?

    @Option(name: [.customShort("o"), .long], help: "Output model directory (created if missing).")
    var output: String

    @Flag(help: "Continue from the checkpoint in the output directory.")
    var resume = false

    @Option(help: "Start from this model's weights; output letters it shares are copied letter by letter.")
    var `init`: String?

    @Option(help: "Epochs over the training split.")
    var epochs: Int = 12

    @Option(help: "Utterances per batch.")
    var batchSize: Int = 16

    @Option(help: "Peak learning rate (Adam).")
    var learningRate: Double = 6e-4

    @Option(help: "Learning rate at the last step (cosine decay from the peak).")
    var finalLearningRate: Double = 2e-5

    @Option(help: "Steps of linear warm-up.")
    var warmupSteps: Int = 300

    @Option(help: "Gradient-norm clipping threshold.")
    var clipNorm: Float = 2

    @Option(help: "Seed for initial weights, batch order and augmentation.")
    var seed: UInt64 = 1

    @Option(help: "Steps between checkpoints.")
    var checkpointEvery: Int = 200

    @Option(help: "Dev utterances decoded after each epoch (0: all).")
    var devLimit: Int = 200

    @Option(help: "Use only the first N training utterances by id (0: all).")
    var trainLimit: Int = 0

    @Option(help: "Stop (with a checkpoint) after N steps in this run (0: no limit).")
    var maxSteps: Int = 0

    @Flag(help: "Train without augmentation.")
    var noAugment = false

    @Option(help: "Threads for OpenBLAS and feature extraction (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Write the final model in float16 (half the size).")
    var float16 = false

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads \(threads) is invalid; valid: 1 or more") }
    }

    func run() throws {
        ParallelLoop.setThreads(threads)
        let corpusDirectory = URL(fileURLWithPath: corpus)
        let speechCorpus = try SpeechCorpus(directory: corpusDirectory)
        let config = try Self.config(arch: arch, language: language, corpus: speechCorpus)
        let recognizer = try Recognizer(config: config, seed: seed)
        recognizer.applyHeInitialization()
        if let initial = `init`, !resume {
            let source = try Recognizer(directory: URL(fileURLWithPath: initial))
            let copied = try recognizer.initialize(from: source)
            Console.warn("initialised from \(initial): \(copied)")
        }
        var options = TrainingOptions()
        options.epochs = epochs
        options.batchSize = batchSize
        options.learningRate = learningRate
        options.finalLearningRate = finalLearningRate
        options.warmupSteps = warmupSteps
        options.clipNorm = clipNorm
        options.seed = seed
        options.checkpointEvery = checkpointEvery
        options.devLimit = devLimit
        options.trainLimit = trainLimit
        options.maxSteps = maxSteps
        if noAugment { options.augmentation = .none }

        let outputURL = URL(fileURLWithPath: output)
        let checkpoint = outputURL.appendingPathComponent(Trainer.checkpointFile)
        if !resume, FileManager.default.fileExists(atPath: checkpoint.path) {
            throw ValidationError(
                "\(checkpoint.path) exists: continue that run with --resume, or train into another directory "
                    + "(or delete it to start over)")
        }
        let bar = ProgressBar(label: "train", unit: "step")
        let trainer = try Trainer(
            recognizer: recognizer, corpus: speechCorpus, options: options, output: outputURL, resume: resume
        ) { event in
            switch event {
            case .prepared(let train, let dev, let skipped, let seconds):
                Console.warn(
                    String(
                        format: "train: %d utterances (%.2f h), dev: %d; %d parameters, %d threads", train,
                        seconds / 3600, dev, recognizer.parameterCount, threads))
                if !skipped.isEmpty {
                    Console.warn(
                        "skipped \(skipped.count) utterance(s) shorter than the receptive field or their transcript: "
                            + skipped.prefix(5).joined(separator: ", ") + (skipped.count > 5 ? ", ..." : ""))
                }
            case .step(let done, let total, let loss, let learningRate, let framesPerSecond):
                bar.update(
                    done: done, total: total,
                    detail: String(format: "loss %.3f lr %.1e %.0f frames/s", loss, learningRate, framesPerSecond))
            case .skippedBatch(let step, let reason):
                Console.warn("step \(step): batch skipped: \(reason)")
            case .epoch(let record):
                Console.warn(
                    String(
                        format: "epoch %d: train loss %.4f, dev CER %.2f%%, dev WER %.2f%%, %.0f s", record.epoch,
                        record.trainLoss, record.devCER * 100, record.devWER * 100, record.seconds))
            case .checkpoint:
                break
            }
        }
        let interrupt = InterruptFlag()
        let finished = try trainer.run(shouldStop: { interrupt.isSet })
        let state = trainer.trainingState
        if interrupt.isSet {
            Console.warn("interrupted: checkpoint saved at step \(state.step); continue with --resume")
            throw ExitCode(130)
        }
        if finished, float16 {
            try recognizer.save(to: outputURL, dtype: .f16, metadata: ["training": "finished, \(state.step) steps"])
        }
        let last = state.history.last.map { String(format: ", dev CER %.2f%%", $0.devCER * 100) } ?? ""
        print(
            "\(output): \(finished ? "finished" : "stopped") after \(state.step) steps, epoch \(state.epoch)/\(epochs)"
                + last)
    }

    /// The config for `--arch`: a preset name (alphabet from --language or the corpus), or a file.
    static func config(arch: String, language: Language?, corpus: SpeechCorpus) throws -> RecognizerConfig {
        if RecognizerConfig.presetNames.contains(arch) {
            let code = language?.rawValue ?? corpus.entries.first?.language ?? "en"
            guard let resolved = Language(rawValue: code),
                let config = RecognizerConfig.preset(arch, language: resolved)
            else {
                throw ValidationError("the corpus's language \"\(code)\" has no alphabet; pass --language en or de")
            }
            return config
        }
        guard arch.hasSuffix(".json") || FileManager.default.fileExists(atPath: arch) else {
            throw ValidationError(
                "--arch \(arch) is invalid; valid: \(RecognizerConfig.presetNames.joined(separator: ", ")) or a config.json"
            )
        }
        return try RecognizerConfig(contentsOf: URL(fileURLWithPath: arch))
    }
}

/// Set by SIGINT; the training loop checks it between steps and writes a checkpoint.
final class InterruptFlag: @unchecked Sendable {
    private let source: DispatchSourceSignal
    private let lock = NSLock()
    private var set = false

    init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in
            guard let self else { return }
            self.lock.lock()
            let second = self.set
            self.set = true
            self.lock.unlock()
            if second { exit(130) }
            Console.warn("\nstopping after this step to write a checkpoint (Ctrl-C again to quit at once)")
        }
        source.resume()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return set
    }
}
