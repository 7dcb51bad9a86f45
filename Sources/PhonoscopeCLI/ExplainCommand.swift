import ArgumentParser
import Explainers
import Foundation
import NeuralCore
import PhonoscopeIO
import Plots

/// `phonoscope explain METHOD --model MODEL (INPUT.npy | --data DIR --index I,J) -o FIG`.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Attribute an image classifier's decision to its input pixels with one explainer, or all.",
        discussion: """
            Methods: saliency (|gradient|), gradient-x-input, integrated-gradients,
            smoothgrad, guided-backprop, deconvnet, cam, grad-cam, guided-grad-cam,
            occlusion, lrp, deep-taylor, all (every method, one column each), and sanity.

            activation-maximization needs no input: gradient ascent from a seeded random
            image finds the input that drives each class (or --target, or channel --unit
            of --layer) hardest, with an L2 penalty (--l2), total variation against high
            frequencies (--smoothness), random shifts (--jitter) and --steps (default
            200). With a recogniser it optimises --duration seconds (default 2) of
            z-scored log-mel in -4...4 for the mean over output frames of --letter c's
            logit or of channel --unit of --layer (default relu5), jittered in time only
            (--l2 0.001, --smoothness 0.002 by default), and writes the Griffin-Lim audio
            of the result (--audio, default -o's name with .wav; bands below 80 Hz are
            left out of the audio, a rumble that would take its whole level).

            What a layer has learnt, without attributions: filters draws the first
            convolution's kernels on one signed colour scale (the recogniser's as mel x
            time patches, the --top 24 of largest norm unless --units); top-activations
            finds the --top images of --data (--split, default all) that drive each of
            --units of --layer hardest (default the first 8 channels of relu3), the patch
            the strongest cell sees outlined (Zeiler & Fergus 2014);
            nearest-neighbors shows, for INPUT or the --index rows of --data, the
            --neighbors images of --split (default train) nearest in --layer's features
            (default flatten, the pooled last convolution; --metric euclidean or
            cosine) and scores the layer by the pool's k-NN label agreement.

            sanity runs the model-randomisation tests of Adebayo et al. (2018) for every
            method: the weights are re-initialised layer by layer from the top (fc, then
            conv3, ...) and, with --data, a copy of the model is trained on permuted
            labels (--label-epochs); after each step every map is compared with the
            trained model's by the Spearman correlation of |map| and the SSIM of |map|
            scaled to [0, 1], mean over the images. A method whose maps keep a correlation
            of 0.5 or more once every layer is random does not depend on the model; the
            table says which. The figure shows the first image's maps per method (rows)
            and step (columns).

            The images are an INPUT .npy of raw pixels, (height, width[, channels]) or a
            batch (n, height, width[, channels]), or --index rows of a --data image set;
            pixels are divided by the model's pixel scale (16 for the digits). The target
            class is --target, else each image's predicted class. The figure has one row
            per image: the image, then each map blended over it, each scaled to its own
            largest |value|, with a colour bar; --npy writes the maps (n, methods, height,
            width).

            Options by method: --layer for cam, grad-cam and guided-grad-cam (default
            relu3, the last convolution's output); --steps and --quadrature for
            integrated-gradients (default 50 Gauss-Legendre points, baseline all zeros);
            --samples, --noise and --seed for smoothgrad; --window and --stride for
            occlusion (default 2x2, 1x1); --composite and its --epsilon, --gamma, --alpha,
            --beta for lrp (default epsilon with 1e-9, Captum's default; z-plus is
            alpha-beta with alpha 1, beta 0).

            With a recogniser (--model Corpora/models/en-small), the input is an audio
            file or --corpus DIR --utterance ID and the maps lie over its spectrogram
            (with the word and phone tiers of a corpus): --frame T (and --letter c,
            default the greedy one) explains one letter's log-probability at output frame
            T (--letter c alone: where the greedy path first emits c), otherwise the
            transcript's CTC log-likelihood (--transcript, default the corpus text or the
            greedy one). Methods there: saliency, gradient-x-input, integrated-gradients,
            smoothgrad, guided-backprop, deconvnet, grad-cam and guided-grad-cam (over
            time, default layer relu5), occlusion, lrp and deep-taylor (letters only; its
            zB rule bounded by the spectrogram's range); all writes one figure per method
            (FIG-METHOD.png).

            Examples:
              phonoscope explain saliency --model Corpora/models/digits-cnn --data \\
                Corpora/images/digits --index 0,1,2 -o saliency.png
              phonoscope explain all --model Corpora/models/digits-cnn --data \\
                Corpora/images/digits --index 3,4,5,6 -o all.png --json
              phonoscope explain lrp --composite epsilon-gamma-box --model \\
                Corpora/models/digits-cnn digit.npy -o lrp.pdf
              phonoscope explain integrated-gradients --model Corpora/models/en-small \\
                --corpus corpora/en --utterance en-00007 -o ig.png
              phonoscope explain top-activations --model Corpora/models/digits-cnn \\
                --data Corpora/images/digits --layer relu3 --units 0-5 -o top.png
              phonoscope explain nearest-neighbors --model Corpora/models/digits-cnn \\
                --data Corpora/images/digits --index 1300,1500 -o neighbours.png
            """)

    /// One explainer, every one (`all`), or the sanity checks.
    enum Method: ExpressibleByArgument, Equatable {
        case one(ExplainerMethod)
        case all
        case sanity
        case activationMaximization
        case filters
        case topActivations
        case nearestNeighbors

        init?(argument: String) {
            switch argument {
            case "all": self = .all
            case "sanity": self = .sanity
            case "activation-maximization": self = .activationMaximization
            case "filters": self = .filters
            case "top-activations": self = .topActivations
            case "nearest-neighbors": self = .nearestNeighbors
            default:
                guard let method = ExplainerMethod(rawValue: argument) else { return nil }
                self = .one(method)
            }
        }

        var rawValue: String {
            switch self {
            case .one(let method): return method.rawValue
            case .all: return "all"
            case .sanity: return "sanity"
            case .activationMaximization: return "activation-maximization"
            case .filters: return "filters"
            case .topActivations: return "top-activations"
            case .nearestNeighbors: return "nearest-neighbors"
            }
        }

        static var names: [String] {
            ExplainerMethod.allCases.map(\.rawValue) + [
                "all", "sanity", "activation-maximization", "filters", "top-activations", "nearest-neighbors",
            ]
        }
        static var allValueStrings: [String] { names }
        static var singles: [Method] { ExplainerMethod.allCases.map { .one($0) } }
    }

    enum CompositeName: String, ExpressibleByArgument, CaseIterable {
        case epsilon, gamma
        case alphaBeta = "alpha-beta"
        case zPlus = "z-plus"
        case epsilonGammaBox = "epsilon-gamma-box"
    }

    @Argument(help: "The explainer, all of them, or sanity.")
    var method: Method

    @Argument(help: "A .npy of raw pixels: one image or a batch (or use --data and --index).")
    var input: String?

    @Option(help: "Image classifier directory (config.json + model.safetensors).")
    var model: String

    @Option(help: "An image set directory (images.npy, labels.npy, split.npy), with --index.")
    var data: String?

    @Option(help: "Rows of --data to explain, e.g. 0,1,2.")
    var index = "0"

    @Option(name: .shortAndLong, help: "The figure: .png, .svg or .pdf.")
    var output: String

    @Option(help: "Target class (default: each image's predicted class).")
    var target: Int?

    @Option(help: "Layer for cam, grad-cam, guided-grad-cam, top-activations (relu3) and nearest-neighbors (flatten).")
    var layer: String?

    @Option(help: "Integrated gradients: points on the path.")
    var steps = 50

    @Option(
        help: "Integrated gradients: gausslegendre, riemann_trapezoid, riemann_left, riemann_middle, riemann_right.")
    var quadrature = "gausslegendre"

    @Option(help: "Integrated gradients: the baseline, zeros or a .npy of raw pixels like the input.")
    var baseline = "zeros"

    @Option(help: "SmoothGrad: noisy samples per image.")
    var samples = 32

    @Option(help: "SmoothGrad: noise standard deviation as a fraction of the image's range.")
    var noise: Float = 0.15

    @Option(help: "SmoothGrad: seed of the noise.")
    var seed: UInt64 = 1

    @Option(help: "Occlusion: window, HEIGHTxWIDTH pixels (frames x bins); default 2x2 (speech 16x16).")
    var window: String?

    @Option(help: "Occlusion: stride, HEIGHTxWIDTH pixels; default 1x1 (speech 8x8).")
    var stride: String?

    @Option(help: "Recogniser: a corpus directory, with --utterance (the figure gets its tiers).")
    var corpus: String?

    @Option(help: "Recogniser: the utterance id in --corpus.")
    var utterance: String?

    @Option(help: "Recogniser: explain one letter at this output frame (16 ms each).")
    var frame: Int?

    @Option(help: "Recogniser: the letter at --frame (default: the greedy path's); alone, its first greedy onset.")
    var letter: String?

    @Option(help: "Recogniser: explain this transcript's CTC log-likelihood (default: the corpus text).")
    var transcript: String?

    @Option(help: "LRP composite: epsilon, gamma, alpha-beta, z-plus (alpha 1, beta 0), epsilon-gamma-box.")
    var composite: CompositeName = .epsilon

    @Option(help: "LRP: epsilon of the epsilon rule.")
    var epsilon: Float = 1e-9

    @Option(help: "LRP: gamma of the gamma rule.")
    var gamma: Float = 0.25

    @Option(help: "LRP: alpha of the alpha-beta rule.")
    var alpha: Float = 1

    @Option(help: "LRP: beta of the alpha-beta rule.")
    var beta: Float = 0

    @Option(help: "sanity: epochs of training on permuted labels (0: skip that test).")
    var labelEpochs = 20

    @Option(help: "activation-maximization: the channel of --layer to drive (default: the classes, or --target).")
    var unit: Int?

    @Option(help: "activation-maximization: the L2 penalty (default 0.01; recogniser 0.001).")
    var l2: Float?

    @Option(help: "activation-maximization: the total-variation penalty (default 0.02; recogniser 0.002).")
    var smoothness: Float?

    @Option(help: "activation-maximization: pixels of random shift per step.")
    var jitter = 1

    @Option(help: "filters, top-activations: the channels to show, e.g. 0,3,5 or 0-7.")
    var units: String?

    @Option(help: "top-activations: images per unit (default 8); filters: recogniser kernels (default 24).")
    var top: Int?

    @Option(help: "top-activations: the --data split searched (all); nearest-neighbors: the pool (train).")
    var split: String?

    @Option(help: "nearest-neighbors: neighbours per query.")
    var neighbors = 5

    @Option(help: "nearest-neighbors: euclidean or cosine.")
    var metric: FeatureNeighbors.Metric = .euclidean

    @Option(help: "activation-maximization on a recogniser: seconds of spectrogram to optimise.")
    var duration = 2.0

    @Option(help: "activation-maximization on a recogniser: the WAV to write (default: -o's name, .wav).")
    var audio: String?

    @Option(help: "Also write the maps as .npy (n, methods, height, width).")
    var npy: String?

    @Flag(help: "Print each image's target, logit and each map's sum as JSON.")
    var json = false

    func validate() throws {
        let sources = [input, data, corpus].compactMap { $0 }
        if [.activationMaximization, .filters, .topActivations, .nearestNeighbors].contains(method) {
            try OutputPath.checkDirectory(of: output)
            if let audio { try OutputPath.checkDirectory(of: audio, option: "--audio") }
            if method != .activationMaximization, method != .filters, data == nil {
                throw ValidationError("\(method.rawValue) needs --data DIR, the image set to search")
            }
            return
        }
        guard sources.count == 1 else {
            throw ValidationError(
                "give one input: an image .npy or audio file, --data DIR (with --index), or --corpus DIR --utterance ID"
            )
        }
        if corpus != nil && utterance == nil { throw ValidationError("--corpus needs --utterance ID") }
        try OutputPath.checkDirectory(of: output)
        if let npy { try OutputPath.checkDirectory(of: npy, option: "--npy") }
    }

    static func size(_ text: String, option: String) throws -> (height: Int, width: Int) {
        let parts = text.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("\(option) \(text) is invalid; valid: HEIGHTxWIDTH with positive sizes, e.g. 2x2")
        }
        return (parts[0], parts[1])
    }

    /// The images to explain, scaled, as [n, height, width, channels], with their labels if known.
    func images(for classifier: ImageClassifier) throws -> (batch: Tensor, labels: [Int?], names: [String]) {
        let config = classifier.config
        if let data, input == nil {
            let dataset = try ImageDataset(directory: URL(fileURLWithPath: data))
            let rows = index.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !rows.isEmpty, rows.allSatisfy({ ($0 ?? -1) >= 0 && ($0 ?? -1) < dataset.count }) else {
                throw ValidationError(
                    "--index \(index) is invalid; valid: comma-separated rows 0 to \(dataset.count - 1) of \(data)")
            }
            let indices = rows.compactMap { $0 }
            let batch = dataset.batch(indices, scale: config.pixelScale)
            try classifier.check(batch, path: "\(data)/images.npy")
            return (batch, indices.map { dataset.labels[$0] }, indices.map { "#\($0)" })
        }
        let path = input ?? ""
        let array = try NPYArray<Double>(contentsOf: URL(fileURLWithPath: path))
        var shape = array.shape
        let single =
            shape.count == 2 || (shape.count == 3 && shape[2] == config.inputChannels && config.inputChannels > 1)
        if single { shape.insert(1, at: 0) }
        if shape.count == 3 { shape.append(1) }
        let batch = Tensor(shape: shape, values: array.elements.map { Float($0) / config.pixelScale })
        try classifier.check(batch, path: path)
        let count = shape[0]
        return (batch, [Int?](repeating: nil, count: count), (0..<count).map { count == 1 ? "input" : "#\($0)" })
    }

    func lrpComposite() -> Composite {
        switch composite {
        case .epsilon: return .epsilon(epsilon)
        case .gamma: return .gamma(gamma, epsilon: epsilon)
        case .alphaBeta: return .alphaBeta(alpha: alpha, beta: beta)
        case .zPlus: return .alphaBeta(alpha: 1, beta: 0)
        case .epsilonGammaBox: return .epsilonGammaBox(gamma: gamma, epsilon: epsilon)
        }
    }

    func options(batch x: Tensor, pixelScale: Float) throws -> ExplainerOptions {
        var options = ExplainerOptions()
        options.layer = layer ?? "relu3"
        options.steps = steps
        guard let rule = Quadrature(rawValue: quadrature) else {
            throw ValidationError(
                "--quadrature \(quadrature) is invalid; valid: "
                    + Quadrature.allCases.map(\.rawValue).joined(separator: ", "))
        }
        options.quadrature = rule
        if baseline != "zeros" {
            let array = try NPYArray<Double>(contentsOf: URL(fileURLWithPath: baseline))
            let values = array.elements.map { Float($0) / pixelScale }
            let size = x.count / x.shape[0]
            guard values.count == size || values.count == x.count else {
                throw ValidationError(
                    "--baseline \(baseline) has \(values.count) values; valid: one image (\(size)) or the whole batch")
            }
            options.baseline = Tensor(
                shape: x.shape,
                values: values.count == x.count ? values : Array((0..<x.shape[0]).map { _ in values }.joined()))
        }
        options.samples = samples
        options.noise = noise
        options.seed = seed
        options.window = try Self.size(window ?? "2x2", option: "--window")
        options.stride = try Self.size(stride ?? "1x1", option: "--stride")
        options.composite = lrpComposite()
        return options
    }

    func run() throws {
        switch method {
        case .filters: return try runFilters()
        case .topActivations: return try runTopActivations()
        case .nearestNeighbors: return try runNearestNeighbors()
        default: break
        }
        if Self.isRecognizer(model) {
            try method == .activationMaximization ? runSpeechActivationMaximization() : runSpeech()
            return
        }
        if corpus != nil { throw ValidationError("--corpus works with a recogniser; \(model) is an image classifier") }
        if method == .activationMaximization {
            try runActivationMaximization()
            return
        }
        let classifier = try ImageClassifier(directory: URL(fileURLWithPath: model))
        let (x, labels, names) = try images(for: classifier)
        let n = x.shape[0]
        let (height, width, channels) = (x.shape[1], x.shape[2], x.shape[3])
        let logits = try classifier.logits(x)
        let classes = classifier.classCount
        var targets: [Int] = []
        for row in 0..<n {
            if let target {
                guard target >= 0, target < classes else {
                    throw ExplainerError.targetOutOfRange(target: target, classes: classes)
                }
                targets.append(target)
            } else {
                let scores = Array(logits.values[(row * classes)..<((row + 1) * classes)])
                targets.append(scores.indices.max { scores[$0] < scores[$1] } ?? 0)
            }
        }
        if method == .sanity {
            try runSanity(classifier, x: x, targets: targets, names: names)
            return
        }
        let explainer = ImageExplainer(classifier)
        let methods = method == .all ? Method.singles : [method]
        let settings = try options(batch: x, pixelScale: classifier.config.pixelScale)
        var maps: [[Float]] = []  // per method: n * height * width (channels summed)
        for m in methods {
            guard case .one(let chosen) = m else { continue }
            let attribution = try explainer.attribute(chosen, x, targets: targets, options: settings)
            var summed = [Float](repeating: 0, count: n * height * width)
            for i in 0..<summed.count {
                for c in 0..<channels { summed[i] += attribution.values[i * channels + c] }
            }
            maps.append(summed)
        }
        let size = height * width
        var rows: [AttributionGridFigure.Row] = []
        for row in 0..<n {
            var image = [Float](repeating: 0, count: size)
            for i in 0..<size {
                for c in 0..<channels { image[i] += x.values[(row * size + i) * channels + c] / Float(channels) }
            }
            let probabilities = Self.softmax(Array(logits.values[(row * classes)..<((row + 1) * classes)]))
            let label = labels[row].map { "label \(classifier.config.labels[$0]), " } ?? ""
            rows.append(
                AttributionGridFigure.Row(
                    label: "\(names[row]): \(label)target \(classifier.config.labels[targets[row]]) "
                        + String(format: "(p %.2f)", probabilities[targets[row]]),
                    image: image,
                    maps: maps.map { Array($0[(row * size)..<((row + 1) * size)]) }))
        }
        var figure = AttributionGridFigure(
            rows: rows, columnTitles: methods.map(\.rawValue), height: height, width: width,
            title: "\(URL(fileURLWithPath: model).lastPathComponent): "
                + (method == .all ? "every explainer" : method.rawValue))
        if methods.count > 6 { figure.panelSize = 80 }
        try figure.write(to: URL(fileURLWithPath: output))
        if let npy {
            var values = [Float](repeating: 0, count: n * methods.count * size)
            for (m, map) in maps.enumerated() {
                for row in 0..<n {
                    for i in 0..<size { values[(row * methods.count + m) * size + i] = map[row * size + i] }
                }
            }
            try NPYArray(shape: [n, methods.count, height, width], elements: values).write(
                to: URL(fileURLWithPath: npy))
        }
        if json {
            var items: [[String: Any]] = []
            for row in 0..<n {
                var sums: [String: Double] = [:]
                for (m, map) in maps.enumerated() {
                    sums[methods[m].rawValue] = map[(row * size)..<((row + 1) * size)].reduce(0) { $0 + Double($1) }
                }
                var item: [String: Any] = [
                    "image": names[row], "target": targets[row],
                    "logit": Double(logits.values[row * classes + targets[row]]), "map_sums": sums,
                ]
                if let label = labels[row] { item["label"] = label }
                items.append(item)
            }
            let data = try JSONSerialization.data(
                withJSONObject: ["images": items], options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(
                "wrote \(output): \(methods.count) method(s) x \(n) image(s), targets "
                    + targets.map { classifier.config.labels[$0] }.joined(separator: ","))
        }
    }

    func runSanity(_ classifier: ImageClassifier, x: Tensor, targets: [Int], names: [String]) throws {
        let methods = ExplainerMethod.allCases
        let settings = try options(batch: x, pixelScale: classifier.config.pixelScale)
        let dataset = try data.flatMap { labelEpochs > 0 ? try ImageDataset(directory: URL(fileURLWithPath: $0)) : nil }
        let check = SanityCheck(classifier: classifier, methods: methods, options: settings, seed: seed)
        let report = try check.run(x, targets: targets, labelData: dataset, labelEpochs: labelEpochs) {
            Console.warn("sanity: \($0)")
        }
        let (height, width) = (x.shape[1], x.shape[2])
        let size = height * width
        var image = [Float](repeating: 0, count: size)
        for i in 0..<size {
            for c in 0..<x.shape[3] { image[i] += x.values[i * x.shape[3] + c] / Float(x.shape[3]) }
        }
        let rows = methods.enumerated().map { m, method in
            AttributionGridFigure.Row(
                label: method.rawValue, image: image, maps: report.maps.map { Array($0[m][0..<size]) })
        }
        var figure = AttributionGridFigure(
            rows: rows, columnTitles: ["trained"] + report.stages.map(\.name), height: height, width: width,
            title: "Sanity checks (Adebayo et al. 2018): \(names[0]), target \(classifier.config.labels[targets[0]])")
        figure.panelSize = 70
        try figure.write(to: URL(fileURLWithPath: output))
        if json {
            let stages: [[String: Any]] = report.stages.map { stage in
                [
                    "stage": stage.name,
                    "spearman": Dictionary(
                        uniqueKeysWithValues: methods.map { ($0.rawValue, stage.spearman[$0] ?? 0) }),
                    "ssim": Dictionary(uniqueKeysWithValues: methods.map { ($0.rawValue, stage.ssim[$0] ?? 0) }),
                ]
            }
            let verdicts = Dictionary(
                uniqueKeysWithValues: methods.map { method -> (String, Any) in
                    var entry: [String: Any] = ["cascade": report.passesCascade(method)]
                    if let labels = report.passesLabels(method) { entry["labels"] = labels }
                    return (method.rawValue, entry)
                })
            let object: [String: Any] = ["images": names, "stages": stages, "passes": verdicts]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let last = report.stages.last { $0.name != SanityCheck.labelStage }
        let labels = report.stages.first { $0.name == SanityCheck.labelStage }
        print("Mean over \(names.count) image(s); Spearman of |map| / SSIM with the trained model's maps.\n")
        print(
            "| method | all layers random | " + (labels == nil ? "" : "random labels | ")
                + "depends on the weights | " + (labels == nil ? "" : "depends on the labels |"))
        print("|---|---:|" + (labels == nil ? "" : "---:|") + "---|" + (labels == nil ? "" : "---|"))
        for method in methods {
            var line = "| \(method.rawValue) | "
            line += String(format: "%.2f / %.2f", last?.spearman[method] ?? 0, last?.ssim[method] ?? 0) + " | "
            if let labels {
                line += String(format: "%.2f / %.2f", labels.spearman[method] ?? 0, labels.ssim[method] ?? 0) + " | "
            }
            line += (report.passesCascade(method) ? "yes" : "NO") + " |"
            if let passes = report.passesLabels(method) { line += " " + (passes ? "yes" : "NO") + " |" }
            print(line)
        }
    }

    /// Activation maximisation with the command's options: --steps (default 200 here, not
    /// integrated gradients' 50), the penalties (or the given defaults), --jitter, --seed.
    func activationSearch(l2 defaultL2: Float, smoothness defaultSmoothness: Float) -> ActivationMaximization {
        var search = ActivationMaximization()
        search.steps = steps == 50 ? 200 : steps
        search.l2 = l2 ?? defaultL2
        search.smoothness = smoothness ?? defaultSmoothness
        search.jitter = jitter
        search.seed = seed
        return search
    }

    /// The inputs that drive each class (or `--target`, or channel `--unit` of `--layer`) hardest.
    func runActivationMaximization() throws {
        let classifier = try ImageClassifier(directory: URL(fileURLWithPath: model))
        let search = activationSearch(l2: 0.01, smoothness: 0.02)
        let units: [(ActivationMaximization.Unit, String)]
        if let unit {
            let layer = self.layer ?? "relu3"
            units = [(.channel(layer: layer, index: unit), "\(layer) channel \(unit)")]
        } else if let target {
            units = [(.classScore(target), "class \(target)")]
        } else {
            units = classifier.config.labels.indices.map { (.classScore($0), "class \(classifier.config.labels[$0])") }
        }
        let config = classifier.config
        let shape = [1, config.height, config.width, config.inputChannels]
        var rows: [AttributionGridFigure.Row] = []
        var lines: [String] = []
        for (unit, name) in units {
            let (x, value) = try search.run(network: classifier.network, unit: unit, shape: shape)
            let size = config.height * config.width
            let image = (0..<size).map { i in
                (0..<config.inputChannels).reduce(Float(0)) { $0 + x.values[i * config.inputChannels + $1] }
                    / Float(config.inputChannels)
            }
            rows.append(.init(label: name + String(format: " (%.1f)", value), image: image, maps: []))
            lines.append("\(name): " + String(format: "%.2f", value))
        }
        var figure = AttributionGridFigure(
            rows: rows, columnTitles: [], height: config.height, width: config.width,
            title: "Activation maximisation: \(URL(fileURLWithPath: model).lastPathComponent)")
        figure.imageTitle = "input"
        figure.showsColorBar = false
        figure.panelSize = 60
        try figure.write(to: URL(fileURLWithPath: output))
        print("wrote \(output): " + lines.joined(separator: ", "))
    }

    static func softmax(_ scores: [Float]) -> [Double] {
        let peak = scores.max() ?? 0
        let exps = scores.map { Foundation.exp(Double($0 - peak)) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }
}
