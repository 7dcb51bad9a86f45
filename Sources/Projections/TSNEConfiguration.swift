/// The settings of a t-SNE run, with scikit-learn's `TSNE` defaults (1.2 and later) and why.
public struct TSNEConfiguration: Sendable, Equatable {
    /// How the gradient is computed.
    public enum Method: String, Sendable, CaseIterable {
        /// Sparse P over 3 perplexity nearest neighbours, repulsion by a quadtree: O(n log n)
        /// per step, 2-D only.
        case barnesHut = "barnes-hut"
        /// Dense P and all pairs: O(n^2) per step; for tests and a few hundred points.
        case exact
    }

    /// Where the points start.
    public enum Initialization: String, Sendable, CaseIterable {
        /// The first principal components, scaled so that the first has standard deviation 1e-4
        /// (scikit-learn's default since 1.2: more stable global structure than random).
        case pca
        /// Gaussian with standard deviation 1e-4, from `seed`.
        case random
    }

    /// The effective number of neighbours each point's Gaussian covers; 5-50 is the usual
    /// range and it must be below the number of points.
    public var perplexity = 30.0
    /// P is multiplied by this for the first `explorationIterations` steps, so that clusters
    /// form and separate early (van der Maaten & Hinton 2008, section 3.4).
    public var earlyExaggeration = 12.0
    /// nil: scikit-learn's "auto", max(n / earlyExaggeration / 4, 50) (Belkina et al. 2019).
    public var learningRate: Double? = nil
    /// Steps in all, early exaggeration included (scikit-learn's `max_iter`, at least 250).
    public var maximumIterations = 1000
    /// Barnes-Hut's accuracy: a cell acts as one body when its width is below theta times its
    /// distance; 0.5 is scikit-learn's `angle`; 0 is exact (and slow).
    public var theta = 0.5
    public var method = Method.barnesHut
    public var initialization = Initialization.pca
    /// Seeds the random initialisation (PCA needs none).
    public var seed: UInt64 = 0
    /// Stop when the gradient's norm falls below this (`min_grad_norm`).
    public var minimumGradientNorm = 1e-7
    /// Stop when the KL divergence, checked every 50 steps, has not improved for this many
    /// steps after exaggeration (`n_iter_without_progress`).
    public var iterationsWithoutProgress = 300

    /// Early exaggeration lasts this many steps with momentum 0.5; then momentum 0.8.
    public static let explorationIterations = 250
    /// Gains (delta-bar-delta, Jacobs 1988) never fall below this.
    public static let minimumGain = 0.01

    public init() {}

    /// scikit-learn's rule: 0 < perplexity < n.
    static func checkPerplexity(_ perplexity: Double, count: Int) throws {
        guard perplexity > 0 && perplexity.isFinite else {
            throw ProjectionError.invalidParameter(name: "perplexity", value: "\(perplexity)", valid: "a number > 0")
        }
        guard perplexity < Double(count) else {
            throw ProjectionError.invalidParameter(
                name: "perplexity", value: "\(perplexity)",
                valid: "less than the number of points (\(count)), as scikit-learn requires")
        }
    }

    /// Checks every setting against `count` points of `components` output dimensions.
    public func validate(count: Int, components: Int) throws {
        guard count >= 2 else { throw ProjectionError.tooFewPoints(count: count, needed: 2, reason: "t-SNE") }
        try Self.checkPerplexity(perplexity, count: count)
        guard earlyExaggeration >= 1 && earlyExaggeration.isFinite else {
            throw ProjectionError.invalidParameter(
                name: "early exaggeration", value: "\(earlyExaggeration)", valid: "a number >= 1")
        }
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw ProjectionError.invalidParameter(
                name: "learning rate", value: "\(learningRate)", valid: "a number > 0, or nil for auto")
        }
        guard maximumIterations >= Self.explorationIterations else {
            throw ProjectionError.invalidParameter(
                name: "maximum iterations", value: "\(maximumIterations)",
                valid: "at least \(Self.explorationIterations), as scikit-learn requires")
        }
        guard (0...1).contains(theta) else {
            throw ProjectionError.invalidParameter(name: "theta", value: "\(theta)", valid: "0 to 1")
        }
        if method == .barnesHut && components != 2 {
            throw ProjectionError.invalidParameter(
                name: "components", value: "\(components)", valid: "2 with Barnes-Hut (use the exact method)")
        }
        if components < 1 {
            throw ProjectionError.invalidParameter(name: "components", value: "\(components)", valid: "1 or more")
        }
    }

    /// The learning rate used for `count` points.
    public func effectiveLearningRate(count: Int) -> Double {
        learningRate ?? max(Double(count) / earlyExaggeration / 4, 50)
    }
}
