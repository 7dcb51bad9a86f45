import Clustering
import Foundation
import NeuralCore
import SeededRandom

/// The model-randomisation tests of Adebayo et al. (2018), "Sanity checks for saliency maps":
/// an explainer whose maps barely change when the model's weights are replaced by random ones
/// (cascading from the top layer down), or when the model is retrained on randomly permuted
/// labels, does not explain the model.
///
/// Similarity of a map to the original one is the Spearman rank correlation of the absolute
/// values (ties share their mean rank) and the SSIM of the absolute maps scaled to [0, 1]
/// (`Similarity.ssim`), each averaged over the images.
public struct SanityCheck {
    public struct Stage: Equatable, Sendable {
        /// The layers randomised, "fc", "fc-conv3" (fc down to conv3), ..., or "random labels".
        public var name: String
        /// Per method: mean Spearman correlation and mean SSIM with the original maps.
        public var spearman: [ExplainerMethod: Double]
        public var ssim: [ExplainerMethod: Double]
    }

    public struct Report: Sendable {
        public var methods: [ExplainerMethod]
        public var stages: [Stage]
        /// The original maps and those of every stage, per method: [stage][method] -> maps of
        /// shape [n, height, width] (channels summed); stage 0 is the trained model.
        public var maps: [[[Float]]]

        /// A method passes when, with every layer randomised, its maps keep a mean rank
        /// correlation below `threshold` with the original ones.
        public func passesCascade(_ method: ExplainerMethod, threshold: Double = 0.5) -> Bool {
            guard let last = stages.last(where: { $0.name != SanityCheck.labelStage }) else { return false }
            return (last.spearman[method] ?? 1) < threshold
        }

        public func passesLabels(_ method: ExplainerMethod, threshold: Double = 0.5) -> Bool? {
            stages.first { $0.name == SanityCheck.labelStage }.map { ($0.spearman[method] ?? 1) < threshold }
        }
    }

    public static let labelStage = "random labels"

    public let classifier: ImageClassifier
    public let methods: [ExplainerMethod]
    public let options: ExplainerOptions
    public let seed: UInt64

    public init(
        classifier: ImageClassifier, methods: [ExplainerMethod], options: ExplainerOptions = .init(), seed: UInt64 = 7
    ) {
        self.classifier = classifier
        self.methods = methods
        self.options = options
        self.seed = seed
    }

    /// Maps [n * height * width] per method, channels summed.
    static func maps(
        _ model: ImageClassifier, _ methods: [ExplainerMethod], _ x: Tensor, _ targets: [Int],
        _ options: ExplainerOptions
    ) throws -> [[Float]] {
        let explainer = ImageExplainer(model)
        let channels = x.shape[3]
        return try methods.map { method in
            let attribution = try explainer.attribute(method, x, targets: targets, options: options)
            return (0..<(attribution.count / channels)).map { pixel in
                (0..<channels).reduce(Float(0)) { $0 + attribution.values[pixel * channels + $1] }
            }
        }
    }

