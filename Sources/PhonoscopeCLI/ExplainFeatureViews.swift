import ArgumentParser
import Explainers
import Foundation
import NeuralCore
import Plots
import Recognizer

/// `phonoscope explain filters | top-activations | nearest-neighbors`: what a layer has learnt,
/// seen through its weights, the images that excite its units and the images it treats as alike.
extension ExplainCommand {
    /// The rows of --data to draw from: one split, or all of them.
    func candidates(_ dataset: ImageDataset, default fallback: String) throws -> [Int] {
        try dataset.indices(named: split ?? fallback)
    }

    /// `--units 0,3,5` or `--units 0-7`; nil when not given.
    func unitList() throws -> [Int]? {
        guard let units else { return nil }
        var list: [Int] = []
        for part in units.split(separator: ",") {
            let bounds = part.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard (1...2).contains(bounds.count), let low = bounds[0], let high = bounds.last ?? nil, low >= 0,
                high >= low
            else {
                throw ValidationError("--units \(units) is invalid; valid: channels like 0,3,5 or a range 0-7")
            }
            list += Array(low...high)
        }
        return list
    }

    /// The images of a data set as a batch the classifier takes.
    func dataset(for classifier: ImageClassifier) throws -> ImageDataset {
        guard let data else { throw ValidationError("\(method.rawValue) needs --data DIR, the image set to search") }
        return try ImageDataset(directory: URL(fileURLWithPath: data))
    }

    /// The first convolution's kernels: 3 x 3 pixel pictures for the image classifier (one row per
    /// input channel), mel x time patches for a recogniser (the `--top` kernels of largest norm, or
    /// `--units`), on one signed colour scale.
    func runFilters() throws {
        let figure: ImageGalleryFigure
        let summary: String
        if Self.isRecognizer(model) {
            let recognizer = try ModelInput.recognizer(model)
            guard let conv = recognizer.network.layers.compactMap({ $0 as? Conv1d }).first else {
                throw ValidationError("\(model) has no convolution")
            }
            let (out, bins, kernel) = (conv.weight.value.shape[0], conv.weight.value.shape[1], conv.kernelSize)
            let w = conv.weight.value.values
            let norm = { (o: Int) in w[(o * bins * kernel)..<((o + 1) * bins * kernel)].reduce(0) { $0 + $1 * $1 } }
            let chosen =
                try unitList()
                ?? Array((0..<out).sorted { norm($0) != norm($1) ? norm($0) > norm($1) : $0 < $1 }.prefix(top ?? 24))
            if let bad = chosen.first(where: { $0 >= out }) {
                throw ValidationError("--units \(bad) is out of range; valid: 0 to \(out - 1) (\(conv.name))")
            }
            // A picture per kernel: mel bins upwards (low frequencies at the bottom), taps rightwards.
            let cells = chosen.map { o in
                ImageGalleryFigure.Cell(
                    values: (0..<bins).flatMap { row in
                        (0..<kernel).map { t in w[(o * bins + (bins - 1 - row)) * kernel + t] }
                    }, caption: "#\(o)")
            }
            let perRow = 8
            let rows = Swift.stride(from: 0, to: cells.count, by: perRow).map { start in
                ImageGalleryFigure.Row(label: "", cells: Array(cells[start..<min(cells.count, start + perRow)]))
            }
            var gallery = ImageGalleryFigure(
                rows: rows, height: bins, width: kernel,
                title: "\(URL(fileURLWithPath: model).lastPathComponent): \(conv.name) kernels "
                    + "(mel bin upwards, \(kernel) input frames rightwards)")
            gallery.shading = .signed(limit: nil)
            gallery.panelSize = 90
            figure = gallery
            summary = "\(chosen.count) of \(out) \(conv.name) kernels (\(bins) mel x \(kernel) frames)"
        } else {
            let classifier = try ImageClassifier(directory: URL(fileURLWithPath: model))
            guard let conv = classifier.network.layers.compactMap({ $0 as? Conv2d }).first else {
                throw ValidationError("\(model) has no convolution")
            }
            let shape = conv.weight.value.shape  // [out, in, kh, kw]
            let (out, inputs, kh, kw) = (shape[0], shape[1], shape[2], shape[3])
            let w = conv.weight.value.values
            let chosen = try unitList() ?? Array(0..<out)
            if let bad = chosen.first(where: { $0 >= out }) {
                throw ValidationError("--units \(bad) is out of range; valid: 0 to \(out - 1) (\(conv.name))")
            }
            // One row per input channel, wrapped at 8 filters.
            let area = kh * kw
            var rows: [ImageGalleryFigure.Row] = []
            for c in 0..<inputs {
                for start in Swift.stride(from: 0, to: chosen.count, by: 8) {
                    let cells = chosen[start..<min(chosen.count, start + 8)].map { o -> ImageGalleryFigure.Cell in
                        let first = (o * inputs + c) * area
                        return ImageGalleryFigure.Cell(values: Array(w[first..<(first + area)]), caption: "#\(o)")
                    }
                    rows.append(ImageGalleryFigure.Row(label: inputs == 1 ? "" : "input \(c)", cells: cells))
                }
            }
            var gallery = ImageGalleryFigure(
                rows: rows, height: kh, width: kw,
                title: "\(URL(fileURLWithPath: model).lastPathComponent): \(conv.name) filters (\(kh) x \(kw) pixels)")
            gallery.shading = .signed(limit: nil)
            gallery.panelSize = 50
            figure = gallery
            summary = "\(chosen.count) \(conv.name) filters of \(kh) x \(kw) pixels"
        }
        var drawn = figure
        drawn.colorbarLabel = "weight"
        try drawn.write(to: URL(fileURLWithPath: output))
        print("wrote \(output): \(summary)")
    }

