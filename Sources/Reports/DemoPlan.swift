import Foundation

/// The options a demo run was made with; recorded in DIR/demo.json so that a rerun resumes
/// only with the same ones and `phonoscope report` can rebuild the commands.
public struct DemoOptions: Codable, Equatable, Sendable {
    /// Utterances synthesised per language.
    public var count: Int
    public var seed: UInt64
    /// Small and fast (CI and tests): fewer layers profiled and drawn, no GradNAPs.
    public var quick: Bool
    /// Model directories by language code ("en", "de"), as given to the commands.
    public var models: [String: String]

    public static let languages = ["en", "de"]
    public static let defaultCount = 200
    public static let quickCount = 24

    public init(count: Int, seed: UInt64, quick: Bool, models: [String: String]) {
        self.count = count
        self.seed = seed
        self.quick = quick
        self.models = models
    }

    /// The options as command-line flags, for messages.
    public var flags: String { "--count \(count) --seed \(seed)" + (quick ? " --quick" : "") }
}

/// One command of a stage: phonoscope's arguments (run in the demo directory, paths relative
/// to it) and, for commands whose answer is printed, the file standard output is saved to.
public struct DemoStep: Equatable, Sendable {
    public let arguments: [String]
    public let standardOutput: String?

    public init(_ arguments: [String], standardOutput: String? = nil) {
        self.arguments = arguments
        self.standardOutput = standardOutput
    }

    /// The command as a user types it in the demo directory (shell-quoted where needed).
    public var commandLine: String {
        (["phonoscope"] + arguments.map(Self.shellQuoted)).joined(separator: " ")
            + (standardOutput.map { " > " + Self.shellQuoted($0) } ?? "")
    }