    /// Runs the cascade (and, given a data set, the label randomisation, training a copy of
    /// the model for `labelEpochs` on permuted labels). `progress` hears each stage's name.
    public func run(
        _ x: Tensor, targets: [Int], labelData: ImageDataset? = nil, labelEpochs: Int = 20, progress: (String) -> Void
    ) throws -> Report {
        let n = x.shape[0]
        let size = x.shape[1] * x.shape[2]
        let original = try Self.maps(classifier, methods, x, targets, options)
        var allMaps = [original]
        var stages: [Stage] = []
        func compare(_ name: String, _ maps: [[Float]]) {
            var spearman: [ExplainerMethod: Double] = [:]
            var ssim: [ExplainerMethod: Double] = [:]
            for (m, method) in methods.enumerated() {
                var rho = 0.0
                var structural = 0.0
                for row in 0..<n {
                    let a = original[m][(row * size)..<((row + 1) * size)].map { abs(Double($0)) }
                    let b = maps[m][(row * size)..<((row + 1) * size)].map { abs(Double($0)) }
                    rho += Similarity.spearman(a, b)
                    structural += Similarity.ssim(
                        Similarity.scaled(a), Similarity.scaled(b), height: x.shape[1], width: x.shape[2])
                }
                spearman[method] = rho / Double(n)
                ssim[method] = structural / Double(n)
            }
            stages.append(Stage(name: name, spearman: spearman, ssim: ssim))
            allMaps.append(maps)
        }

        // Cascading randomisation: a copy of the model, weighted layers re-initialised from the top.
        let copy = try ImageClassifier(config: classifier.config)
        for (target, source) in zip(copy.parameters, classifier.parameters) { target.value = source.value }
        let weighted = copy.network.layers.filter { $0 is WeightedLayer }.reversed()
        var initializer = SeededInitializer(seed: seed)
        var names: [String] = []
        for layer in weighted {
            guard let layer = layer as? WeightedLayer else { continue }
            let fanIn = layer.weight.value.count / max(1, layer.weight.value.shape[0])
            let bound = 1 / Float(fanIn).squareRoot()
            layer.weight.value = initializer.uniform(shape: layer.weight.value.shape, bound: bound)
            if let bias = layer.bias { bias.value = initializer.uniform(shape: bias.value.shape, bound: bound) }
            names.append(layer.name)
            let name = names.count == 1 ? layer.name : "\(names[0])-\(layer.name)"
            progress(name)
            compare(name, try Self.maps(copy, methods, x, targets, options))
        }

        if let data = labelData {
            progress(Self.labelStage)
            var generator = SeededGenerator(seed: seed)
            let permuted = generator.shuffled(data.labels)
            let shuffled = data.relabelled(permuted)
            let model = try ImageClassifier(config: classifier.config, seed: seed)
            var trainingOptions = ClassifierTraining.Options()
            trainingOptions.epochs = labelEpochs
            trainingOptions.seed = seed
            _ = try ClassifierTraining(options: trainingOptions).train(model, on: shuffled, keepBest: false) { _ in }
            compare(Self.labelStage, try Self.maps(model, methods, x, targets, options))
        }
        return Report(methods: methods, stages: stages, maps: allMaps)
    }
}

/// Similarity measures of two maps.
public enum Similarity {
    /// Spearman's rank correlation (ties share their mean rank); 0 when either map is
    /// constant (a map with no structure shares none).
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        let rho = RankCorrelation.spearman(a, b)
        return rho.isNaN ? 0 : rho
    }

    /// Values scaled to [0, 1] by their maximum (all zero stays zero).
    public static func scaled(_ values: [Double]) -> [Double] {
        let peak = values.max() ?? 0
        return peak > 0 ? values.map { $0 / peak } : values
    }

    /// The structural similarity of two images with values in [0, 1], as scikit-image's
    /// structural_similarity computes it by default: 7 x 7 uniform windows (smaller if the
    /// image is), K1 0.01, K2 0.03, data range 1, sample covariances (N / (N - 1)), averaged
    /// over the windows that fit inside the image.
    public static func ssim(_ a: [Double], _ b: [Double], height: Int, width: Int) -> Double {
        let window = min(7, height, width)
        let np = Double(window * window)
        let covarianceNorm = np > 1 ? np / (np - 1) : 1
        let c1 = 0.01 * 0.01
        let c2 = 0.03 * 0.03
        var total = 0.0
        var count = 0
        for top in 0...(height - window) {
            for left in 0...(width - window) {
                var sa = 0.0
                var sb = 0.0
                var saa = 0.0
                var sbb = 0.0
                var sab = 0.0
                for y in top..<(top + window) {
                    for x in left..<(left + window) {
                        let u = a[y * width + x]
                        let v = b[y * width + x]
                        sa += u
                        sb += v
                        saa += u * u
                        sbb += v * v
                        sab += u * v
                    }
                }
                let ma = sa / np
                let mb = sb / np
                let va = covarianceNorm * (saa / np - ma * ma)
                let vb = covarianceNorm * (sbb / np - mb * mb)
                let cov = covarianceNorm * (sab / np - ma * mb)
                total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2))
                count += 1
            }
        }
        return total / Double(count)
    }
}
