import ArgumentParser
import Clustering
import Foundation
import Introspection
import PhonoscopeIO
import Plots

/// `phonoscope cluster`: hierarchical clustering of a layer's profiles (or any matrix), with
/// dendrograms, Newick, SciPy linkage matrices and scores against phonetic classes.
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Cluster phonemes by a layer's profiles (or the rows of a matrix): dendrogram, Newick, scores.",
        discussion: """
            With --naps, the items are the file's groups (phonemes, letters or classes)
            and each is described by its time-independent contrastive NAP in --layer (one
            value per unit). The reference settings are the defaults: cosine distance,
            average linkage, optimal leaf ordering. Scores against the groups' phonetic
            classes: silhouette (on the distances), adjusted Rand index and purity of the
            tree cut into as many clusters as there are classes, cophenetic correlation.
            Letters are scored against vowel/consonant letters.
            --layer all scores every layer (--json prints the table; --summary FIG draws
            the scores against depth; give --naps several times, e.g. a phoneme and a
            letter profile, for one line each) and writes per-layer files when -o,
            --newick or --linkage-matrix name a directory-free base (FIG gets -LAYER
            before its extension). With --input X.npy (rows are items, float32 or
            float64), --labels FILE gives one label a line. The linkage matrix is SciPy's:
            (n-1) x 4 float64, the two merged ids, height, size.

            Examples:
              phonoscope cluster --naps en.naps --layer 9 -o dendrogram-9.png --newick \\
                tree-9.nwk --json
              phonoscope cluster --naps en.naps --naps en-letters.naps --layer all \\
                --summary scores.png --json
              phonoscope cluster --input X.npy --labels names.txt --metric euclidean \\
                --linkage ward -o tree.pdf
            """)

    enum Orientation: String, ExpressibleByArgument, CaseIterable { case top, left }

    @Option(help: "NAPs file(s); repeat for a summary with one line per file.")
    var naps: [String] = []

    @Option(help: "Layer index or name, or all (with --naps).")
    var layer: String?

    @Option(help: "A matrix (.npy, rows are items) instead of --naps.")
    var input: String?

    @Option(help: "With --input: a text file with one label per row.")
    var labels: String?

    @Option(help: "euclidean, cosine or correlation.")
    var metric: DistanceMetric = .cosine

    @Option(help: "single, complete, average, weighted, centroid, median or ward.")
    var linkage: LinkageMethod = .average

    @Flag(inversion: .prefixedNo, help: "Reorder leaves so that neighbours are close (Bar-Joseph et al. 2001).")
    var optimalOrdering = true

    @Option(name: .shortAndLong, help: "Dendrogram figure (.png, .svg or .pdf).")
    var output: String?

    @Option(help: "Dendrogram orientation: top (root at the top) or left.")
    var orientation: Orientation = .top

    @Option(help: "Write the tree in Newick format.")
    var newick: String?

    @Option(help: "Write SciPy's linkage matrix as .npy (float64, (n-1) x 4).")
    var linkageMatrix: String?

    @Option(help: "With --layer all: a figure of the scores against depth.")
    var summary: String?

    @Flag(help: "Print the linkage, leaf order and scores as JSON.")
    var json = false

    func validate() throws {
        if (input == nil) == naps.isEmpty {
            throw ValidationError("give either --naps NAPS --layer L or --input X.npy")
        }
        if !naps.isEmpty && layer == nil { throw ValidationError("--naps needs --layer (an index, a name or all)") }
        if input != nil && (layer != nil || summary != nil) {
            throw ValidationError("--layer and --summary go with --naps, not --input")
        }
        if naps.count > 1 && layer != "all" {
            throw ValidationError("several --naps files are compared only with --layer all (and --summary)")
        }
        if summary != nil && layer != "all" { throw ValidationError("--summary needs --layer all") }
        if [.ward, .centroid, .median].contains(linkage) && metric != .euclidean {
            throw ValidationError(
                "--linkage \(linkage.rawValue) requires --metric euclidean (as SciPy does); got \(metric.rawValue)")
        }
        for path in [output, newick, linkageMatrix, summary].compactMap({ $0 }) {
            try OutputPath.checkDirectory(of: path)
        }
    }

    func run() throws {
        if let input {
            try runMatrix(input)
            return
        }
        let files = try naps.map { try ProfileFile(contentsOf: URL(fileURLWithPath: $0)) }
        if layer == "all" {
            try runAllLayers(files)
        } else if let layer, let file = files.first {
            let l = try file.layerPosition(layer)
            let tree = try dendrogram(file, l)
            try write(tree, file: file, l: l, suffix: nil)
            if json {
                try printJSON(Self.report(tree, layer: file.layers[l].name))
            } else {
                let s = tree.score
                print(
                    "\(file.layers[l].name): \(s.groups) groups, silhouette \(format(s.silhouette)), ARI \(format(s.adjustedRandIndex)), purity \(format(s.purity)), cophenetic correlation \(format(s.copheneticCorrelation))"
                )
            }
        }
    }

    func dendrogram(_ file: ProfileFile, _ l: Int) throws -> LayerDendrogram {
        try LayerClustering.dendrogram(
            file, layer: l, metric: metric, method: linkage, optimalOrdering: optimalOrdering)
    }

    func format(_ x: Double) -> String { String(format: "%.3f", x) }

    /// The figure, Newick and linkage matrix of one tree; `suffix` (a layer name) goes before
    /// each path's extension when every layer is written.
    func write(_ tree: LayerDendrogram, file: ProfileFile?, l: Int?, suffix: String?) throws {
        func path(_ base: String) -> URL {
            let url = URL(fileURLWithPath: base)
            guard let suffix else { return url }
            let stem = url.deletingPathExtension()
            return stem.deletingLastPathComponent().appendingPathComponent(
                stem.lastPathComponent + "-" + suffix + (url.pathExtension.isEmpty ? "" : "." + url.pathExtension))
        }
        if let output {
            try Self.figure(
                tree, title: file.map { Self.title($0, l ?? 0, metric: metric, linkage: linkage) } ?? "dendrogram",
                heightLabel: "\(metric.rawValue) distance", orientation: orientation
            ).write(to: path(output))
        }
        if let newick {
            let text = try HierarchicalClustering.newick(tree.linkage, labels: tree.groups)
            try AtomicFile.write(Data((text + "\n").utf8), to: path(newick))
        }
        if let linkageMatrix {
            try NPYArray<Double>(shape: [tree.linkage.leafCount - 1, 4], elements: tree.linkage.scipyArray)
                .write(to: path(linkageMatrix))
        }
    }

    static func title(_ file: ProfileFile, _ l: Int, metric: DistanceMetric, linkage: LinkageMethod) -> String {
        "\(URL(fileURLWithPath: file.info.model).lastPathComponent) · \(file.layers[l].name) · \(file.info.options.kind.rawValue.uppercased()) · \(linkage.rawValue) linkage"
    }

    static func figure(_ tree: LayerDendrogram, title: String, heightLabel: String, orientation: Orientation)
        -> DendrogramFigure
    {
        var figure = DendrogramFigure(
            merges: tree.linkage.merges.map { DendrogramMerge(first: $0.first, second: $0.second, height: $0.height) },
            leafLabels: tree.groups, heightLabel: heightLabel, title: title)
        figure.leafColors = tree.classes.map { PhoneticColors.color(ofClass: $0) }
        figure.legend = PhoneticColors.legend(forClasses: tree.classes)
        figure.orientation = orientation == .top ? .top : .left
        if orientation == .left { figure.size = (600, max(500, 14 * Double(tree.groups.count) + 120)) }
        return figure
    }

    static func report(_ tree: LayerDendrogram, layer: String) -> [String: Any] {
        let s = tree.score
        return [
            "layer": layer, "groups": tree.groups, "classes": tree.classes,
            "leaf_order": HierarchicalClustering.leafOrder(tree.linkage).map { tree.groups[$0] },
            "linkage_matrix": tree.linkage.merges.map { [$0.first, $0.second, $0.height, $0.size] as [Any] },
            "silhouette": s.silhouette, "adjusted_rand_index": s.adjustedRandIndex, "purity": s.purity,
            "cophenetic_correlation": s.copheneticCorrelation, "k": s.classes,
        ]
    }

    func printJSON(_ object: Any) throws {
        let data = try JSONSerialization.data(
            withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        print(String(decoding: data, as: UTF8.self))
    }

    /// Every layer of every file: scores (and per-layer files), the summary figure, the table.
    func runAllLayers(_ files: [ProfileFile]) throws {
        var tables: [[String: Any]] = []
        var panels: [String: [LineSeries]] = [:]
        var depth: [Double] = []
        for (file, name) in zip(files, naps) {
            var scores: [LayerClusterScore] = []
            for l in file.layers.indices {
                let tree = try dendrogram(file, l)
                try write(tree, file: file, l: l, suffix: file.layers[l].name)
                scores.append(tree.score)
                if !json {
                    let s = tree.score
                    print(
                        "\(file.layers[l].name): silhouette \(format(s.silhouette)), ARI \(format(s.adjustedRandIndex)), purity \(format(s.purity)), cophenetic \(format(s.copheneticCorrelation))"
                    )
                }
            }
            let unit = file.info.options.unit.rawValue
            let label = "\(URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent) (\(unit))"
            tables.append([
                "naps": name, "unit": unit, "model": file.info.model,
                "layers": scores.map {
                    [
                        "index": $0.index, "name": $0.name, "groups": $0.groups, "classes": $0.classes,
                        "silhouette": $0.silhouette, "adjusted_rand_index": $0.adjustedRandIndex, "purity": $0.purity,
                        "cophenetic_correlation": $0.copheneticCorrelation,
                    ] as [String: Any]
                },
            ])
            if depth.isEmpty { depth = scores.map { Double($0.index) } }
            guard scores.map({ Double($0.index) }) == depth else { continue }
            let columns: [(String, (LayerClusterScore) -> Double)] = [
                ("silhouette against phonetic classes", \.silhouette),
                ("adjusted Rand index of a k-cut", \.adjustedRandIndex), ("purity of a k-cut", \.purity),
                ("cophenetic correlation", \.copheneticCorrelation),
            ]
            for (panel, value) in columns {
                panels[panel, default: []].append(LineSeries(label: label, values: scores.map(value)))
            }
        }
        if let summary, depth.count >= 2 {
            let order = [
                "silhouette against phonetic classes", "adjusted Rand index of a k-cut", "purity of a k-cut",
                "cophenetic correlation",
            ]
            var figure = LinePanelsFigure(
                x: depth, panels: order.map { LinePanel(title: $0, series: panels[$0] ?? []) },
                xLabel: "layer (0 = input features)", yLabel: "score",
                title:
                    "How well each layer's profiles cluster by phonetic class (\(metric.rawValue), \(linkage.rawValue))"
            )
            figure.columns = 2
            figure.verticalMarkers = []
            figure.sharedYRange = false
            figure.size = (900, 600)
            try figure.write(to: URL(fileURLWithPath: summary))
        }
        if json { try printJSON(["metric": metric.rawValue, "linkage": linkage.rawValue, "profiles": tables]) }
    }

    /// --input: the rows of a matrix.
    func runMatrix(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        let matrix = try ModelInput.matrix(path)
        let (values, shape) = (matrix.values, [matrix.rows, matrix.columns])
        var names = (0..<shape[0]).map(String.init)
        if let labels {
            let lines = try FileError.text(of: URL(fileURLWithPath: labels)).split(
                separator: "\n", omittingEmptySubsequences: false
            ).map(String.init)
            let trimmed = lines.last == "" ? Array(lines.dropLast()) : lines
            guard trimmed.count == shape[0] else {
                throw ValidationError(
                    "--labels \(labels) has \(trimmed.count) lines; valid: one per row of \(path) (\(shape[0]))")
            }
            names = trimmed
        }
        let distances = try PairwiseDistances.compute(values, rows: shape[0], dimension: shape[1], metric: metric)
        let z = try HierarchicalClustering.linkage(
            distances: distances, method: linkage, optimalOrdering: optimalOrdering)
        let cophenetic = try HierarchicalClustering.copheneticCorrelation(z, distances: distances)
        let score = LayerClusterScore(
            index: 0, name: "input", groups: shape[0], classes: 0, silhouette: .nan, adjustedRandIndex: .nan,
            purity: .nan, copheneticCorrelation: cophenetic)
        let tree = LayerDendrogram(
            groups: names, classes: names.map { _ in "other" }, linkage: z, distances: distances, score: score)
        if let output {
            var figure = Self.figure(
                tree, title: url.lastPathComponent + " · \(linkage.rawValue) linkage",
                heightLabel: "\(metric.rawValue) distance", orientation: orientation)
            figure.leafColors = nil
            figure.legend = []
            try figure.write(to: URL(fileURLWithPath: output))
        }
        try write(tree, file: nil, l: nil, suffix: nil)
        if json {
            try printJSON([
                "items": shape[0], "leaf_order": HierarchicalClustering.leafOrder(z).map { names[$0] },
                "linkage_matrix": z.merges.map { [$0.first, $0.second, $0.height, $0.size] as [Any] },
                "cophenetic_correlation": cophenetic,
            ])
        } else {
            print("clustered \(shape[0]) rows of \(path): cophenetic correlation \(format(cophenetic))")
        }
    }
}

extension DistanceMetric: ExpressibleByArgument {}
extension LinkageMethod: ExpressibleByArgument {}
