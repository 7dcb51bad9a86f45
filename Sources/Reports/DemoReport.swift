import Foundation
import PhonoscopeIO

/// DIR/index.html and DIR/summary.md from the outputs of a demo run: per stage what the figure
/// shows, the figure, its numbers as tables and the command that reproduces it.
public struct DemoReport {
    public let directory: URL
    public let options: DemoOptions
    public let stages: [DemoStage]

    public init(directory: URL, options: DemoOptions) {
        self.directory = directory
        self.options = options
        self.stages = DemoPlan.stages(options)
    }

    /// The report of the demo directory `directory` (its demo.json gives the options).
    public init(directory: URL) throws {
        guard let marker = try DemoRunner.marker(in: directory) else {
            throw ReportError.notADemoDirectory(path: directory.path)
        }
        self.init(directory: directory, options: marker.options)
    }

    /// Files the report reads that are missing (relative paths).
    public func missingInputs() -> [String] {
        stages.flatMap(\.outputs).filter {
            !FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
    }

    /// Writes index.html and summary.md atomically; returns the figures that were not found.
    @discardableResult
    public func write() throws -> [String] {
        let missing = missingInputs()
        guard missing.isEmpty else { throw ReportError.missingFiles(directory: directory.path, files: missing) }
        let page = try html()
        try AtomicFile.write(Data(page.render().utf8), to: directory.appendingPathComponent("index.html"))
        try AtomicFile.write(Data(try summary().utf8), to: directory.appendingPathComponent("summary.md"))
        return page.missingFigures
    }

    func command(_ stage: String, _ index: Int = 0) -> String? {
        guard let found = stages.first(where: { $0.name == stage }), index < found.commands.count else { return nil }
        return found.commands[index].commandLine
    }

    /// The command of `stage` whose arguments contain `needle`.
    func command(_ stage: String, containing needle: String) -> String? {
        stages.first { $0.name == stage }?.commands.first { $0.arguments.contains(needle) }?.commandLine
    }

    static let languageNames = ["en": "English", "de": "German"]

    func modelName(_ language: String) -> String {
        options.models[language].map { URL(fileURLWithPath: $0).lastPathComponent } ?? "\(language)-small"
    }

    // MARK: - The page

    public func html() throws -> HTMLPage {
        var page = HTMLPage(
            title: "Phonoscope demo: what each layer of two speech recognisers hears", directory: directory)
        page.paragraph(
            "Two convolutional CTC recognisers of the Wav2Letter family (\(modelName("en")) for English, "
                + "\(modelName("de")) for German; 11 Conv1D layers on 128 mel bands, one output frame per 16 ms) "
                + "are presented with \(options.count) freshly synthesised utterances per language. Every layer's "
                + "responses are averaged around phoneme onsets like event-related potentials, mapped, clustered "
                + "and compared across the two languages.")
        page.paragraph(
            "Made by phonoscope demo with \(options.flags). Every command below runs from this folder "
                + "(cd into it first); the figures are the PNG files next to this page, so the folder can be "
                + "copied and read offline.", className: "note")
        var entries: [(id: String, title: String)] = []
        for language in DemoOptions.languages {
            let name = Self.languageNames[language] ?? language
            entries.append((id: language, title: "\(name): \(modelName(language))"))
        }
        entries.append((id: "compare", title: "English vs German"))
        page.contents(entries)
        for language in DemoOptions.languages {
            try languageSection(language, into: &page)
        }
        try compareSection(into: &page)
        return page
    }

    func languageSection(_ language: String, into page: inout HTMLPage) throws {
        let name = Self.languageNames[language] ?? language
        let model = modelName(language)
        page.heading("\(name): \(model)", level: 2, id: language)
        corpusSection(language, into: &page)
        try evaluationSection(language, into: &page)
        try alignmentSection(language, into: &page)
        erpSection(language, into: &page)
        if !options.quick {
            page.heading("\(name): gradient-weighted profiles (GradNAP)", level: 3)
            page.paragraph(
                "GradNAPs weigh each unit's activation by the gradient of the most probable non-blank letter's "
                    + "probability at the event's output frame (activation times gradient), so they show what a "
                    + "layer contributes to the decision rather than what it merely responds to. Lines are the "
                    + "global field power of conv5 per phoneme, as in the ERP figures below.")
            page.figure(
                "\(language)-gradnap/conv5-lines.png", caption: "GradNAP of conv5 (\(model)): field power per phoneme",
                command: command("\(language)-gradnap", containing: "--kind").map { $0 + "\n" }.map {
                    $0 + (command("\(language)-gradnap", 1) ?? "")
                })
        }
        try somSection(language, into: &page)
        try clusterSection(language, into: &page)
    }

    func corpusSection(_ language: String, into page: inout HTMLPage) {
        let name = Self.languageNames[language] ?? language
        page.heading("\(name): evaluation corpus and features", level: 3)
        page.paragraph(
            "A corpus synthesised with eSpeak NG: \(options.count) sentences from Debian's fortunes, voice "
                + "variants, speaking rates and pitches drawn from the seed, with true word and phone times from "
                + "eSpeak's own events. With seed 1 and at most 480 utterances every sentence is one the shipped "
                + "model never trained on (they are its own corpus's held-out sentences); the split names only "
                + "say which voices speak them (test-voices: voices unseen in training).")
        let splits = manifestSplits(language)
        if !splits.isEmpty {
            page.table(
                headers: ["split", "utterances", "hours"],
                rows: ["train", "dev", "test", "test-voices"].compactMap { split in
                    splits[split].map { [split, String($0.count), Format.fixed($0.seconds / 3600, 3)] }
                })
        }
        let first = DemoPlan.firstUtterance(language, count: options.count)
        page.figure(
            "\(language)-features/\(first).png",
            caption:
                "Utterance \(first) drawn Praat-style: waveform, log-mel spectrogram, the true word and phone tiers "
                + "with the phone boundaries across both panels.",
            command: command("\(language)-features", 0))
        page.figure(
            "\(language)-features/\(first)-logmel.png",
            caption:
                "The recogniser's input for the same utterance: 128 mel bands of dB power, z-scored per "
                + "utterance (the speechless preset), 8 ms per frame.",
            command: command("\(language)-features", 1))
    }

    func manifestSplits(_ language: String) -> [String: (count: Int, seconds: Double)] {
        let url = directory.appendingPathComponent("\(language)-corpus/manifest.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var result: [String: (count: Int, seconds: Double)] = [:]
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let split = object["split"] as? String
            else { continue }
            let duration = (object["duration"] as? NSNumber)?.doubleValue ?? 0
            let old = result[split] ?? (0, 0)
            result[split] = (old.count + 1, old.seconds + duration)
        }
        return result
    }

    func evaluations(_ language: String) throws -> [(split: String, json: JSONObject)] {
        try DemoPlan.splits(quick: options.quick).map {
            ($0, try JSONObject.read("\(language)-evaluate/\($0).json", in: directory))
        }
    }

    func evaluationSection(_ language: String, into page: inout HTMLPage) throws {
        let name = Self.languageNames[language] ?? language
        page.heading("\(name): recognition", level: 3)
        page.paragraph(
            "Greedy CTC decoding of every utterance, scored against the transcript: character and word error "
                + "rates pooled over the split (edit distances over reference lengths) and the mean CTC loss. "
                + "Utterances shorter than the receptive field (194 input frames, 1.55 s) cannot be recognised and "
                + "are counted as skipped.")
        let rows = try evaluations(language).map { split, json in
            [
                split, Format.int(json.int("utterances")), Format.int(json.int("skipped_too_short")),
                Format.percent(json.double("cer")), Format.percent(json.double("wer")),
                Format.fixed(json.double("ctc_loss"), 2),
            ]
        }
        page.table(headers: ["split", "utterances", "skipped (too short)", "CER", "WER", "CTC loss"], rows: rows)
        let commands = stages.first { $0.name == "\(language)-evaluate" }?.commands.map(\.commandLine) ?? []
        page.preformatted(commands.joined(separator: "\n"))
    }

    func alignmentSection(_ language: String, into page: inout HTMLPage) throws {
        let name = Self.languageNames[language] ?? language
        let scores = try JSONObject.read("\(language)-align/scores.json", in: directory)
        page.heading("\(name): phoneme events from the model's own letters", level: 3)
        page.paragraph(
            "Each letter of the transcript is placed at the first frame of its run on the forced CTC path; the "
                + "G2P's phonemes are paired with the letters by Needleman-Wunsch with letter-phoneme scores "
                + "learned by EM, and each phoneme's lag behind its true segment, learned on the dev split per "
                + "context (place in the word, gaps to the neighbouring events), is subtracted. The table scores the derived events against eSpeak's true phone "
                + "segments; the figures put the derived tiers under the true ones.")
        page.table(
            headers: [
                "utterances aligned", "events", "events in their true segment", "median / p90 offset (ms)",
                "boundaries within 20 / 40 ms", "coverage",
            ],
            rows: [
                [
                    "\(Format.int(scores.int("aligned"))) of \(Format.int(scores.int("utterances")))",
                    Format.int(scores.int("events")), Format.fixed(scores.double("events_in_segment")),
                    Format.fixed(scores.double("median_offset_ms"), 1) + " / "
                        + Format.fixed(scores.double("p90_offset_ms"), 1),
                    Format.fixed(scores.double("boundaries_within_20ms"), 2) + " / "
                        + Format.fixed(scores.double("boundaries_within_40ms"), 2),
                    Format.fixed(scores.double("coverage")),
                ]
            ], caption: "All phonemes (split \(scores.string("split") ?? "train"), calibrated on dev)")
        if let classes = scores.object("by_class") {
            let rows = classes.values.keys.sorted().compactMap { key -> [String]? in
                guard let row = classes.object(key) else { return nil }
                return [
                    key, Format.int(row.int("events")), Format.fixed(row.double("events_in_segment")),
                    Format.fixed(row.double("median_offset_ms"), 1), Format.fixed(row.double("p90_offset_ms"), 1),
                    Format.fixed(row.double("coverage")),
                ]
            }
            page.table(
                headers: ["class", "events", "in segment", "median offset (ms)", "p90 offset (ms)", "coverage"],
                rows: rows, caption: "By phonetic class")
        }
        let figures =
            (try? FileManager.default.contentsOfDirectory(atPath: "\(directory.path)/\(language)-align/figures"))?
            .filter { $0.hasSuffix(".png") }.sorted() ?? []
        let alignCommand = command("\(language)-align")
        for (index, figure) in figures.enumerated() {
            page.figure(
                "\(language)-align/figures/\(figure)",
                caption:
                    "\(figure.replacingOccurrences(of: ".png", with: "")): true tiers (eSpeak NG) on top, the tiers "
                    + "derived from the model's CTC path under them.",
                command: index == 0 ? alignCommand : nil)
        }
        if figures.isEmpty, let alignCommand { page.preformatted(alignCommand) }
    }

    static let erpFigures: [(suffix: String, caption: String)] = [
        (
            "lines",
            "Global field power (the root mean square over units) of the layer's NAP for the 8 most frequent "
                + "phonemes, time-locked to phoneme onset (t = 0), with 95 % bands over events."
        ),
        (
            "image",
            "ERP image: single trials of the most frequent phoneme, one row each, sorted by phone duration; "
                + "a response locked to the onset is a vertical band, one locked to the offset follows the sort."
        ),
        (
            "heatmap",
            "Contrastive NAP (units x time) of the most frequent phoneme: its average minus the average over all "
                + "phonemes, so units that respond selectively stand out from the shared response."
        ),
        (
            "heatmap-groups",
            "Time-independent contrastive NAP (units x phonemes): which units prefer which phonemes; rows and "
                + "columns are ordered so that similar ones are neighbours."
        ),
    ]

    func erpSection(_ language: String, into page: inout HTMLPage) {
        let name = Self.languageNames[language] ?? language
        page.heading("\(name): neuron activation profiles and ERPs", level: 3)
        page.paragraph(
            "Every utterance is presented to the model, and each layer's response is cut into epochs around "
                + "every true phone onset (+-12 output frames, +-192 ms; the input at 8 ms frames) and averaged per "
                + "phoneme: a neuron activation profile (NAP), as an ERP study averages EEG epochs. Layer 0 is the "
                + "input features, conv1-conv10 the ReLU outputs, conv11 the letter logits.")
        if let napCommand = command("\(language)-nap") { page.preformatted(napCommand) }
        for layer in DemoPlan.erpLayers(quick: options.quick) {
            let base = DemoPlan.layerName(layer)
            page.heading("\(name) \(base)", level: 4)
            let erpCommand = command("\(language)-erp", containing: String(layer) == "0" ? "0" : String(layer))
            let layerCommand =
                stages.first { $0.name == "\(language)-erp" }?.commands
                .first { $0.arguments.contains("\(language)-erp/\(base).png") }?.commandLine ?? erpCommand
            var figures = Self.erpFigures
            if layer == 0 {
                figures.append(
                    (
                        "spectrogram",
                        "The input layer's NAP per phoneme as a spectrogram: the average log-mel around the onset "
                            + "minus the grand average - fricatives show high-frequency energy, vowels their formants."
                    ))
            }
            for (index, figure) in figures.enumerated() {
                page.figure(
                    "\(language)-erp/\(base)-\(figure.suffix).png", caption: "\(base): " + figure.caption,
                    command: index == figures.count - 1 ? layerCommand : nil)
            }
        }
    }

    func somSection(_ language: String, into page: inout HTMLPage) throws {
        let name = Self.languageNames[language] ?? language
        let som = try JSONObject.read("\(language)-som/som.json", in: directory)
        page.heading("\(name): self-organising map of the first layer's filters", level: 3)
        page.paragraph(
            "Each of conv1's 250 filters (48 input frames x 128 mel bands, scaled to unit length) is placed on "
                + "a Kohonen map, so that similar filters lie close together: a topography of the learnt "
                + "spectro-temporal detectors (onsets, formant bands, noise edges). The U-matrix shows the distance "
                + "between neighbouring cells; dark valleys are families of similar filters.")
        let grid = (som.values["grid"] as? [NSNumber])?.map { String($0.intValue) }.joined(separator: "x") ?? "-"
        page.table(
            headers: ["filters", "grid", "cells used", "quantisation error", "topographic error"],
            rows: [
                [
                    Format.int(som.int("items")), grid, Format.int(som.int("cells_used")),
                    Format.fixed(som.double("quantization_error")), Format.fixed(som.double("topographic_error")),
                ]
            ])
        let somCommand = command("\(language)-som")
        page.figure("\(language)-som/filters.png", caption: "conv1 filters on the SOM grid (\(modelName(language)))")
        page.figure(
            "\(language)-som/umatrix.png", caption: "U-matrix of the same map", command: somCommand)
    }

    func clusterSection(_ language: String, into page: inout HTMLPage) throws {
        let name = Self.languageNames[language] ?? language
        let scores = try JSONObject.read("\(language)-cluster/scores.json", in: directory)
        page.heading("\(name): phoneme clustering per layer", level: 3)
        page.paragraph(
            "Phonemes are clustered hierarchically by their NAPs (cosine distance, average linkage, optimal "
                + "leaf order) in every layer, and the tree cut into as many clusters as there are phonetic "
                + "classes. Silhouette, purity and adjusted Rand index against the classes (vowels, plosives, "
                + "fricatives, nasals, ...) rise where a layer groups phonemes the way phoneticians do; the "
                + "cophenetic correlation says how well the tree keeps the distances.")
        let layers = scores.objects("profiles").first?.objects("layers") ?? []
        page.table(
            headers: ["layer", "phonemes", "silhouette", "purity", "adjusted Rand", "cophenetic r"],
            rows: layers.map { layer in
                [
                    "\(Format.int(layer.int("index"))) \(layer.string("name") ?? "")", Format.int(layer.int("groups")),
                    Format.fixed(layer.double("silhouette")), Format.fixed(layer.double("purity")),
                    Format.fixed(layer.double("adjusted_rand_index")),
                    Format.fixed(layer.double("cophenetic_correlation")),
                ]
            })
        page.figure(
            "\(language)-cluster/scores.png", caption: "Cluster scores against depth (\(modelName(language)))",
            command: command("\(language)-cluster", 0))
        for (offset, layer) in DemoPlan.dendrogramLayers(quick: options.quick).enumerated() {
            let base = DemoPlan.layerName(layer)
            page.figure(
                "\(language)-cluster/\(base).png",
                caption: "Dendrogram of the phonemes' NAPs in \(base); leaves coloured by phonetic class.",
                command: command("\(language)-cluster", offset + 1))
        }
    }

    func compareSection(into page: inout HTMLPage) throws {
        let comparison = try JSONObject.read("compare/comparison.json", in: directory)
        page.heading("English vs German", level: 2, id: "compare")
        page.paragraph(
            "The two models' NAPs are compared on the phonemes both languages share: representational "
                + "similarity (the Spearman correlation of the two phoneme-by-phoneme distance matrices), linear "
                + "CKA, and how similar each phoneme's profile is to the same phoneme in the other model compared "
                + "with other phonemes, unit by unit. Early layers of recognisers trained on different "
                + "languages are expected to respond alike, the last layers to be language-specific.")
        let shared = comparison.strings("shared")
        page.paragraph(
            "\(shared.count) shared phonemes: " + shared.joined(separator: " ") + ". Only \(modelName("en")): "
                + comparison.strings("only_first").joined(separator: " ") + ". Only \(modelName("de")): "
                + comparison.strings("only_second").joined(separator: " ") + ".")
        page.table(
            headers: [
                "layer", "RSA", "CKA", "same-unit similarity (same / other phonemes)", "silhouette \(modelName("en"))",
                "silhouette \(modelName("de"))",
            ],
            rows: comparison.objects("layers").map { layer in
                [
                    "\(Format.int(layer.int("index"))) \(layer.string("name") ?? "")",
                    Format.fixed(layer.double("rsa")),
                    Format.fixed(layer.double("cka")),
                    Format.fixed(layer.double("same_unit_similarity")) + " / "
                        + Format.fixed(layer.double("same_unit_similarity_other_phonemes")),
                    Format.fixed(layer.double("silhouette_first")), Format.fixed(layer.double("silhouette_second")),
                ]
            })
        page.heading("The papers' claims", level: 3)
        page.bulletList(
            comparison.objects("claims").map { claim in
                let verdict = claim.bool("reproduced") == true ? "Reproduced" : "Not reproduced"
                return "\(verdict): \(claim.string("claim") ?? "") (\(claim.string("evidence") ?? ""))."
            })
        let compareCommand = command("compare")
        let figures = comparison.strings("figures")
        for (index, figure) in figures.enumerated() {
            let caption =
                figure == "similarity.png"
                ? "Similarity of the two models per shared layer."
                : "Tanglegram of "
                    + figure.replacingOccurrences(of: "tanglegram-", with: "").replacingOccurrences(
                        of: ".png", with: "")
                    + ": the English (left) and German (right) dendrograms of the shared phonemes, each phoneme "
                    + "joined to itself; few crossings mean the two models group phonemes alike."
            page.figure(
                "compare/\(figure)", caption: caption, command: index == figures.count - 1 ? compareCommand : nil)
        }
    }

    // MARK: - summary.md

    public func summary() throws -> String {
        var lines = ["# Phonoscope demo: key numbers", "", "Made by `phonoscope demo` with \(options.flags).", ""]
        lines += [
            "## Recognition (greedy CTC)", "", "| model | split | utterances | CER | WER |", "|---|---|---:|---:|---:|",
        ]
        for language in DemoOptions.languages {
            for (split, json) in try evaluations(language) {
                lines.append(
                    "| \(modelName(language)) | \(split) | \(Format.int(json.int("utterances"))) | "
                        + "\(Format.percent(json.double("cer"))) | \(Format.percent(json.double("wer"))) |")
            }
        }
        lines += [
            "", "## Phoneme events (calibrated on dev)", "",
            "| model | events | in true segment | median / p90 offset (ms) | coverage |", "|---|---:|---:|---:|---:|",
        ]
        for language in DemoOptions.languages {
            let scores = try JSONObject.read("\(language)-align/scores.json", in: directory)
            lines.append(
                "| \(modelName(language)) | \(Format.int(scores.int("events"))) | "
                    + "\(Format.fixed(scores.double("events_in_segment"))) | "
                    + "\(Format.fixed(scores.double("median_offset_ms"), 1)) / "
                    + "\(Format.fixed(scores.double("p90_offset_ms"), 1)) | \(Format.fixed(scores.double("coverage"))) |"
            )
        }
        lines += ["", "## Clustering against phonetic classes (silhouette per layer)", ""]
        for language in DemoOptions.languages {
            let scores = try JSONObject.read("\(language)-cluster/scores.json", in: directory)
            let layers = scores.objects("profiles").first?.objects("layers") ?? []
            let best = layers.max { ($0.double("silhouette") ?? -2) < ($1.double("silhouette") ?? -2) }
            let list = layers.map { "\($0.string("name") ?? "?") \(Format.fixed($0.double("silhouette"), 2))" }
            lines.append(
                "- \(modelName(language)): " + list.joined(separator: ", ")
                    + (best.map { "; highest in \($0.string("name") ?? "?")" } ?? ""))
        }
        let comparison = try JSONObject.read("compare/comparison.json", in: directory)
        lines += ["", "## English vs German", "", "| layer | RSA | CKA |", "|---|---:|---:|"]
        for layer in comparison.objects("layers") {
            lines.append(
                "| \(Format.int(layer.int("index"))) \(layer.string("name") ?? "") | "
                    + "\(Format.fixed(layer.double("rsa"))) | \(Format.fixed(layer.double("cka"))) |")
        }
        lines.append("")
        for claim in comparison.objects("claims") {
            let verdict = claim.bool("reproduced") == true ? "Reproduced" : "Not reproduced"
            lines.append("- \(verdict): \(claim.string("claim") ?? ""). \(claim.string("evidence") ?? "").")
        }
        lines += ["", "The figures and every command: index.html.", ""]
        return lines.joined(separator: "\n")
    }
}
