import ArgumentParser
import Corpus
import Foundation
import Introspection
import PhonoscopeIO
import Plots
import Projections
import Recognizer

/// `phonoscope project`: 2-D embeddings (PCA, t-SNE, UMAP) of phonemes' profiles, of phone
/// segments' activations or of any matrix's rows, scored by neighbourhood hit, exported for
/// TensorBoard's Projector.
struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Project phonemes, phone segments or matrix rows to 2-D (PCA, t-SNE, UMAP) and score them.",
        discussion: """
            Three sources of points. --naps NAPS --layer L: the file's groups
            (phonemes), each described by its time-independent contrastive NAP in L, as
            phonoscope cluster describes them, coloured and scored by phonetic class.
            --model MODEL --corpus DIR --layer L: the layer's activations at the centre
            frame of every true phone segment of the corpus's TextGrids (--split, at most
            --max-points evenly spaced ones), labelled and scored by phoneme, coloured by
            phonetic class: which layer separates phonemes. --activations X.npy: the
            rows of a matrix (float32 or float64), --labels FILE one label a line.

            Methods: pca (centred, scikit-learn's signs), tsne (scikit-learn's Barnes-Hut
            t-SNE: PCA start, early exaggeration 12 for 250 steps, learning rate auto,
            1000 steps) and umap (umap-learn's: 15 neighbours, min_dist 0.1, spectral
            start, 500 epochs). The scores: neighbourhood hit ([RAUBER17]), the
            mean share of each point's 6 nearest neighbours in 2-D with its label, and
            trustworthiness (5 neighbours, scikit-learn's). Without --perplexity or
            --neighbors, they shrink to fit few points (30 and 15 at most).

            -o DIR gets TensorBoard Projector files (tensors.tsv, metadata.tsv,
            projector_config.pbtxt; tensorboard --logdir DIR, or load them at
            projector.tensorflow.org) and the projection as projection.npy (float32,
            n x 2) and projection.tsv.

            Examples:
              phonoscope project --naps en.naps --layer 9 --method tsne -o proj-9 \\
                --plot tsne-9.png
              phonoscope project --model Corpora/models/en-small --corpus corpora/en \\
                --split test --layer conv5 --method umap -o umap-5 --plot umap-5.pdf
              phonoscope project --activations X.npy --labels names.txt --method pca \\
                -o pca --json
            """)

    enum Method: String, ExpressibleByArgument, CaseIterable {
        case pca, tsne, umap

        var title: String { ["pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"][rawValue] ?? rawValue }
    }

    @Option(help: "NAPs file: project its groups (phonemes) by their profiles in --layer.")
    var naps: String?

    @Option(help: "A matrix (.npy, rows are points) instead of --naps or --model.")
    var activations: String?

    @Option(help: "With --activations: a text file with one label a row.")
    var labels: String?

    @Option(help: "Model directory: project phone segments of --corpus by their activations.")
    var model: String?

    @Option(help: "With --model: corpus directory (manifest.jsonl with TextGrids).")
    var corpus: String?

    @Option(help: "Layer index or name (with --naps or --model).")
    var layer: String?

    @Option(help: "With --model: only this split (train, dev, test, test-voices); default all.")
    var split: String?

    @Option(help: "With --model: at most this many phone segments, evenly spaced.")
    var maxPoints = 2000

    @Option(help: "pca, tsne or umap.")
    var method: Method

    @Option(name: .shortAndLong, help: "Output directory (Projector files and projection.npy).")
    var output: String

    @Option(help: "t-SNE perplexity (default 30, or (n - 1) / 3 for fewer points).")
    var perplexity: Double?

    @Option(help: "UMAP neighbours, the point included (default 15, or n - 1 for fewer points).")
    var neighbors: Int?

    @Option(help: "UMAP min_dist: how tightly points may pack.")
    var minDist = 0.1

    @Option(help: "Seed of UMAP's sampling and of random starts.")
    var seed: UInt64 = 0

    @Option(help: "Scatter plot of the projection (.png, .svg or .pdf).")
    var plot: String?

    @Flag(help: "Print the scores and settings as JSON.")
    var json = false

    /// Neighbourhood hit's k ([RAUBER17]) and trustworthiness's (scikit-learn's default).
    static let hitNeighbors = 6
    static let trustNeighbors = 5

    func validate() throws {
        let sources = [naps != nil, activations != nil, model != nil].filter { $0 }.count
        guard sources == 1 else {
            throw ValidationError(
                "give one of --naps NAPS --layer L, --model MODEL --corpus DIR --layer L, --activations X.npy")
        }
        if (naps != nil || model != nil) && layer == nil {
            throw ValidationError("--layer is needed with --naps or --model")
        }
        if activations != nil && layer != nil { throw ValidationError("--layer goes with --naps or --model") }
        if labels != nil && activations == nil { throw ValidationError("--labels goes with --activations") }
        if model != nil && corpus == nil { throw ValidationError("--model needs --corpus DIR") }
        if corpus != nil && model == nil { throw ValidationError("--corpus goes with --model") }
        guard maxPoints >= 2 else { throw ValidationError("--max-points \(maxPoints) is invalid; valid: 2 or more") }
        if let perplexity, !(perplexity > 0) {
            throw ValidationError("--perplexity \(perplexity) is invalid; valid: a number > 0")
        }
        if let neighbors, neighbors < 2 {
            throw ValidationError("--neighbors \(neighbors) is invalid; valid: 2 or more")
        }
        guard minDist >= 0 && minDist <= 1 else {
            throw ValidationError("--min-dist \(minDist) is invalid; valid: 0 to 1 (the spread)")
        }
        try OutputPath.checkDirectory(of: output)
        if let plot {
            try OutputPath.checkDirectory(of: plot, option: "--plot")
            let suffix = URL(fileURLWithPath: plot).pathExtension.lowercased()
            guard ["png", "svg", "pdf"].contains(suffix) else {
                throw ValidationError("--plot \(plot): unknown figure format; valid: .png, .svg or .pdf")
            }
        }
    }

    /// The points to project: high-dimensional rows with what each one is called.
    struct Points {
        var data: PointSet
        /// Shown next to each point and in the Projector (phoneme, or the matrix's label).
        var names: [String]
        /// The colour category of each point (phonetic class, or the label).
        var classes: [String]
        /// What neighbourhood hit counts as the same: the labels, and what they are.
        var scoredBy: [String]?
        var scoreName: String
        /// Extra Projector metadata columns.
        var metadata: [(name: String, values: [String])]
        var layerName: String
        var source: String
        var colorsByClass: Bool
        var labelPoints: Bool
    }

    func run() throws {
        let points: Points
        if let naps, let layer {
            points = try napPoints(naps, layer: layer)
        } else if let model, let corpus, let layer {
            points = try segmentPoints(model: model, corpus: corpus, layer: layer)
        } else if let activations {
            points = try matrixPoints(activations)
        } else {
            throw ValidationError("nothing to project")
        }
        let n = points.data.count
        guard n >= 3 else {
            throw ValidationError("\(n) points are too few to project; valid: 3 or more")
        }
        var report: [String: Any] = [
            "method": method.rawValue, "points": n, "dimension": points.data.dimension, "source": points.source,
            "layer": points.layerName, "seed": seed,
        ]
        let embedding: [Double]
        var axisNames = ["\(method.title) 1", "\(method.title) 2"]
        var setting = ""
        switch method {
        case .pca:
            let pca = try PrincipalComponents.fit(points.data, components: 2)
            embedding = try pca.transform(points.data)
            report["explained_variance_ratio"] = pca.explainedVarianceRatio
            axisNames = pca.explainedVarianceRatio.enumerated().map {
                "PCA \($0.offset + 1) (\(String(format: "%.1f", 100 * $0.element)) % of variance)"
            }
        case .tsne:
            var configuration = TSNEConfiguration()
            configuration.perplexity = perplexity ?? min(30, max(1, Double(n - 1) / 3))
            configuration.seed = seed
            let bar = ProgressBar(label: "t-SNE", unit: "step")
            let result = try TSNE.embed(points.data, configuration: configuration) { bar.update(done: $0, total: $1) }
            if result.iterations < configuration.maximumIterations {
                bar.update(
                    done: configuration.maximumIterations, total: configuration.maximumIterations,
                    detail: "(converged at step \(result.iterations))")
            }
            embedding = result.embedding
            report["perplexity"] = configuration.perplexity
            report["kl_divergence"] = result.klDivergence
            report["iterations"] = result.iterations
            setting = "perplexity \(String(format: "%g", configuration.perplexity))"
        case .umap:
            var configuration = UMAPConfiguration()
            configuration.neighbors = neighbors ?? min(15, n - 1)
            configuration.minimumDistance = minDist
            configuration.seed = seed
            let bar = ProgressBar(label: "UMAP", unit: "epoch")
            let result = try UMAP.embed(points.data, configuration: configuration) { bar.update(done: $0, total: $1) }
            if !result.spectralInitialization && configuration.initialization == .spectral {
                Console.warn("the spectral start did not converge: UMAP started from random positions")
            }
            embedding = result.embedding
            report["neighbors"] = configuration.neighbors
            report["min_dist"] = minDist
            report["a"] = result.a
            report["b"] = result.b
            report["epochs"] = result.epochs
            report["spectral_initialization"] = result.spectralInitialization
            setting = "\(configuration.neighbors) neighbours, min_dist \(String(format: "%g", minDist))"
        }
        let projection = try PointSet(values: embedding, count: n, dimension: 2)
        let hitK = min(Self.hitNeighbors, n - 1)
        let hit = try points.scoredBy.map {
            try EmbeddingScores.neighborhoodHit(embedding: projection, labels: $0, neighbors: hitK)
        }
        let trustK = min(Self.trustNeighbors, (n - 1) / 2)
        let trust =
            trustK >= 1
            ? try EmbeddingScores.trustworthiness(data: points.data, embedding: projection, neighbors: trustK) : nil
        var classHit: Double?
        if points.scoreName == "phoneme" {
            classHit = try EmbeddingScores.neighborhoodHit(
                embedding: projection, labels: points.classes, neighbors: hitK)
        }
        report["neighborhood_hit"] = hit ?? NSNull()
        report["neighborhood_hit_k"] = hitK
        report["scored_by"] = points.scoredBy == nil ? NSNull() : points.scoreName
        if let classHit { report["neighborhood_hit_class"] = classHit }
        report["trustworthiness"] = trust ?? NSNull()
        report["trustworthiness_k"] = trustK

        let directory = URL(fileURLWithPath: output)
        try ProjectorExport.write(
            tensors: points.data, projection: projection, metadata: points.metadata, to: directory)
        report["files"] = ProjectorExport.fileNames.filter {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }.map { directory.appendingPathComponent($0).path }
        if let plot {
            var hits: [String] = []
            if let hit { hits.append("\(Self.format(hit)) by \(points.scoreName)") }
            if let classHit { hits.append("\(Self.format(classHit)) by class") }
            var parts = [points.layerName, method.title + (setting.isEmpty ? "" : " (\(setting))")]
            if !hits.isEmpty { parts.append("neighbourhood hit (k = \(hitK)) " + hits.joined(separator: ", ")) }
            let title = parts.joined(separator: " · ")
            try figure(points, embedding: embedding, axes: axisNames, title: title).write(
                to: URL(fileURLWithPath: plot))
            report["plot"] = plot
        }
        if json {
            let data = try JSONSerialization.data(
                withJSONObject: report, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            var line =
                "projected \(n) points of \(points.layerName) (\(points.data.dimension) values each) by \(method.title)"
            if let hit { line += ": neighbourhood hit \(Self.format(hit)) (k = \(hitK), by \(points.scoreName))" }
            if let classHit { line += ", \(Self.format(classHit)) by phonetic class" }
            if let trust {
                line += (hit == nil ? ": " : ", ") + "trustworthiness \(Self.format(trust)) (k = \(trustK))"
            }
            print(line)
            print("wrote \(output)/ (\(ProjectorExport.fileNames.joined(separator: ", ")))")
        }
    }

    static func format(_ x: Double, digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

    // MARK: Sources

    /// --naps: one point per group, its time-independent contrastive NAP in the layer, as
    /// `LayerClustering.dendrogram` (phonoscope cluster) describes it.
    func napPoints(_ path: String, layer: String) throws -> Points {
        let file = try ProfileFile(contentsOf: URL(fileURLWithPath: path))
        let l = try file.layerPosition(layer)
        let groups = file.groups
        let channels = file.layers[l].channels
        let data = LayerClustering.profileMatrix(file, layer: l)
        let classes = groups.map { LayerClustering.phoneticClass(of: $0, unit: file.info.options.unit) }
        let unit = file.info.options.unit
        return Points(
            data: try PointSet(values: data, count: groups.count, dimension: channels), names: groups,
            classes: classes, scoredBy: unit == .phoneticClass ? nil : classes,
            scoreName: unit == .letter ? "letter class" : "class",
            metadata: [("label", groups), ("class", classes)],
            layerName: "\(URL(fileURLWithPath: file.info.model).lastPathComponent) · \(file.layers[l].name)",
            source: "naps", colorsByClass: true, labelPoints: true)
    }

    /// --activations: the rows of a matrix, with --labels if given.
    func matrixPoints(_ path: String) throws -> Points {
        let matrix = try ModelInput.matrix(path, option: "--activations")
        var names: [String]?
        if let labels {
            let lines = try FileError.text(of: URL(fileURLWithPath: labels)).split(
                separator: "\n", omittingEmptySubsequences: false
            ).map(String.init)
            let trimmed = lines.last == "" ? Array(lines.dropLast()) : lines
            guard trimmed.count == matrix.rows else {
                throw ValidationError(
                    "--labels \(labels) has \(trimmed.count) lines; valid: one per row of \(path) (\(matrix.rows))")
            }
            names = trimmed
        }
        let data = try PointSet(values: matrix.values, count: matrix.rows, dimension: matrix.columns)
        return Points(
            data: data, names: names ?? (0..<matrix.rows).map(String.init),
            classes: names ?? [String](repeating: "", count: matrix.rows), scoredBy: names, scoreName: "label",
            metadata: names.map { [("label", $0)] } ?? [], layerName: URL(fileURLWithPath: path).lastPathComponent,
            source: "activations", colorsByClass: false, labelPoints: false)
    }

    /// --model/--corpus: the layer's activations at the centre frame of every true phone
    /// segment (the events `phonoscope nap --anchor center` epochs around), evenly thinned to
    /// --max-points.
    func segmentPoints(model: String, corpus: String, layer: String) throws -> Points {
        let recognizer = try ModelInput.recognizer(model)
        guard let available = recognizer.profileLayers else {
            throw ValidationError("model \(model) has no feature preset, so its layers have no times")
        }
        let chosen = try LayerSelection.parse(layer, layers: available)
        guard chosen.count == 1, let profileLayer = chosen.first else {
            throw ValidationError(
                "--layer \(layer) names \(chosen.count) layers; valid: one index (0-\(available.count - 1)) or name")
        }
        let speechCorpus = try SpeechCorpus(directory: URL(fileURLWithPath: corpus))
        let entries = (split.map { speechCorpus.entries(split: $0) } ?? speechCorpus.entries).sorted { $0.id < $1.id }
        guard !entries.isEmpty else {
            let splits = Set(speechCorpus.entries.map(\.split)).sorted().joined(separator: ", ")
            throw ValidationError(
                "corpus \(corpus) has no utterances\(split.map { " in split \"\($0)\"" } ?? ""); its splits: \(splits)")
        }
        var segments: [(entry: Int, event: ProfileEvent)] = []
        for (index, entry) in entries.enumerated() {
            guard let grid = try speechCorpus.alignment(for: entry) else {
                Console.warn("skipped \(entry.id): the manifest names no TextGrid")
                continue
            }
            let events = try ProfileEventSource.events(
                trueAlignment: grid, unit: .phoneme, anchor: .center, path: entry.alignment ?? entry.id)
            segments += events.map { (index, $0) }
        }
        let total = segments.count
        if total > maxPoints {
            segments = (0..<maxPoints).map { segments[$0 * total / maxPoints] }
            Console.warn("\(total) phone segments: projecting \(maxPoints) evenly spaced ones (--max-points)")
        }
        let profiler = try ActivationProfiler(recognizer: recognizer, layers: [profileLayer], options: ProfileOptions())
        let channels = profileLayer.channels
        var data: [Double] = []
        var names: [String] = []
        var utterances: [String] = []
        var times: [String] = []
        let needed = Array(Set(segments.map(\.entry))).sorted()
        let bar = ProgressBar(label: "activations", unit: "utt")
        for (done, index) in needed.enumerated() {
            let entry = entries[index]
            let features = try recognizer.features(ofFile: speechCorpus.audioURL(for: entry))
            guard let values = try profiler.activations(id: entry.id, features: features).first else { continue }
            let frames = values.count / channels
            for segment in segments where segment.entry == index {
                let frame = min(max(profileLayer.frame(at: segment.event.time), 0), frames - 1)
                guard frame >= 0 else { continue }
                data += values[(frame * channels)..<((frame + 1) * channels)].map(Double.init)
                names.append(segment.event.group)
                utterances.append(entry.id)
                times.append(String(format: "%.3f", segment.event.time))
            }
            bar.update(done: done + 1, total: needed.count)
        }
        let classes = names.map { LayerClustering.phoneticClass(of: $0, unit: .phoneme) }
        return Points(
            data: try PointSet(values: data, count: names.count, dimension: channels), names: names, classes: classes,
            scoredBy: names, scoreName: "phoneme",
            metadata: [("phoneme", names), ("class", classes), ("utterance", utterances), ("time", times)],
            layerName: "\(URL(fileURLWithPath: model).lastPathComponent) · \(profileLayer.name)", source: "model",
            colorsByClass: true, labelPoints: false)
    }

    // MARK: Figure

    func figure(_ points: Points, embedding: [Double], axes: [String], title: String) -> ScatterFigure {
        let n = points.data.count
        var figure = ScatterFigure(
            x: (0..<n).map { embedding[2 * $0] }, y: (0..<n).map { embedding[2 * $0 + 1] }, xLabel: axes[0],
            yLabel: axes[1], title: title)
        if points.colorsByClass {
            figure.colors = points.classes.map { PhoneticColors.color(ofClass: $0) }
            figure.legend = PhoneticColors.legend(forClasses: points.classes)
        } else if points.scoredBy != nil {
            var seen: [String: Int] = [:]
            for label in points.classes where seen[label] == nil { seen[label] = seen.count }
            // Numbers in numeric order, other labels alphabetically: the legend reads like a key.
            let ordered = seen.keys.sorted { a, b in
                if let x = Double(a), let y = Double(b) { return x < y }
                return a < b
            }
            figure.colors = points.classes.map { CategoricalPalette.color(at: seen[$0] ?? 0) }
            // A legend of more than 40 labels would crowd out the plot.
            if ordered.count <= 40 {
                figure.legend = ordered.map {
                    LegendEntry(label: $0, color: CategoricalPalette.color(at: seen[$0] ?? 0))
                }
            }
        }
        if points.labelPoints && n <= 120 { figure.pointLabels = points.names }
        return figure
    }
}
