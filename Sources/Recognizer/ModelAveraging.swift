import Foundation
import NeuralCore

extension Recognizer {
    /// The element-wise mean of the weights of `directories` (model directories of one
    /// architecture and alphabet, e.g. the checkpoints of the last epochs of one training run):
    /// checkpoint averaging, which smooths the noise of the last optimiser steps (as speech
    /// toolkits such as ESPnet average their last N epochs). Sums in double precision.
    /// Throws when a config or a tensor shape differs, naming both.
    public static func averaged(_ directories: [URL]) throws -> Recognizer {
        guard let first = directories.first else {
            throw RecognizerError.invalidOption(name: "MODEL", value: "none", valid: "at least one model directory")
        }
        let result = try Recognizer(directory: first)
        var sums = result.parameters.map { $0.value.values.map(Double.init) }
        for directory in directories.dropFirst() {
            let other = try Recognizer(directory: directory)
            guard other.config == result.config else {
                throw RecognizerError.invalidConfig(
                    path: directory.appendingPathComponent(configFile).path,
                    reason:
                        "its architecture or alphabet differs from \(first.path)'s; only models of one config average")
            }
            for (index, (mine, theirs)) in zip(result.parameters, other.parameters).enumerated() {
                guard mine.value.shape == theirs.value.shape else {
                    throw RecognizerError.tensorShapeMismatch(
                        path: directory.path, name: theirs.name, config: mine.value.shape, weights: theirs.value.shape)
                }
                for (i, v) in theirs.value.values.enumerated() { sums[index][i] += Double(v) }
            }
        }
        let count = Double(directories.count)
        for (parameter, sum) in zip(result.parameters, sums) {
            parameter.value = Tensor(shape: parameter.value.shape, values: sum.map { Float($0 / count) })
        }
        return result
    }
}
