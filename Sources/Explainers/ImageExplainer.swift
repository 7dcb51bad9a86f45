import Foundation
import NeuralCore
import SeededRandom

/// The explainers of a classifier's decision for one class, on a batch of inputs
/// [batch, height, width, channels] with one target class per row. Every attribution has the
/// input's shape, except the class activation maps, which have the chosen layer's height and
/// width (use `upsampled` to bring them to the input's).
///
/// Gradient family: saliency (Simonyan et al. 2014), gradient x input, integrated gradients
/// (Sundararajan et al. 2017), SmoothGrad (Smilkov et al. 2017), guided backprop
/// (Springenberg et al. 2015), deconvnet (Zeiler & Fergus 2014); class activation maps: CAM
/// (Zhou et al. 2016), Grad-CAM and guided Grad-CAM (Selvaraju et al. 2017); perturbation:
/// occlusion (Zeiler & Fergus 2014); relevance: LRP (Bach et al. 2015) with composites and
/// deep Taylor decomposition (Montavon et al. 2017).
public struct ImageExplainer {
    public let network: Sequential
    public let classCount: Int

    public init(network: Sequential, classCount: Int) {
        self.network = network
        self.classCount = classCount
    }

    public init(_ classifier: ImageClassifier) {
        self.init(network: classifier.network, classCount: classifier.classCount)
    }

    func check(_ targets: [Int], batch: Int) throws {
        precondition(targets.count == batch, "one target per input")
        if let bad = targets.first(where: { $0 < 0 || $0 >= classCount }) {
            throw ExplainerError.targetOutOfRange(target: bad, classes: classCount)
        }
    }

    /// A signal [batch, classes] that is `value(row)` at each row's target and 0 elsewhere.
    func oneHot(_ output: Tensor, _ targets: [Int], value: (Int) -> Float = { _ in 1 }) -> Tensor {
        var seed = Tensor(zeros: output.shape)
        for (row, target) in targets.enumerated() { seed.values[row * classCount + target] = value(row) }
        return seed
    }

    /// The backward signal at the input under `composite`, seeded with the target's one-hot
    /// (gradients) or the target logit (relevance).
    public func attribution(_ input: Tensor, targets: [Int], composite: Composite, relevance: Bool) throws -> Tensor {
        try check(targets, batch: input.shape[0])
        let backward = ModifiedBackward(network: network, composite: composite)
        return try backward.run(input) { output in
            oneHot(output, targets) { row in relevance ? output.values[row * classCount + targets[row]] : 1 }
        }.input
    }

    /// d logit_target / d input.
    public func gradient(_ input: Tensor, targets: [Int]) throws -> Tensor {
        try attribution(input, targets: targets, composite: .gradient, relevance: false)
    }

    /// |gradient| (or the signed gradient with `absolute: false`), as Captum's Saliency.
    public func saliency(_ input: Tensor, targets: [Int], absolute: Bool = true) throws -> Tensor {
        var g = try gradient(input, targets: targets)
        if absolute { g.values = g.values.map { abs($0) } }
        return g
    }

    public func gradientTimesInput(_ input: Tensor, targets: [Int]) throws -> Tensor {
        var g = try gradient(input, targets: targets)
        for i in g.values.indices { g.values[i] *= input.values[i] }
        return g
    }

