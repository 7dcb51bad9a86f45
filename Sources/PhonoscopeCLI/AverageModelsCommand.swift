import ArgumentParser
import Foundation
import NeuralCore
import Recognizer

/// `phonoscope average-models MODEL... -o OUT`: checkpoint averaging.
struct AverageModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "average-models",
        abstract: "Average the weights of models of one architecture (e.g. the last checkpoints of a training run).",
        discussion: """
            The element-wise mean of every tensor, written as a new model
            directory (config.json of the first). Averaging the checkpoints of
            a run's last epochs smooths the noise of the last optimiser steps.

            Example:
              phonoscope average-models run/step-2500 run/step-2600 run \\
                -o averaged --float16
            """)

    @Argument(help: "Model directories (config.json + model.safetensors), two or more.")
    var models: [String] = []

    @Option(name: [.customShort("o"), .long], help: "Output model directory (created if missing).")
    var output: String

    @Flag(help: "Write the weights in float16 (half the size).")
    var float16 = false

    func validate() throws {
        if models.count < 2 {
            throw ValidationError("give two or more model directories to average (got \(models.count))")
        }
    }

    func run() throws {
        let averaged = try Recognizer.averaged(models.map { URL(fileURLWithPath: $0) })
        let directory = URL(fileURLWithPath: output)
        try averaged.save(
            to: directory, dtype: float16 ? .f16 : .f32, metadata: ["averaged": models.joined(separator: ", ")])
        print("\(output): the mean of \(models.count) models, \(averaged.parameterCount) parameters")
    }
}
