import ArgumentParser
import Clustering
import Corpus
import Foundation
import Introspection
import PhonoscopeIO
import Plots
import Recognizer

/// `phonoscope compare --naps A --naps B -o DIR`: two models' profiles side by side.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two models' profiles (e.g. English and German) layer by layer on their shared phonemes.",
        discussion: """
            On the phonemes both NAPs files hold (by IPA), per layer: the similarity of
            each phoneme's time-independent NAP in the two models unit by unit (meaningful
            where units correspond, as in a German model initialised from the English one;
            the output layers are paired by letter), beside the same for different
            phonemes as a baseline; representational similarity (Spearman's correlation of
            the two phoneme x phoneme cosine-distance matrices); linear CKA of the two
            layers on matched conditions (each shared phoneme's mean epoch, frame by
            frame); and each model's silhouette of its phonemes against their phonetic
            classes. Linear CKA is also measured on matched inputs: both models hear the
            same --cka-utterances utterances (of the first profile's corpus), every second
            frame a row. Writes DIR/comparison.json, DIR/similarity.png (the numbers
            against depth), a tanglegram of the two dendrograms per --tanglegram-layers
            layer, and DIR/summary.md, which says with the numbers whether the models
            reproduce the papers' claims (SCIENCE.md).

            Example:
              phonoscope compare --naps en.naps --naps de.naps -o en-vs-de
            """)

    @Option(help: "Two NAPs files: --naps A --naps B (A's model is named first in every output).")
    var naps: [String] = []

    @Option(name: .shortAndLong, help: "Output directory (created if missing).")
    var output: String

    @Option(help: "Layers to draw tanglegrams for (indices, comma-separated).")
    var tanglegramLayers = "1,5,9,11"

    @Option(help: "Distance for the dendrograms and similarity matrices: cosine, euclidean or correlation.")
    var metric: DistanceMetric = .cosine

    @Option(help: "Linkage of the dendrograms.")
    var linkage: LinkageMethod = .average

    @Option(help: "Utterances both models hear for CKA on matched inputs (0: skip).")
    var ckaUtterances = 40

    @Option(help: "Corpus for CKA on matched inputs (default: the first profile's corpus).")
    var ckaCorpus: String?

    func validate() throws {
        guard naps.count == 2 else {
            throw ValidationError("give exactly two NAPs files: --naps A --naps B (got \(naps.count))")
        }
        if [.ward, .centroid, .median].contains(linkage) && metric != .euclidean {
            throw ValidationError("--linkage \(linkage.rawValue) requires --metric euclidean (as SciPy does)")
        }
        try OutputPath.checkDirectory(of: output)
    }

    /// A short name for a profile: its model directory's name.
    static func name(_ file: ProfileFile) -> String { URL(fileURLWithPath: file.info.model).lastPathComponent }

    /// The model's output labels (for pairing output units), when the model directory is there.
    static func labels(_ file: ProfileFile) -> [String]? {
        guard let recognizer = try? Recognizer(directory: URL(fileURLWithPath: file.info.model)) else { return nil }
        return recognizer.alphabet.labels.map(String.init)
    }

    func run() throws {
        let a = try ProfileFile(contentsOf: URL(fileURLWithPath: naps[0]))
        let b = try ProfileFile(contentsOf: URL(fileURLWithPath: naps[1]))
        let directory = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var pairing: (first: [String], second: [String])?
        if let la = Self.labels(a), let lb = Self.labels(b) { pairing = (la, lb) }
        let comparison = try ProfileComparison.compare(a, b, outputLabels: pairing)
        let (nameA, nameB) = (Self.name(a), Self.name(b))

        // Each model's class scores on its own groups, per layer.
        func scores(_ file: ProfileFile) throws -> [Int: LayerClusterScore] {
            var result: [Int: LayerClusterScore] = [:]
            for l in file.layers.indices {
                result[file.layers[l].index] =
                    try LayerClustering.dendrogram(file, layer: l, metric: metric, method: linkage).score
            }
            return result
        }
        let scoresA = try scores(a)
        let scoresB = try scores(b)
        let matched = try matchedInputCKA(a, b)
        let silhouetteA = scoresA.mapValues(\.silhouette)
        let silhouetteB = scoresB.mapValues(\.silhouette)

        // Tanglegrams on the shared phonemes.
        let wanted = Set(tanglegramLayers.split(separator: ",").compactMap { Int($0) })
        var tanglegrams: [String] = []
        for layer in comparison.layers where wanted.contains(layer.index) {
            guard let la = a.layers.firstIndex(where: { $0.index == layer.index }),
                let lb = b.layers.firstIndex(where: { $0.index == layer.index })
            else { continue }
            let trees = try [(a, la), (b, lb)].map { file, l -> DendrogramTree in
                let profiles = ProfileComparison.timeIndependent(file, l, groups: comparison.shared)
                let z = try HierarchicalClustering.linkage(
                    profiles.flatMap { $0 }, rows: comparison.shared.count, dimension: file.layers[l].channels,
                    method: linkage, metric: metric, optimalOrdering: true)
                return DendrogramTree(
                    merges: z.merges.map { DendrogramMerge(first: $0.first, second: $0.second, height: $0.height) },
                    leafLabels: comparison.shared,
                    leafColors: comparison.shared.map {
                        PhoneticColors.color(ofClass: LayerClustering.phoneticClass(of: $0, unit: .phoneme))
                    })
            }
            var figure = TanglegramFigure(
                left: trees[0], right: trees[1], leftTitle: nameA, rightTitle: nameB,
                heightLabel: "\(metric.rawValue) distance",
                title: "\(layer.name): dendrograms of the \(comparison.shared.count) shared phonemes")
            figure.legend = PhoneticColors.legend(
                forClasses: comparison.shared.map { LayerClustering.phoneticClass(of: $0, unit: .phoneme) })
            figure.size = (900, max(600, 13 * Double(comparison.shared.count) + 140))
            let file = "tanglegram-\(layer.name).png"
            try figure.write(to: directory.appendingPathComponent(file))
            tanglegrams.append(file)
        }

        // Similarity against depth.
        let depth = comparison.layers.map { Double($0.index) }
        func series(_ label: String, _ values: [Double?]) -> LineSeries {
            LineSeries(label: label, values: values.map { $0 ?? .nan })
        }
        var figure = LinePanelsFigure(
            x: depth,
            panels: [
                LinePanel(
                    title: "representational similarity (Spearman)",
                    series: [series("\(nameA) vs \(nameB)", comparison.layers.map(\.rsa))]),
                LinePanel(
                    title: "linear CKA",
                    series: [
                        series("matched phoneme conditions", comparison.layers.map(\.cka)),
                        series("matched inputs (the same audio)", comparison.layers.map { matched[$0.index] }),
                    ]),
                LinePanel(
                    title: "same-unit NAP similarity (cosine)",
                    series: [
                        series("same phoneme", comparison.layers.map(\.sameUnitSimilarity)),
                        series("different phonemes", comparison.layers.map(\.sameUnitSimilarityOtherPhonemes)),
                    ]),
                LinePanel(
                    title: "silhouette against phonetic classes",
                    series: [
                        series(nameA, comparison.layers.map { silhouetteA[$0.index] }),
                        series(nameB, comparison.layers.map { silhouetteB[$0.index] }),
                    ]),
            ], xLabel: "layer (0 = input features)", yLabel: "score",
            title: "\(nameA) vs \(nameB): \(comparison.shared.count) shared phonemes")
        figure.columns = 2
        figure.verticalMarkers = []
        figure.sharedYRange = false
        figure.size = (900, 600)
        try figure.write(to: directory.appendingPathComponent("similarity.png"))

        let verdicts = Self.verdicts(
            comparison, scoresA: scoresA, scoresB: scoresB, matched: matched, nameA: nameA, nameB: nameB)
        var report: [String: Any] = [
            "first": naps[0], "second": naps[1], "shared": comparison.shared, "only_first": comparison.onlyFirst,
            "only_second": comparison.onlySecond, "metric": metric.rawValue, "linkage": linkage.rawValue,
            "claims": verdicts.map { ["claim": $0.claim, "reproduced": $0.holds, "evidence": $0.evidence] },
            "figures": ["similarity.png"] + tanglegrams,
        ]
        report["layers"] = comparison.layers.map { layer -> [String: Any] in
            [
                "index": layer.index, "name": layer.name, "rsa": layer.rsa, "cka": layer.cka,
                "cka_matched_inputs": matched[layer.index] ?? NSNull(),
                "same_unit_similarity": layer.sameUnitSimilarity ?? NSNull(),
                "same_unit_similarity_other_phonemes": layer.sameUnitSimilarityOtherPhonemes ?? NSNull(),
                "silhouette_first": silhouetteA[layer.index] ?? NSNull(),
                "silhouette_second": silhouetteB[layer.index] ?? NSNull(),
            ]
        }
        let data = try JSONSerialization.data(
            withJSONObject: report, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        try AtomicFile.write(data, to: directory.appendingPathComponent("comparison.json"))
        let markdown = Self.markdown(
            comparison, verdicts: verdicts, silhouetteA: silhouetteA, silhouetteB: silhouetteB, matched: matched,
            nameA: nameA, nameB: nameB)
        try AtomicFile.write(Data(markdown.utf8), to: directory.appendingPathComponent("summary.md"))
        print(markdown)
    }

    /// Linear CKA per layer index of the two models on the same audio: the first
    /// `ckaUtterances` utterances (by id) of the corpus, every second frame of each, both models'
    /// activations side by side. Empty when the models or the corpus are not at hand.
    func matchedInputCKA(_ a: ProfileFile, _ b: ProfileFile) throws -> [Int: Double] {
        guard ckaUtterances > 0,
            let modelA = try? Recognizer(directory: URL(fileURLWithPath: a.info.model)),
            let modelB = try? Recognizer(directory: URL(fileURLWithPath: b.info.model)),
            let layersA = modelA.profileLayers, let layersB = modelB.profileLayers
        else {
            Console.warn(
                "CKA on matched inputs skipped: the models \(a.info.model), \(b.info.model) are not readable here")
            return [:]
        }
        let corpusPath = ckaCorpus ?? a.info.corpus
        guard let corpus = try? SpeechCorpus(directory: URL(fileURLWithPath: corpusPath)) else {
            Console.warn("CKA on matched inputs skipped: no corpus at \(corpusPath) (give --cka-corpus)")
            return [:]
        }
        let indices = a.layers.map(\.index).filter { index in b.layers.contains { $0.index == index } }
        let chosenA = layersA.filter { indices.contains($0.index) }
        let chosenB = layersB.filter { indices.contains($0.index) }
        let profilerA = try ActivationProfiler(recognizer: modelA, layers: chosenA, options: ProfileOptions())
        let profilerB = try ActivationProfiler(recognizer: modelB, layers: chosenB, options: ProfileOptions())
        var rowsA = [[Double]](repeating: [], count: indices.count)
        var rowsB = [[Double]](repeating: [], count: indices.count)
        var counts = [Int](repeating: 0, count: indices.count)
        for entry in corpus.entries.sorted(by: { $0.id < $1.id }).prefix(ckaUtterances) {
            let features = try modelA.features(ofFile: corpus.audioURL(for: entry))
            let x = try profilerA.activations(id: entry.id, features: features)
            let y = try profilerB.activations(id: entry.id, features: features)
            for l in indices.indices {
                let (p, q) = (chosenA[l].channels, chosenB[l].channels)
                let frames = min(x[l].count / p, y[l].count / q)
                for t in stride(from: 0, to: frames, by: 2) {
                    rowsA[l] += x[l][(t * p)..<((t + 1) * p)].map(Double.init)
                    rowsB[l] += y[l][(t * q)..<((t + 1) * q)].map(Double.init)
                    counts[l] += 1
                }
            }
        }
        var result: [Int: Double] = [:]
        for (l, index) in indices.enumerated() where counts[l] > 1 {
            result[index] = RepresentationSimilarity.linearCKA(
                x: rowsA[l], y: rowsB[l], count: counts[l], xDimension: chosenA[l].channels,
                yDimension: chosenB[l].channels)
        }
        return result
    }

    struct Verdict {
        var claim: String
        var holds: Bool
        var evidence: String
    }

    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// The papers' claims (SCIENCE.md) checked on these numbers.
    static func verdicts(
        _ c: ProfileComparison, scoresA: [Int: LayerClusterScore], scoresB: [Int: LayerClusterScore],
        matched: [Int: Double], nameA: String, nameB: String
    ) -> [Verdict] {
        let early = c.layers.filter { (1...3).contains($0.index) }
        let last = c.layers.max { $0.index < $1.index }
        let deep = c.layers.filter { (9...10).contains($0.index) }
        func f(_ x: Double) -> String { String(format: "%.2f", x) }
        var result: [Verdict] = []
        if let last, !early.isEmpty {
            let rsaEarly = mean(early.map(\.rsa))
            let ckaEarly = mean(early.map(\.cka))
            var holds = rsaEarly > last.rsa && ckaEarly > last.cka
            var evidence =
                "representational similarity \(f(rsaEarly)) in layers 1-3 against \(f(last.rsa)) in \(last.name); linear CKA on matched phoneme conditions \(f(ckaEarly)) against \(f(last.cka))"
            let sameAudio = early.compactMap { matched[$0.index] }
            if !sameAudio.isEmpty, let lastMatched = matched[last.index] {
                holds = holds && mean(sameAudio) > lastMatched
                evidence += "; linear CKA on the same audio \(f(mean(sameAudio))) against \(f(lastMatched))"
            }
            result.append(
                Verdict(
                    claim: "early layers of the two models respond alike while the predictions are language-specific",
                    holds: holds, evidence: evidence))
        }
        for (name, scores) in [(nameA, scoresA), (nameB, scoresB)] where !deep.isEmpty && !early.isEmpty {
            let s1 = mean(early.compactMap { scores[$0.index]?.silhouette })
            let s9 = mean(deep.compactMap { scores[$0.index]?.silhouette })
            let a1 = mean(early.compactMap { scores[$0.index]?.adjustedRandIndex })
            let a9 = mean(deep.compactMap { scores[$0.index]?.adjustedRandIndex })
            let peak = scores.max { $0.value.silhouette < $1.value.silhouette }
            result.append(
                Verdict(
                    claim: "\(name): phoneme clusters become more distinct in deeper layers (around layers 9-10)",
                    holds: s9 > s1 && a9 > a1,
                    evidence:
                        "silhouette against phonetic classes \(f(s1)) in layers 1-3, \(f(s9)) in layers 9-10 (highest \(f(peak?.value.silhouette ?? .nan)) in layer \(peak?.key ?? -1)); adjusted Rand index of the k-cut \(f(a1)) against \(f(a9)); negative silhouettes mean the classes overlap more than they separate, and both numbers must rise for the claim to count as reproduced"
                ))
        }
        return result
    }

    static func markdown(
        _ c: ProfileComparison, verdicts: [Verdict], silhouetteA: [Int: Double], silhouetteB: [Int: Double],
        matched: [Int: Double], nameA: String, nameB: String
    ) -> String {
        func f(_ x: Double?) -> String { x.map { $0.isNaN ? "-" : String(format: "%.3f", $0) } ?? "-" }
        var lines = [
            "# \(nameA) vs \(nameB)", "",
            "\(c.shared.count) shared phonemes: \(c.shared.joined(separator: " "))",
            "only \(nameA): \(c.onlyFirst.joined(separator: " "))",
            "only \(nameB): \(c.onlySecond.joined(separator: " "))",
            "",
            "| layer | RSA | CKA (conditions) | CKA (same audio) | same-unit similarity (same / other phonemes) | silhouette \(nameA) | silhouette \(nameB) |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for layer in c.layers {
            lines.append(
                "| \(layer.index) \(layer.name) | \(f(layer.rsa)) | \(f(layer.cka)) | \(f(matched[layer.index])) | \(f(layer.sameUnitSimilarity)) / \(f(layer.sameUnitSimilarityOtherPhonemes)) | \(f(silhouetteA[layer.index])) | \(f(silhouetteB[layer.index])) |"
            )
        }
        lines += ["", "## The papers' claims", ""]
        for verdict in verdicts {
            lines.append("- \(verdict.holds ? "Reproduced" : "Not reproduced"): \(verdict.claim). \(verdict.evidence).")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