    /// (x - baseline) * sum_k w_k grad(baseline + alpha_k (x - baseline)); also the
    /// completeness gap sum(attribution) - (f(x) - f(baseline)) per row.
    public func integratedGradients(
        _ input: Tensor, targets: [Int], baseline: Tensor? = nil, steps: Int = 50,
        quadrature: Quadrature = .gaussLegendre
    ) throws -> (attribution: Tensor, delta: [Double]) {
        guard steps >= (quadrature == .trapezoid ? 2 : 1) else {
            throw ExplainerError.invalidOption(
                name: "--steps", value: String(steps), valid: quadrature == .trapezoid ? "2 or more" : "1 or more")
        }
        let base = baseline ?? Tensor(zeros: input.shape)
        guard base.shape == input.shape else {
            throw ExplainerError.wrongImageShape(
                path: "baseline", shape: base.shape, expected: "the input's shape \(input.shape)")
        }
        let batch = input.shape[0]
        let size = input.count / batch
        for row in 0..<batch
        where (0..<size).allSatisfy({ input.values[row * size + $0] == base.values[row * size + $0] }) {
            throw ExplainerError.baselineEqualsInput
        }
        try check(targets, batch: batch)
        let nodes = quadrature.nodes(steps)
        var total = [Double](repeating: 0, count: input.count)
        // All steps of one row form one batch.
        for row in 0..<batch {
            var scaled = [Float](repeating: 0, count: steps * size)
            for (k, node) in nodes.enumerated() {
                for i in 0..<size {
                    let b = base.values[row * size + i]
                    scaled[k * size + i] = b + Float(node.alpha) * (input.values[row * size + i] - b)
                }
            }
            var shape = input.shape
            shape[0] = steps
            let g = try gradient(
                Tensor(shape: shape, values: scaled), targets: [Int](repeating: targets[row], count: steps))
            for (k, node) in nodes.enumerated() {
                for i in 0..<size { total[row * size + i] += node.weight * Double(g.values[k * size + i]) }
            }
        }
        var attribution = input
        for i in attribution.values.indices {
            attribution.values[i] = Float(total[i] * Double(input.values[i] - base.values[i]))
        }
        let high = try network.forward(input)
        let low = try network.forward(base)
        let delta = (0..<batch).map { row -> Double in
            let sum = (0..<size).reduce(0.0) { $0 + Double(attribution.values[row * size + $1]) }
            let t = row * classCount + targets[row]
            return sum - Double(high.values[t] - low.values[t])
        }
        return (attribution, delta)
    }

    /// The mean saliency (|gradient|) over `samples` copies of the input with Gaussian noise of
    /// standard deviation `noise` times the input's range (per row), drawn from `seed`.
    public func smoothGrad(_ input: Tensor, targets: [Int], samples: Int = 32, noise: Float = 0.15, seed: UInt64 = 1)
        throws -> Tensor
    {
        guard samples >= 1 else {
            throw ExplainerError.invalidOption(name: "--samples", value: String(samples), valid: "1 or more")
        }
        guard noise >= 0, noise.isFinite else {
            throw ExplainerError.invalidOption(name: "--noise", value: String(noise), valid: "0 or more")
        }
        try check(targets, batch: input.shape[0])
        var generator = SeededGenerator(seed: seed)
        let batch = input.shape[0]
        let size = input.count / batch
        var mean = Tensor(zeros: input.shape)
        for row in 0..<batch {
            let slice = input.values[(row * size)..<((row + 1) * size)]
            let sigma = noise * ((slice.max() ?? 0) - (slice.min() ?? 0))
            var noisy = [Float](repeating: 0, count: samples * size)
            for k in 0..<samples {
                for i in 0..<size { noisy[k * size + i] = slice[row * size + i] + sigma * Self.gaussian(&generator) }
            }
            var shape = input.shape
            shape[0] = samples
            let g = try saliency(
                Tensor(shape: shape, values: noisy), targets: [Int](repeating: targets[row], count: samples))
            for k in 0..<samples {
                for i in 0..<size { mean.values[row * size + i] += g.values[k * size + i] / Float(samples) }
            }
        }
        return mean
    }

    /// A standard normal draw (Box-Muller).
    static func gaussian(_ generator: inout SeededGenerator) -> Float {
        let u1 = max(Double(generator.next() >> 11) * 0x1p-53, 1e-300)
        let u2 = Double(generator.next() >> 11) * 0x1p-53
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    public func guidedBackprop(_ input: Tensor, targets: [Int]) throws -> Tensor {
        try attribution(input, targets: targets, composite: .guidedBackprop, relevance: false)
    }

    public func deconvnet(_ input: Tensor, targets: [Int]) throws -> Tensor {
        try attribution(input, targets: targets, composite: .deconvnet, relevance: false)
    }

    /// Layer-wise relevance propagation under `composite`; the relevance at the input sums to
    /// the target logit up to what biases and stabilisers absorb.
    public func lrp(_ input: Tensor, targets: [Int], composite: Composite = .epsilon()) throws -> Tensor {
        try attribution(input, targets: targets, composite: composite, relevance: true)
    }

    /// Deep Taylor decomposition: z+ in hidden layers, zB at the input for values in [low, high].
    public func deepTaylor(_ input: Tensor, targets: [Int], low: Float = 0, high: Float = 1) throws -> Tensor {
        try lrp(input, targets: targets, composite: .deepTaylor(low: low, high: high))
    }
}
