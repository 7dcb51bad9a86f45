import Foundation
import SeededRandom

/// Uniform manifold approximation and projection as umap-learn runs it for Euclidean data
/// ([UMAP18] McInnes, Healy & Melville 2018), single-threaded so that a seed fixes the result.
///
/// Concretely: the `FuzzySimplicialSet` graph; edges below max weight / epochs dropped;
/// `CurveParameters` a, b; the start from `SpectralLayout` (`ComponentLayout` for a graph of
/// several components; uniform [-10, 10] if the solver fails), scaled so the
/// largest coordinate is 10 plus N(0, 1e-4^2) noise (`noisy_scale_coords`), then each
/// coordinate rescaled to [0, 10]; then `optimize_layout_euclidean`'s SGD: edge (i, j) of weight
/// w is sampled every w_max / w epochs; a sample pulls y_i and y_j together by
/// clip(-2ab d^(2(b-1)) / (1 + a d^(2b)) (y_i - y_j)) (d the squared distance, clip at +-4), then
/// y_i is pushed from negative_sample_rate random points k by
/// clip(2γb / ((0.001 + d) (1 + a d^(2b))) (y_i - y_k)); the step α decays linearly from the
/// learning rate, α_e = rate (1 - e / epochs). Every edge appears in both directions, in row
/// order. Random draws are SplitMix64's (`SeededGenerator`), not NumPy's or umap-learn's tau
/// rand, so the same seed gives the same embedding here but not umap-learn's.
public enum UMAP {
    public struct Result: Sendable {
        /// n x components row-major.
        public var embedding: [Double]
        public var components: Int
        public var a: Double
        public var b: Double
        /// Whether the spectral start was used (false: random, see `Initialization`).
        public var spectralInitialization: Bool
        public var epochs: Int
    }

    /// Embeds `points`; `progress(epoch, epochs)` is called after every epoch.
    public static func embed(
        _ points: PointSet, components d: Int = 2, configuration: UMAPConfiguration = UMAPConfiguration(),
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> Result {
        try configuration.validate(count: points.count)
        guard d >= 1 else {
            throw ProjectionError.invalidParameter(name: "components", value: "\(d)", valid: "1 or more")
        }
        let n = points.count
        let graph = try FuzzySimplicialSet.build(
            points, neighbors: configuration.neighbors, localConnectivity: configuration.localConnectivity)
        let (a, b) = try CurveParameters.fit(
            minimumDistance: configuration.minimumDistance, spread: configuration.spread)
        let epochs = configuration.effectiveEpochs(count: n)
        var weights = graph.weights
        let largest = weights.values.max() ?? 0
        weights = SparseSymmetricMatrix(
            size: n,
            triplets: (0..<n).flatMap { i in
                (weights.rowStart[i]..<weights.rowStart[i + 1]).map { index in
                    let value = weights.values[index]
                    return (i, weights.columns[index], value < largest / Double(epochs) ? 0.0 : value)
                }
            })
        var generator = SeededGenerator(seed: configuration.seed)
        var spectral = false
        var y: [Double] = []
        if configuration.initialization == .spectral {
            // One component: its spectral layout; several: each its own (`ComponentLayout`).
            let layout =
                SpectralLayout.isConnected(weights)
                ? SpectralLayout.layout(weights, components: d, seed: configuration.seed)
                : ComponentLayout.layout(weights, points: points, components: d, generator: &generator)
            if let layout {
                spectral = true
                let expansion = 10 / max(layout.map(abs).max() ?? 1, 1e-300)
                y = layout.map { $0 * expansion + 1e-4 * Gaussian.draw(&generator) }
            }
        }
        if !spectral {
            y = (0..<(n * d)).map { _ in -10 + 20 * Gaussian.unit(&generator) }
        }
        for c in 0..<d {
            let column = (0..<n).map { y[$0 * d + c] }
            let low = column.min() ?? 0
            let span = (column.max() ?? 0) - low
            for i in 0..<n { y[i * d + c] = span > 0 ? 10 * (y[i * d + c] - low) / span : 0 }
        }
        optimize(
            &y, weights: weights, dimension: d, a: a, b: b, epochs: epochs, configuration: configuration,
            generator: &generator, progress: progress)
        return Result(embedding: y, components: d, a: a, b: b, spectralInitialization: spectral, epochs: epochs)
    }

    /// umap-learn's `optimize_layout_euclidean` with head = tail = y (move_other).
    static func optimize(
        _ y: inout [Double], weights: SparseSymmetricMatrix, dimension d: Int, a: Double, b: Double, epochs: Int,
        configuration: UMAPConfiguration, generator: inout SeededGenerator, progress: ((Int, Int) -> Void)?
    ) {
        let n = weights.size
        var heads: [Int] = []
        for i in 0..<n { for _ in weights.rowStart[i]..<weights.rowStart[i + 1] { heads.append(i) } }
        let tails = weights.columns
        let largest = weights.values.max() ?? 1
        // epochs_per_sample = epochs / (epochs * w / w_max); every kept edge has w > 0.
        let perSample = weights.values.map { largest / $0 }
        let negativeRate = Double(configuration.negativeSampleRate)
        let perNegative = perSample.map { $0 / negativeRate }
        var nextSample = perSample
        var nextNegative = perNegative
        let gamma = configuration.repulsionStrength
        func clip(_ value: Double) -> Double { min(max(value, -4), 4) }
        var alpha = configuration.learningRate
        var delta = [Double](repeating: 0, count: d)
        for epoch in 0..<epochs {
            let e = Double(epoch)
            for edge in 0..<heads.count where nextSample[edge] <= e {
                let j = heads[edge]
                let k = tails[edge]
                var d2 = 0.0
                for c in 0..<d {
                    delta[c] = y[j * d + c] - y[k * d + c]
                    d2 += delta[c] * delta[c]
                }
                var coefficient = 0.0
                if d2 > 0 { coefficient = -2 * a * b * pow(d2, b - 1) / (a * pow(d2, b) + 1) }
                for c in 0..<d {
                    let g = clip(coefficient * delta[c])
                    y[j * d + c] += g * alpha
                    y[k * d + c] -= g * alpha
                }
                nextSample[edge] += perSample[edge]
                guard negativeRate > 0 else { continue }
                let negatives = Int((e - nextNegative[edge]) / perNegative[edge])
                if negatives > 0 {
                    for _ in 0..<negatives {
                        let other = Int(generator.next() % UInt64(n))
                        var s2 = 0.0
                        for c in 0..<d {
                            delta[c] = y[j * d + c] - y[other * d + c]
                            s2 += delta[c] * delta[c]
                        }
                        if s2 > 0 {
                            let repulsion = 2 * gamma * b / ((0.001 + s2) * (a * pow(s2, b) + 1))
                            for c in 0..<d { y[j * d + c] += clip(repulsion * delta[c]) * alpha }
                        }
                    }
                }
                nextNegative[edge] += Double(negatives) * perNegative[edge]
            }
            alpha = configuration.learningRate * (1 - (e / Double(epochs)))
            progress?(epoch + 1, epochs)
        }
    }
}