    static func shellQuoted(_ word: String) -> String {
        let plain = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,+:")
        if !word.isEmpty && word.unicodeScalars.allSatisfy({ plain.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// A stage: a folder DIR/<name>/ its commands write into, finished when DIR/<name>/.done exists.
public struct DemoStage: Equatable, Sendable {
    public let name: String
    public let title: String
    public let commands: [DemoStep]
    /// Stage outputs the report reads (relative to the demo directory).
    public let outputs: [String]

    public init(name: String, title: String, commands: [DemoStep], outputs: [String]) {
        self.name = name
        self.title = title
        self.commands = commands
        self.outputs = outputs
    }

    /// The marker file, relative to the demo directory.
    public var doneMarker: String { "\(name)/.done" }
}

/// The demo's stages, in order: per language a corpus, features, recognition scores,
/// alignment, NAPs (and GradNAPs), ERP figures, the SOM of the first layer's filters and
/// clustering; then the English-German comparison.
public enum DemoPlan {
    /// Layers profiled by `nap` in quick mode (all layers otherwise).
    public static func napLayers(quick: Bool) -> [Int]? { quick ? [0, 1, 9, 11] : nil }
    public static func erpLayers(quick: Bool) -> [Int] { quick ? [0, 9] : [0, 1, 5, 9, 11] }
    public static func dendrogramLayers(quick: Bool) -> [Int] { quick ? [9] : [1, 5, 9] }
    public static func tanglegramLayers(quick: Bool) -> [Int] { quick ? [1, 9, 11] : [1, 5, 9, 11] }
    public static func figureCount(quick: Bool) -> Int { quick ? 2 : 4 }
    /// Splits scored by `evaluate`.
    public static func splits(quick: Bool) -> [String] {
        quick ? ["train", "test"] : ["train", "dev", "test", "test-voices"]
    }
    /// Utterances both models hear for `compare`'s CKA on matched inputs.
    public static func ckaUtterances(quick: Bool) -> Int { quick ? 6 : 40 }

    /// The file name `erp -o NAME.png --plot all` derives its figures from.
    public static func layerName(_ layer: Int) -> String { layer == 0 ? "input" : "conv\(layer)" }

    /// The first utterance id of a synthesised corpus (always in `test-voices`).
    public static func firstUtterance(_ language: String, count: Int) -> String {
        let width = max(5, String(count - 1).count)
        return language + "-" + String(repeating: "0", count: width - 1) + "0"
    }

    public static func stages(_ options: DemoOptions) -> [DemoStage] {
        var stages: [DemoStage] = []
        for language in DemoOptions.languages {
            stages += languageStages(language, options)
        }
        let tangle = tanglegramLayers(quick: options.quick)
        stages.append(
            DemoStage(
                name: "compare", title: "English vs German",
                commands: [
                    DemoStep([
                        "compare", "--naps", "en-nap/en.naps", "--naps", "de-nap/de.naps", "-o", "compare",
                        "--tanglegram-layers", tangle.map(String.init).joined(separator: ","), "--cka-utterances",
                        String(ckaUtterances(quick: options.quick)),
                    ])
                ],
                outputs: ["compare/comparison.json", "compare/summary.md"]))
        return stages
    }

    static func languageStages(_ language: String, _ options: DemoOptions) -> [DemoStage] {
        let model = options.models[language] ?? "Corpora/models/\(language)-small"
        let corpus = "\(language)-corpus"
        let naps = "\(language)-nap/\(language).naps"
        let quick = options.quick
        var stages: [DemoStage] = []
        stages.append(
            DemoStage(
                name: corpus, title: "\(language): evaluation corpus",
                commands: [
                    DemoStep([
                        "corpus", "synth", "--language", language, "--count", String(options.count), "--seed",
                        String(options.seed), "-o", corpus,
                    ])
                ], outputs: ["\(corpus)/manifest.jsonl"]))
        let first = firstUtterance(language, count: options.count)
        stages.append(
            DemoStage(
                name: "\(language)-features", title: "\(language): features",
                commands: [
                    DemoStep(["corpus", "show", first, "--corpus", corpus, "-o", "\(language)-features/\(first).png"]),
                    DemoStep([
                        "features", "\(corpus)/audio/\(first).flac", "-o", "\(language)-features/\(first).npy",
                        "--plot", "\(language)-features/\(first)-logmel.png",
                    ]),
                ], outputs: []))
        stages.append(
            DemoStage(
                name: "\(language)-evaluate", title: "\(language): recognition",
                commands: splits(quick: quick).map { split in
                    DemoStep(
                        ["evaluate", "--model", model, "--corpus", corpus, "--split", split, "--json"],
                        standardOutput: "\(language)-evaluate/\(split).json")
                }, outputs: splits(quick: quick).map { "\(language)-evaluate/\($0).json" }))
        stages.append(
            DemoStage(
                name: "\(language)-align", title: "\(language): phoneme alignment",
                commands: [
                    DemoStep(
                        [
                            "align", "--model", model, "--corpus", corpus, "--split", "train", "--calibrate", "dev",
                            "--evaluate", "--figures", String(figureCount(quick: quick)), "-o", "\(language)-align",
                            "--json",
                        ], standardOutput: "\(language)-align/scores.json")
                ], outputs: ["\(language)-align/scores.json"]))
        var napArguments = ["nap", "--model", model, "--corpus", corpus, "-o", naps]
        if let layers = napLayers(quick: quick) {
            napArguments += ["--layers", layers.map(String.init).joined(separator: ",")]
        }
        stages.append(
            DemoStage(
                name: "\(language)-nap", title: "\(language): neuron activation profiles",
                commands: [DemoStep(napArguments)], outputs: [naps]))
        let gradnaps = "\(language)-gradnap/\(language).naps"
        if !quick {
            stages.append(
                DemoStage(
                    name: "\(language)-gradnap", title: "\(language): gradient-weighted profiles",
                    commands: [
                        DemoStep([
                            "nap", "--model", model, "--corpus", corpus, "--kind", "gradnap", "-o", gradnaps,
                        ]),
                        DemoStep([
                            "erp", "--naps", gradnaps, "--layer", "5", "--plot", "lines", "-o",
                            "\(language)-gradnap/conv5-lines.png",
                        ]),
                    ], outputs: [gradnaps]))
        }
        stages.append(
            DemoStage(
                name: "\(language)-erp", title: "\(language): ERP figures",
                commands: erpLayers(quick: quick).map { layer in
                    DemoStep([
                        "erp", "--naps", naps, "--layer", String(layer), "--plot", "all", "-o",
                        "\(language)-erp/\(layerName(layer)).png",
                    ])
                }, outputs: []))
        stages.append(
            DemoStage(
                name: "\(language)-som", title: "\(language): filter map",
                commands: [
                    DemoStep(
                        [
                            "som", "--model", model, "--layer", "1", "--filters", "-o", "\(language)-som/filters.png",
                            "--umatrix", "\(language)-som/umatrix.png", "--json",
                        ], standardOutput: "\(language)-som/som.json")
                ], outputs: ["\(language)-som/som.json"]))
        var clusterCommands = [
            DemoStep(
                [
                    "cluster", "--naps", naps, "--layer", "all", "--summary", "\(language)-cluster/scores.png",
                    "--json",
                ], standardOutput: "\(language)-cluster/scores.json")
        ]
        for layer in dendrogramLayers(quick: quick) {
            let name = layerName(layer)
            clusterCommands.append(
                DemoStep(
                    [
                        "cluster", "--naps", naps, "--layer", String(layer), "-o", "\(language)-cluster/\(name).png",
                        "--newick", "\(language)-cluster/\(name).nwk", "--json",
                    ], standardOutput: "\(language)-cluster/\(name).json"))
        }
        stages.append(
            DemoStage(
                name: "\(language)-cluster", title: "\(language): clustering",
                commands: clusterCommands, outputs: ["\(language)-cluster/scores.json"]))
        return stages
    }
}
