import Foundation
import NeuralCore
import PhonoscopeIO

/// A labelled image set on disk: images.npy (uint8 [count, height, width] or
/// [count, height, width, channels]), labels.npy (integers 0..classes-1) and split.npy
/// (0 train, 1 validation, 2 test), as `Scripts/make_digits_data.py` writes the digits.
public struct ImageDataset: Sendable {
    public enum Split: Int, CaseIterable, Sendable {
        case train = 0
        case validation = 1
        case test = 2
        public var name: String { self == .validation ? "validation" : "\(self)" }
    }

    public let directory: URL
    public let count: Int
    public let height: Int
    public let width: Int
    public let channels: Int
    /// Raw pixel values, image after image, channels-last.
    public let pixels: [Float]
    public let labels: [Int]
    public let splits: [Split]

    init(
        directory: URL, count: Int, height: Int, width: Int, channels: Int, pixels: [Float], labels: [Int],
        splits: [Split]
    ) {
        self.directory = directory
        self.count = count
        self.height = height
        self.width = width
        self.channels = channels
        self.pixels = pixels
        self.labels = labels
        self.splits = splits
    }

    /// The same images with other labels (for the label-randomisation test).
    public func relabelled(_ labels: [Int]) -> ImageDataset {
        precondition(labels.count == count)
        return ImageDataset(
            directory: directory, count: count, height: height, width: width, channels: channels, pixels: pixels,
            labels: labels, splits: splits)
    }

    public init(directory: URL) throws {
        self.directory = directory
        func read(_ name: String) throws -> NPYArray<Double> {
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw ExplainerError.invalidDataset(
                    path: url.path, reason: "not found (an image set needs images.npy, labels.npy and split.npy)")
            }
            return try NPYArray<Double>(contentsOf: url)
        }
        let images = try read("images.npy")
        let labels = try read("labels.npy")
        let split = try read("split.npy")
        let path = directory.appendingPathComponent("images.npy").path
        guard images.shape.count == 3 || images.shape.count == 4 else {
            throw ExplainerError.invalidDataset(
                path: path, reason: "shape \(images.shape), expected [count, height, width(, channels)]")
        }
        count = images.shape[0]
        height = images.shape[1]
        width = images.shape[2]
        channels = images.shape.count == 4 ? images.shape[3] : 1
        guard labels.shape == [count], split.shape == [count] else {
            throw ExplainerError.invalidDataset(
                path: directory.path,
                reason: "labels.npy has shape \(labels.shape) and split.npy \(split.shape); both must be [\(count)]")
        }
        pixels = images.elements.map { Float($0) }
        self.labels = labels.elements.map { Int($0) }
        var splits: [Split] = []
        for (index, value) in split.elements.enumerated() {
            guard let s = Split(rawValue: Int(value)) else {
                throw ExplainerError.invalidDataset(
                    path: directory.appendingPathComponent("split.npy").path,
                    reason: "image \(index) has split \(value); valid: 0 (train), 1 (validation), 2 (test)")
            }
            splits.append(s)
        }
        self.splits = splits
    }

    public func indices(of split: Split) -> [Int] { (0..<count).filter { splits[$0] == split } }

    /// The rows of split `name` (train, validation, test), or every row for "all".
    public func indices(named name: String, option: String = "--split") throws -> [Int] {
        if name == "all" { return Array(0..<count) }
        guard let split = Split.allCases.first(where: { $0.name == name }) else {
            throw ExplainerError.invalidOption(name: option, value: name, valid: "train, validation, test, all")
        }
        return indices(of: split)
    }

    /// Images `indices` as a batch [n, height, width, channels], pixels divided by `scale`.
    public func batch(_ indices: [Int], scale: Float) -> Tensor {
        let size = height * width * channels
        var values = [Float](repeating: 0, count: indices.count * size)
        for (row, index) in indices.enumerated() {
            for k in 0..<size { values[row * size + k] = pixels[index * size + k] / scale }
        }
        return Tensor(shape: [indices.count, height, width, channels], values: values)
    }
}
