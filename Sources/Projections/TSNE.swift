import SeededRandom

/// t-distributed stochastic neighbour embedding as scikit-learn's `TSNE` runs it
/// ([TSNE08] van der Maaten & Hinton 2008; Barnes-Hut: van der Maaten 2014).
///
/// Concretely: P from `JointProbabilities`; y from `TSNEConfiguration.Initialization`; then
/// gradient descent with momentum and per-coordinate gains (scikit-learn's `_gradient_descent`):
/// gain g += 0.2 where the step and the gradient differ in sign, else g *= 0.8, clipped at
/// 0.01; update u = m u - η g ∘ ∇; y += u. Phase one: P x earlyExaggeration, m = 0.5, 250 steps;
/// phase two (gains and update restarted, as scikit-learn's second call does): P, m = 0.8,
/// to `maximumIterations`. Every 50th step the KL divergence is computed; a run stops early
/// when the gradient norm drops below `minimumGradientNorm` or the KL has not improved for
/// `iterationsWithoutProgress` steps. Deterministic: same data and configuration, same bits.
public enum TSNE {
    /// The embedding and how it ended.
    public struct Result: Sendable {
        /// n x components row-major.
        public var embedding: [Double]
        public var components: Int
        /// KL(P || Q) at the last step (as scikit-learn's `kl_divergence_`; Barnes-Hut's
        /// approximate Q for that method).
        public var klDivergence: Double
        /// Steps run (scikit-learn's `n_iter_` + 1).
        public var iterations: Int
    }

    /// Embeds `points` in `components` dimensions; `progress(step, total)` is called after
    /// every step.
    public static func embed(
        _ points: PointSet, components: Int = 2, configuration: TSNEConfiguration = TSNEConfiguration(),
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> Result {
        try configuration.validate(count: points.count, components: components)
        let n = points.count
        // (positions, exaggeration, whether the KL is needed) -> KL, gradient.
        let objective: ([Double], Double, Bool) -> (kl: Double, gradient: [Double])
        let exaggeration = configuration.earlyExaggeration
        switch configuration.method {
        case .barnesHut:
            let p = try JointProbabilities.nearestNeighbors(points, perplexity: configuration.perplexity)
            var exaggerated = p
            exaggerated.values = p.values.map { $0 * exaggeration }
            let theta = configuration.theta
            objective = { y, factor, computeError in
                TSNEGradient.barnesHut(
                    p: factor == 1 ? p : exaggerated, embedding: y, theta: theta, computeError: computeError)
            }
        case .exact:
            let p = try JointProbabilities.exact(points, perplexity: configuration.perplexity)
            let exaggerated = p.map { $0 * exaggeration }
            objective = { y, factor, _ in
                TSNEGradient.exact(p: factor == 1 ? p : exaggerated, embedding: y, count: n, dimension: components)
            }
        }
        var y = try initialEmbedding(points, components: components, configuration: configuration)
        let rate = configuration.effectiveLearningRate(count: n)
        let total = configuration.maximumIterations
        var kl = 0.0
        var step = 0
        let exploration = TSNEConfiguration.explorationIterations
        let phases: [(end: Int, momentum: Double, exaggeration: Double, patience: Int)] = [
            (exploration, 0.5, configuration.earlyExaggeration, exploration),
            (total, 0.8, 1, configuration.iterationsWithoutProgress),
        ]
        // Phase two starts where phase one stopped, even if that was early (as scikit-learn's).
        for phase in phases where step < phase.end {
            var update = [Double](repeating: 0, count: y.count)
            var gains = [Double](repeating: 1, count: y.count)
            var best = Double.greatestFiniteMagnitude
            var bestStep = step
            while step < phase.end {
                // The KL only where scikit-learn computes it: every 50th step and a phase's last.
                let needsError = (step + 1) % 50 == 0 || step + 1 == phase.end
                let (error, gradient) = objective(y, phase.exaggeration, needsError)
                var squaredNorm = 0.0
                for c in y.indices {
                    var g = gains[c]
                    g = update[c] * gradient[c] < 0 ? g + 0.2 : g * 0.8
                    g = max(g, TSNEConfiguration.minimumGain)
                    gains[c] = g
                    let scaled = gradient[c] * g
                    squaredNorm += scaled * scaled
                    update[c] = phase.momentum * update[c] - rate * scaled
                    y[c] += update[c]
                }
                if needsError { kl = error }
                step += 1
                progress?(step, total)
                if step % 50 == 0 {
                    if error < best {
                        best = error
                        bestStep = step
                    } else if step - bestStep > phase.patience {
                        break
                    }
                    if squaredNorm.squareRoot() <= configuration.minimumGradientNorm { break }
                }
            }
        }
        return Result(embedding: y, components: components, klDivergence: kl, iterations: step)
    }

    /// PCA scaled so that the first coordinate has standard deviation 1e-4 (scikit-learn's
    /// `init="pca"`), or N(0, 1e-4^2) from the seed.
    static func initialEmbedding(_ points: PointSet, components: Int, configuration: TSNEConfiguration) throws
        -> [Double]
    {
        let n = points.count
        switch configuration.initialization {
        case .random:
            var generator = SeededGenerator(seed: configuration.seed)
            return (0..<(n * components)).map { _ in 1e-4 * Gaussian.draw(&generator) }
        case .pca:
            guard points.dimension >= components else {
                throw ProjectionError.invalidParameter(
                    name: "initialization", value: "pca",
                    valid: "random when the data have fewer dimensions (\(points.dimension)) than the embedding")
            }
            let pca = try PrincipalComponents.fit(points, components: components)
            var y = try pca.transform(points)
            let mean = (0..<n).reduce(0.0) { $0 + y[$1 * components] } / Double(n)
            let variance =
                (0..<n).reduce(0.0) { $0 + (y[$1 * components] - mean) * (y[$1 * components] - mean) }
                / Double(n)
            let scale = variance > 0 ? 1e-4 / variance.squareRoot() : 1
            for c in y.indices { y[c] *= scale }
            return y
        }
    }
}
