/// The settings of a UMAP run, with umap-learn's defaults (0.5) and why.
public struct UMAPConfiguration: Sendable, Equatable {
    /// Where the points start.
    public enum Initialization: String, Sendable, CaseIterable {
        /// Eigenvectors 2...d+1 of the fuzzy graph's normalised Laplacian (umap-learn's default);
        /// a graph of several components lays out each on its own (`ComponentLayout`); a solver
        /// that does not converge falls back to `.random`.
        case spectral
        /// Uniform in [-10, 10]^d from `seed`.
        case random
    }

    /// Size of each point's neighbourhood (including itself, as umap-learn counts): larger
    /// values keep more global structure; 15 is umap-learn's default.
    public var neighbors = 15
    /// How tightly points may pack in the embedding: the distance below which the target
    /// membership is 1 (`min_dist`).
    public var minimumDistance = 0.1
    /// The scale of the embedding's membership curve (`spread`); minimumDistance <= spread.
    public var spread = 1.0
    /// nil: 500 for up to 10,000 points, 200 above (umap-learn's default).
    public var epochs: Int? = nil
    /// The SGD step at the first epoch, decayed linearly to 0 (`learning_rate`).
    public var learningRate = 1.0
    /// Negative samples per positive one (`negative_sample_rate`).
    public var negativeSampleRate = 5
    /// Weight of the repulsion (`repulsion_strength`, gamma).
    public var repulsionStrength = 1.0
    /// Neighbours assumed connected with membership 1 (`local_connectivity`).
    public var localConnectivity = 1.0
    public var initialization = Initialization.spectral
    /// Seeds the negative samples, the initial noise and the random start.
    public var seed: UInt64 = 0

    public init() {}

    /// The number of epochs for `count` points.
    public func effectiveEpochs(count: Int) -> Int { epochs ?? (count <= 10_000 ? 500 : 200) }

    /// Checks every setting against `count` points.
    public func validate(count: Int) throws {
        guard neighbors >= 2 else {
            throw ProjectionError.invalidParameter(name: "neighbors", value: "\(neighbors)", valid: "2 or more")
        }
        guard count >= neighbors + 1 else {
            throw ProjectionError.tooFewPoints(
                count: count, needed: neighbors + 1, reason: "UMAP with \(neighbors) neighbours")
        }
        guard minimumDistance >= 0 && minimumDistance.isFinite else {
            throw ProjectionError.invalidParameter(
                name: "minimum distance", value: "\(minimumDistance)", valid: "a number >= 0")
        }
        guard spread > 0 && spread.isFinite && minimumDistance <= spread else {
            throw ProjectionError.invalidParameter(
                name: "spread", value: "\(spread)", valid: "a number > 0 and at least the minimum distance")
        }
        if let epochs, epochs < 1 {
            throw ProjectionError.invalidParameter(name: "epochs", value: "\(epochs)", valid: "1 or more")
        }
        guard learningRate > 0 && learningRate.isFinite else {
            throw ProjectionError.invalidParameter(
                name: "learning rate", value: "\(learningRate)", valid: "a number > 0")
        }
        guard negativeSampleRate >= 0 else {
            throw ProjectionError.invalidParameter(
                name: "negative sample rate", value: "\(negativeSampleRate)", valid: "0 or more")
        }
        guard repulsionStrength >= 0 && repulsionStrength.isFinite else {
            throw ProjectionError.invalidParameter(
                name: "repulsion strength", value: "\(repulsionStrength)", valid: "a number >= 0")
        }
        guard localConnectivity >= 0 && localConnectivity.isFinite else {
            throw ProjectionError.invalidParameter(
                name: "local connectivity", value: "\(localConnectivity)", valid: "a number >= 0")
        }
    }
}