    /// The images of --data (--split, default all) that drive each unit of --layer hardest, the
    /// patch each unit's strongest cell sees outlined.
    func runTopActivations() throws {
        let classifier = try ImageClassifier(directory: URL(fileURLWithPath: model))
        let dataset = try dataset(for: classifier)
        let rowsOfData = try candidates(dataset, default: "all")
        let config = classifier.config
        let layerName = layer ?? "relu3"
        let finder = try TopActivations(classifier.network, layer: layerName)
        let batch = dataset.batch(rowsOfData, scale: config.pixelScale)
        try classifier.check(batch, path: "\(data ?? "")/images.npy")
        let channels = try finder.unitCount(shape: [1, config.height, config.width, config.inputChannels])
        let units = try unitList() ?? Array(0..<min(channels, 8))
        let found = try finder.find(batch, units: units, count: top ?? 8)
        let size = config.height * config.width
        let rows = zip(units, found).map { unit, ranking in
            ImageGalleryFigure.Row(
                label: ranking.isConstant
                    ? "unit \(unit): " + String(format: "%g", ranking.lowest) + " on every image" : "unit \(unit)",
                cells: ranking.examples.map { example in
                    let image = rowsOfData[example.image]
                    let pixels = (0..<size).map { i in
                        (0..<config.inputChannels).reduce(Float(0)) {
                            $0 + batch.values[(example.image * size + i) * config.inputChannels + $1]
                        } / Float(config.inputChannels)
                    }
                    return .init(
                        values: pixels,
                        caption: "\(config.labels[dataset.labels[image]]) \u{B7} "
                            + String(format: "%.1f", example.value),
                        outline: ranking.isConstant ? nil : (example.patch.rows, example.patch.columns))
                })
        }
        var figure = ImageGalleryFigure(
            rows: rows, height: config.height, width: config.width,
            title:
                "Images that drive \(layerName) hardest (\(split ?? "all") of \(URL(fileURLWithPath: data ?? "").lastPathComponent)); "
                + "red: the patch the strongest cell sees")
        figure.panelSize = 60
        try figure.write(to: URL(fileURLWithPath: output))
        if json {
            let object: [String: Any] = [
                "layer": layerName,
                "units": zip(units, found).map { unit, ranking -> [String: Any] in
                    [
                        "unit": unit, "constant": ranking.isConstant, "lowest": Double(ranking.lowest),
                        "examples": ranking.examples.map { example -> [String: Any] in
                            [
                                "image": rowsOfData[example.image], "label": dataset.labels[rowsOfData[example.image]],
                                "value": Double(example.value), "row": example.row, "column": example.column,
                                "patch": [
                                    example.patch.rows.lowerBound, example.patch.rows.upperBound,
                                    example.patch.columns.lowerBound, example.patch.columns.upperBound,
                                ],
                            ]
                        },
                    ]
                },
            ]
            let text = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: text, as: UTF8.self))
        } else {
            print(
                "wrote \(output): the top \(top ?? 8) of \(rowsOfData.count) images for \(units.count) unit(s) of \(layerName)"
            )
            for (unit, ranking) in zip(units, found) {
                if ranking.isConstant {
                    print("\(layerName) unit \(unit): " + String(format: "%g", ranking.lowest) + " on every image")
                    continue
                }
                let labels = ranking.examples.map { config.labels[dataset.labels[rowsOfData[$0.image]]] }
                print(
                    "\(layerName) unit \(unit): top labels " + labels.joined(separator: " ")
                        + String(
                            format: " (%.2f to %.2f)", ranking.examples.first?.value ?? 0,
                            ranking.examples.last?.value ?? 0))
            }
        }
    }

    /// For each query image (INPUT or --index rows of --data), the --neighbors images of --split
    /// (default train) nearest in --layer's features (default flatten: the pooled last convolution).
    func runNearestNeighbors() throws {
        let classifier = try ImageClassifier(directory: URL(fileURLWithPath: model))
        let dataset = try dataset(for: classifier)
        let config = classifier.config
        let poolRows = try candidates(dataset, default: "train")
        let layerName = layer ?? "flatten"
        let features = try LayerActivations(classifier.network, layer: layerName)
        let poolBatch = dataset.batch(poolRows, scale: config.pixelScale)
        let poolFeatures = try features(poolBatch)
        let dimension = poolFeatures.count / max(poolRows.count, 1)
        let space = try FeatureNeighbors(pool: poolFeatures.values, dimension: dimension, metric: metric)
        let (queries, queryLabels, names) = try images(for: classifier)
        let queryFeatures = try features(queries)
        let k = neighbors
        guard k >= 1, k < poolRows.count else {
            throw ValidationError("--neighbors \(k) is invalid; valid: 1 to \(poolRows.count - 1)")
        }
        let size = config.height * config.width
        func picture(_ batch: Tensor, _ row: Int) -> [Float] {
            (0..<size).map { i in
                (0..<config.inputChannels).reduce(Float(0)) {
                    $0 + batch.values[(row * size + i) * config.inputChannels + $1]
                }
                    / Float(config.inputChannels)
            }
        }
        var rows: [ImageGalleryFigure.Row] = []
        var found: [[FeatureNeighbors.Neighbor]] = []
        for q in 0..<queries.shape[0] {
            let vector = queryFeatures.values[(q * dimension)..<((q + 1) * dimension)]
            // A query taken from the pool is not its own neighbour.
            let own = input == nil ? poolRows.firstIndex(of: Int(names[q].dropFirst()) ?? -1) : nil
            let nearest = space.nearest(vector, count: k, excluding: own)
            found.append(nearest)
            let label = queryLabels[q].map { " (\(config.labels[$0]))" } ?? ""
            rows.append(
                .init(
                    label: names[q] + label,
                    cells: [.init(values: picture(queries, q), caption: "query")]
                        + nearest.map { neighbor in
                            let image = poolRows[neighbor.index]
                            return .init(
                                values: picture(poolBatch, neighbor.index),
                                caption: "\(config.labels[dataset.labels[image]]) \u{B7} "
                                    + String(format: "%.2f", neighbor.distance))
                        }))
        }
        let poolLabels = poolRows.map { dataset.labels[$0] }
        let agreement = try space.agreement(labels: poolLabels, k: k)
        var figure = ImageGalleryFigure(
            rows: rows, height: config.height, width: config.width,
            title: "Nearest neighbours in \(layerName) (\(metric.rawValue), \(split ?? "train") split); "
                + String(format: "%d-NN label agreement %.3f", k, agreement))
        figure.columnTitles = ["query"] + (1...k).map { "\($0)." }
        figure.panelSize = 60
        try figure.write(to: URL(fileURLWithPath: output))
        if json {
            let object: [String: Any] = [
                "layer": layerName, "metric": metric.rawValue, "dimension": dimension, "agreement": agreement,
                "queries": zip(names, found).map { name, nearest -> [String: Any] in
                    [
                        "query": name,
                        "neighbors": nearest.map {
                            ["image": poolRows[$0.index], "label": poolLabels[$0.index], "distance": $0.distance]
                        },
                    ]
                },
            ]
            let text = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: text, as: UTF8.self))
        } else {
            print(
                "wrote \(output): \(queries.shape[0]) quer(ies) x \(k) neighbours in \(layerName) (\(dimension) values); "
                    + String(format: "%d-NN label agreement over %d pool images: %.3f", k, poolRows.count, agreement))
        }
    }
}

extension FeatureNeighbors.Metric: ExpressibleByArgument {}
