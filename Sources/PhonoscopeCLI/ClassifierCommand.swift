import ArgumentParser
import Explainers
import Foundation
import NeuralCore
import PhonoscopeIO

/// `phonoscope classifier ...`: the image classifier the explainers are shown on.
struct ClassifierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier",
        abstract: "Train and evaluate the image classifier (the shipped 8x8 digits) that the explainers use.",
        subcommands: [ClassifierTrainCommand.self, ClassifierEvaluateCommand.self, ClassifierActivationsCommand.self]
    )
}

/// `phonoscope classifier train --data DIR -o MODEL`.
struct ClassifierTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the digit classifier (3 convolutions, global average pooling, linear) with Adam.",
        discussion: """
            The data directory holds images.npy, labels.npy and split.npy
            (Corpora/images/digits:
            scikit-learn's 8x8 handwritten digits, see its README). Training uses the
            train split in a seeded order; after each epoch the validation accuracy is
            printed and the epoch with the best one is kept. The test split is only read
            by `phonoscope classifier evaluate`. Same seed, same weights.

            Examples:
              phonoscope classifier train --data Corpora/images/digits -o digits-cnn
              phonoscope classifier train --data Corpora/images/digits -o small --epochs \\
                5 --channels 8,16,32
            """)

    @Option(help: "Image set directory (images.npy, labels.npy, split.npy).")
    var data: String

    @Option(name: .shortAndLong, help: "Output model directory.")
    var output: String

    @Option(help: "Epochs over the train split.")
    var epochs = 40

    @Option(help: "Images per batch.")
    var batchSize = 32

    @Option(help: "Adam's learning rate.")
    var learningRate = 3e-3

    @Option(help: "Output channels of conv1, conv2, conv3.")
    var channels = "16,32,64"

    @Option(help: "Seed for the initial weights and the order of the images.")
    var seed: UInt64 = 1

    func run() throws {
        let dataset = try ImageDataset(directory: URL(fileURLWithPath: data))
        var config = ImageClassifier.Config()
        let counts = channels.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard counts.count == 3, counts.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--channels \(channels) is invalid; valid: three positive counts, e.g. 16,32,64")
        }
        config.channels = counts
        config.height = dataset.height
        config.width = dataset.width
        config.inputChannels = dataset.channels
        let classes = (dataset.labels.max() ?? 0) + 1
        config.labels = (0..<classes).map(String.init)
        config.pixelScale = max(1, dataset.pixels.max() ?? 1)
        let model = try ImageClassifier(config: config, seed: seed)
        var options = ClassifierTraining.Options()
        options.epochs = epochs
        options.batchSize = batchSize
        options.learningRate = learningRate
        options.seed = seed
        let training = try ClassifierTraining(options: options)
        let started = Date()
        let history = try training.train(model, on: dataset) { epoch in
            Console.warn(
                "epoch \(epoch.epoch)/\(epochs): loss " + String(format: "%.4f", epoch.loss) + ", validation accuracy "
                    + String(format: "%.2f %%", epoch.validationAccuracy * 100))
        }
        let best = history.max { $0.validationAccuracy < $1.validationAccuracy }
        try model.save(
            to: URL(fileURLWithPath: output),
            metadata: [
                "trained_by": "phonoscope classifier train", "data": data, "epochs": String(epochs),
                "seed": String(seed), "best_epoch": String(best?.epoch ?? 0),
            ])
        print(
            "\(output): \(model.parameterCount) parameters, best validation accuracy "
                + String(format: "%.2f %%", (best?.validationAccuracy ?? 0) * 100)
                + " (epoch \(best?.epoch ?? 0) of \(epochs))")
        Console.warn("trained in " + String(format: "%.1f s", Date().timeIntervalSince(started)))
    }
}

/// `phonoscope classifier evaluate --model MODEL --data DIR`.
struct ClassifierEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Accuracy of an image classifier on a split of an image set.",
        discussion: """
            Examples:
              phonoscope classifier evaluate --model Corpora/models/digits-cnn --data \\
                Corpora/images/digits
              phonoscope classifier evaluate --model digits-cnn --data \\
                Corpora/images/digits --split validation --json
            """)

    @Option(help: "Model directory (config.json + model.safetensors).")
    var model: String

    @Option(help: "Image set directory (images.npy, labels.npy, split.npy).")
    var data: String

    @Option(help: "Split: train, validation or test.")
    var split = "test"

    @Flag(help: "Print {\"accuracy\", \"images\", \"split\"} as JSON.")
    var json = false

    func run() throws {
        guard let chosen = ImageDataset.Split.allCases.first(where: { $0.name == split }) else {
            throw ValidationError("--split \(split) is invalid; valid: train, validation, test")
        }
        let classifier = try ImageClassifier(directory: URL(fileURLWithPath: model))
        let dataset = try ImageDataset(directory: URL(fileURLWithPath: data))
        let indices = dataset.indices(of: chosen)
        let accuracy = try ClassifierTraining.accuracy(classifier, dataset, indices)
        if json {
            print("{\"accuracy\": \(accuracy), \"images\": \(indices.count), \"split\": \"\(split)\"}")
        } else {
            print(
                "\(model) \(split): accuracy " + String(format: "%.2f %%", accuracy * 100)
                    + " on \(indices.count) images")
        }
    }
}

/// `phonoscope classifier activations --model MODEL --data DIR --layer L -o X.npy`: a layer's
/// activations, one row per image, for `phonoscope project --activations` or any other tool.
struct ClassifierActivationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activations",
        abstract: "Write one layer's activations of an image set, one row per image, with the labels.",
        discussion: """
            Each image's output of --layer is flattened (height, width, channel order for
            a map layer) into one row of a float32 .npy (images, values); --labels FILE
            gets the images' class names, one a line, in the same order.

            Examples:
              phonoscope classifier activations --model Corpora/models/digits-cnn --data \\
                Corpora/images/digits --layer flatten --split test -o gap.npy --labels \\
                labels.txt
              phonoscope project --activations gap.npy --labels labels.txt --method tsne \\
                -o projection
            """)

    @Option(help: "Model directory (config.json + model.safetensors).")
    var model: String

    @Option(help: "Image set directory (images.npy, labels.npy, split.npy).")
    var data: String

    @Option(help: "The layer, e.g. relu3, flatten or fc.")
    var layer = "flatten"

    @Option(help: "Split: train, validation, test or all.")
    var split = "test"

    @Option(name: .shortAndLong, help: "The activations (.npy, float32, images x values).")
    var output: String

    @Option(help: "A text file for the class names, one per image.")
    var labels: String?

    func validate() throws {
        try OutputPath.checkDirectory(of: output)
        if let labels { try OutputPath.checkDirectory(of: labels, option: "--labels") }
    }

    func run() throws {
        let classifier = try ImageClassifier(directory: URL(fileURLWithPath: model))
        let dataset = try ImageDataset(directory: URL(fileURLWithPath: data))
        let rows = try dataset.indices(named: split)
        let batch = dataset.batch(rows, scale: classifier.config.pixelScale)
        try classifier.check(batch, path: "\(data)/images.npy")
        let activations = try LayerActivations(classifier.network, layer: layer)(batch)
        let width = rows.isEmpty ? 0 : activations.count / rows.count
        try NPYArray(shape: [rows.count, width], elements: activations.values).write(to: URL(fileURLWithPath: output))
        if let labels {
            let text = rows.map { classifier.config.labels[dataset.labels[$0]] + "\n" }.joined()
            try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: labels))
        }
        print("wrote \(output): \(rows.count) images x \(width) values of \(layer) (\(split))")
    }
}
