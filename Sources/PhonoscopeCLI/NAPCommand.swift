import ArgumentParser
import Corpus
import Foundation
import Introspection
import Recognizer

/// `phonoscope nap ...`: neuron activation profiles of every layer around phoneme events.
struct NAPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nap",
        abstract: "Neuron activation profiles (NAP, GradNAP, SNAP) of every layer, epoched around events.",
        subcommands: [NAPRunCommand.self, NAPMergeCommand.self],
        defaultSubcommand: NAPRunCommand.self
    )
}

/// `phonoscope nap --model MODEL --corpus DIR -o NAPS`.
struct NAPRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Profile a corpus: per layer and group, sums of epochs around every event.",
        discussion: """
            Every event (a true phone of the corpus's TextGrids, or with --alignments an
            event that phonoscope align derived) is epoched in every layer: the frames
            from -tau to +tau around it (the input features are layer 0, at twice the
            output rate, so they get 2 tau frames either side), zero-padded at the
            utterance's edges. The file keeps exact sums, sums of squares and counts per
            layer and group, so shards (--shard K/N: every N-th utterance from the K-th,
            by id) merge with `phonoscope nap merge` into exactly the unsharded result.

            Kinds: nap (activations), gradnap (activations adjusted by the gradient of the
            event's output: --adjustment product|absolute|mask), snap (epochs centred per
            layer and event at the saliency peak: --saliency-peak
            gradient|gradient-x-activation). The output is the softmax probability (or
            --gradient-output logit) of the event's label at the event's output frame: the
            most probable non-blank label there (--gradient-label predicted), or the
            letter align paired with the phoneme (aligned).

            Examples:
              phonoscope nap --model Corpora/models/en-small --corpus corpora/en-test -o \\
                en.naps
              phonoscope nap --model Corpora/models/en-small --corpus corpora/en-test \\
                --kind gradnap -o en-grad.naps
              phonoscope nap --model M --corpus C --shard 1/4 -o part1.naps # ... 2/4, \\
                3/4, 4/4, then merge
              phonoscope nap --model M --corpus C --alignments align-en --unit letter -o \\
                letters.naps
            """)

    @Option(help: "Model directory (config.json + model.safetensors).")
    var model: String

    @Option(help: "Corpus directory (manifest.jsonl with TextGrids).")
    var corpus: String

    @Option(help: "Output of phonoscope align (events.jsonl) to take events from instead of the true TextGrids.")
    var alignments: String?

    @Option(name: .shortAndLong, help: "The NAPs file to write (safetensors).")
    var output: String

    @Option(help: "nap, gradnap or snap.")
    var kind: ProfileOptions.Kind = .nap

    @Option(help: "Profile every N-th utterance (by id) from the K-th, as K/N.")
    var shard: String?

    @Option(help: "Layers to record: all, indices and ranges (0,3,8-10) or names (input,conv3).")
    var layers = "all"

    @Option(help: "Only these groups (comma-separated, e.g. IPA phonemes); default all.")
    var groups: String?

    @Option(help: "Leave out groups with fewer events (not applied to shards; merge applies it).")
    var minCount = 10

    @Option(help: "Group events by phoneme, letter (needs --alignments) or class (phonetic class).")
    var unit: ProfileOptions.Unit = .phoneme

    @Option(help: "True phones' event time: onset or center of the segment.")
    var anchor: ProfileOptions.Anchor = .onset

    @Option(help: "Frames either side of the event at the output rate (16 ms each for the shipped models).")
    var tau = 12

    @Option(help: "GradNAP/SNAP: the gradient of the label's probability or logit.")
    var gradientOutput: ProfileOptions.GradientOutput = .probability

    @Option(help: "GradNAP/SNAP: predicted (most probable non-blank label) or aligned (align's letter).")
    var gradientLabel: ProfileOptions.GradientLabel = .predicted

    @Option(help: "GradNAP: product (A G), absolute (A |G|) or mask (A where |G| reaches --mask-quantile).")
    var adjustment: ProfileOptions.Adjustment = .product

    @Option(help: "GradNAP mask: the quantile of the epoch's |G| to keep activations at or above.")
    var maskQuantile = 0.9

    @Option(help: "SNAP: centre at argmax of mean |G| (gradient) or sum |G| A (gradient-x-activation).")
    var saliencyPeak: ProfileOptions.SaliencyPeak = .gradient

    @Option(help: "Single-trial traces kept per group for ERP images.")
    var trials = 100

    @Option(help: "Only this split (train, dev, test, test-voices); default all utterances.")
    var split: String?

    @Option(help: "Only the first N utterances by id (0: all), before sharding.")
    var limit = 0

    @Option(help: "GradNAP/SNAP: events per batched backward pass.")
    var gradientBatch = 32

    func options() -> ProfileOptions {
        var options = ProfileOptions()
        options.kind = kind
        options.unit = unit
        options.anchor = anchor
        options.tau = tau
        options.gradientOutput = gradientOutput
        options.gradientLabel = gradientLabel
        options.adjustment = adjustment
        options.maskQuantile = maskQuantile
        options.saliencyPeak = saliencyPeak
        options.trialsPerGroup = trials
        options.gradientBatch = gradientBatch
        return options
    }

    /// K and N of --shard.
    func shardNumbers() throws -> (index: Int, count: Int)? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/").map { Int($0) }
        guard parts.count == 2, let k = parts[0], let n = parts[1], n >= 1, (1...n).contains(k) else {
            throw ValidationError("--shard \(shard) is invalid; valid: K/N with 1 <= K <= N, e.g. 2/4")
        }
        return (k, n)
    }

    func validate() throws {
        _ = try shardNumbers()
        try options().validate()
        guard minCount >= 1 else { throw ValidationError("--min-count \(minCount) is invalid; valid: 1 or more") }
        if unit == .letter && alignments == nil {
            throw ValidationError("--unit letter needs --alignments (the output of phonoscope align)")
        }
        if gradientLabel == .aligned && alignments == nil && kind != .nap {
            throw ValidationError("--gradient-label aligned needs --alignments (the output of phonoscope align)")
        }
        try OutputPath.checkDirectory(of: output)
    }

    func run() throws {
        let recognizer = try ModelInput.recognizer(model)
        let corpusURL = URL(fileURLWithPath: corpus)
        let speechCorpus = try SpeechCorpus(directory: corpusURL)
        guard let available = recognizer.profileLayers else {
            throw ValidationError("model \(model) has no feature preset, so its layers have no times")
        }
        let chosen = try LayerSelection.parse(layers, layers: available)
        var entries = (split.map { speechCorpus.entries(split: $0) } ?? speechCorpus.entries).sorted { $0.id < $1.id }
        if limit > 0 { entries = Array(entries.prefix(limit)) }
        guard !entries.isEmpty else {
            let splits = Set(speechCorpus.entries.map(\.split)).sorted().joined(separator: ", ")
            throw ValidationError(
                "corpus \(corpus) has no utterances\(split.map { " in split \"\($0)\"" } ?? ""); its splits: \(splits)")
        }
        let derived = try alignments.map { try ProfileEventSource.readAlignments(directory: URL(fileURLWithPath: $0)) }
        let wanted = groups.map {
            Set($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
        }
        let shardNumbers = try shardNumbers()
        let profiler = try ActivationProfiler(recognizer: recognizer, layers: chosen, options: options())
        var skipped: [String: String] = [:]
        var outside = 0
        var profiled = 0
        let mine = entries.enumerated().filter { index, _ in
            shardNumbers.map { index % $0.count == $0.index - 1 } ?? true
        }
        let bar = ProgressBar(label: "nap \(kind.rawValue)", unit: "utt")
        for (done, (index, entry)) in mine.enumerated() {
            defer { bar.update(done: done + 1, total: mine.count, detail: "\(skipped.count) skipped") }
            do {
                var events: [ProfileEvent]
                if let derived {
                    guard let utterance = derived[entry.id] else {
                        skipped[entry.id] = "no events in \(alignments ?? "")/events.jsonl (not aligned)"
                        continue
                    }
                    events = ProfileEventSource.events(derived: utterance, unit: unit)
                } else {
                    guard let grid = try speechCorpus.alignment(for: entry) else {
                        skipped[entry.id] = "the manifest names no TextGrid (use --alignments)"
                        continue
                    }
                    events = try ProfileEventSource.events(
                        trueAlignment: grid, unit: unit, anchor: anchor, path: entry.alignment ?? entry.id)
                }
                if let wanted { events = events.filter { wanted.contains($0.group) } }
                let features = try recognizer.features(ofFile: speechCorpus.audioURL(for: entry))
                let report = try profiler.add(
                    utterance: entry.id, index: index, features: features, events: events, duration: entry.duration)
                outside += report.outside
                profiled += 1
            } catch let error as ProfileError {
                if case .nonFiniteActivation = error { Console.warn("\(error)") }
                skipped[entry.id] = "\(error)"
            } catch {
                skipped[entry.id] = "\(error)"
            }
        }
        if outside > 0 { Console.warn("\(outside) events lie outside their audio and were left out") }
        for (id, reason) in skipped.sorted(by: { $0.key < $1.key }).prefix(10) {
            Console.warn("skipped \(id): \(reason)")
        }
        if skipped.count > 10 {
            Console.warn("... and \(skipped.count - 10) more utterances skipped (see the file's info)")
        }
        if let wanted {
            let missing = wanted.subtracting(profiler.accumulator.groups).sorted()
            if !missing.isEmpty {
                Console.warn("groups with no events, skipped: \(missing.joined(separator: " "))")
            }
        }
        var info = ProfileInfo(
            model: model,
            modelFingerprint: try ProfileInfo.fingerprint(of: [
                URL(fileURLWithPath: model).appendingPathComponent(Recognizer.configFile),
                URL(fileURLWithPath: model).appendingPathComponent(Recognizer.weightsFile),
            ]),
            corpus: corpus,
            corpusFingerprint: try ProfileInfo.fingerprint(of: [corpusURL.appendingPathComponent(Manifest.fileName)]),
            split: split ?? "all", options: options(), layers: chosen,
            outputStride: available.last?.stride ?? 1, shard: shard, utterances: profiled)
        info.skipped = skipped
        var file = ProfileFile(info: info, accumulator: profiler.accumulator)
        if shard == nil { NAPMergeCommand.applyMinimumCount(minCount, to: &file) }
        guard !file.groups.isEmpty else {
            throw ValidationError(
                "no group has \(minCount) or more events in \(profiled) profiled utterances (\(skipped.count) skipped); nothing written"
            )
        }
        try file.write(to: URL(fileURLWithPath: output))
        print(NAPMergeCommand.summary(of: file, path: output))
    }
}

extension ProfileOptions.Kind: ExpressibleByArgument {}
extension ProfileOptions.Unit: ExpressibleByArgument {}
extension ProfileOptions.Anchor: ExpressibleByArgument {}
extension ProfileOptions.GradientOutput: ExpressibleByArgument {}
extension ProfileOptions.GradientLabel: ExpressibleByArgument {}
extension ProfileOptions.Adjustment: ExpressibleByArgument {}
extension ProfileOptions.SaliencyPeak: ExpressibleByArgument {}
