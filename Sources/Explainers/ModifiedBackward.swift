import NeuralCore

/// A layer with a weight and an optional bias, whose values a relevance rule may transform
/// for the duration of one forward and backward pass.
protocol WeightedLayer: Layer {
    var weight: Parameter { get }
    var bias: Parameter? { get }
}

extension Conv2d: WeightedLayer {}
extension Conv1d: WeightedLayer {}
extension Linear: WeightedLayer {}

/// The one mechanism behind every gradient and relevance explainer: a forward pass that keeps
/// each layer's input and output, then a backward pass in which each layer hands the signal on
/// by the rule its composite gives it (see `LayerRule`).
public struct ModifiedBackward {
    public struct Pass {
        /// The network's output.
        public var output: Tensor
        /// The signal at the network's input: the attribution.
        public var input: Tensor
        /// Each layer's output of the forward pass, by name.
        public var activations: [String: Tensor]
        /// The signal arriving at each layer's output in the backward pass, by name.
        public var signals: [String: Tensor]
    }

    public let network: Sequential
    public let composite: Composite

    public init(network: Sequential, composite: Composite) {
        self.network = network
        self.composite = composite
    }

    /// The stabiliser of relevance rules: z + eps sign(z), with sign(0) = 1.
    static func stabilized(_ z: Float, _ eps: Float) -> Float { z >= 0 ? z + eps : z - eps }

    /// Runs `input` forward, seeds the backward pass with `seed(output)` and hands it back
    /// layer by layer. `stopAfter`, if given, ends the backward pass once that layer's output
    /// signal is known (Grad-CAM needs no more).
    public func run(_ input: Tensor, stopAt stop: String? = nil, seed: (Tensor) -> Tensor) throws -> Pass {
        network.zeroGradients()
        defer { network.zeroGradients() }
        let layers = network.layers
        var inputs: [Tensor] = []
        var activations: [String: Tensor] = [:]
        var x = input
        for layer in layers {
            inputs.append(x)
            x = try layer.forward(x)
            activations[layer.name] = x
        }
        let output = x
        let firstWeighted = layers.firstIndex { $0 is WeightedLayer }
        var signal = seed(output)
        var signals: [String: Tensor] = [:]
        for index in layers.indices.reversed() {
            let layer = layers[index]
            signals[layer.name] = signal
            if layer.name == stop { break }
            let rule = composite.rule(layer, index == firstWeighted)
            signal = try apply(rule, to: layer, input: inputs[index], output: activations[layer.name] ?? x, signal)
        }
        return Pass(output: output, input: signal, activations: activations, signals: signals)
    }

    func apply(_ rule: LayerRule, to layer: Layer, input x: Tensor, output y: Tensor, _ signal: Tensor) throws -> Tensor
    {
        switch rule {
        case .gradient, .pass:
            return layer.backward(signal)
        case .guidedReLU:
            var g = signal
            for i in g.values.indices { g.values[i] = y.values[i] > 0 ? max(g.values[i], 0) : 0 }
            return g
        case .deconvReLU:
            var g = signal
            for i in g.values.indices { g.values[i] = max(g.values[i], 0) }
            return g
        case .epsilon(let eps):
            return try zRule(layer, x, signal, eps: eps)
        case .gamma(let gamma, let transformBias):
            guard let weighted = layer as? WeightedLayer else { return try zRule(layer, x, signal, eps: 1e-9) }
            let raise: (Float) -> Float = { $0 + gamma * max($0, 0) }
            return try withTransformedWeights(weighted, weight: raise, bias: transformBias ? raise : { $0 }) {
                try zRule(layer, x, signal, eps: 1e-9)
            }
        case .alphaBeta(let alpha, let beta, let fullBias):
            guard let weighted = layer as? WeightedLayer else { return try zRule(layer, x, signal, eps: 1e-9) }
            return try alphaBeta(weighted, x, signal, alpha: alpha, beta: beta, fullBias: fullBias)
        case .zBox(let low, let high):
            guard let weighted = layer as? WeightedLayer else { return try zRule(layer, x, signal, eps: 1e-9) }
            return try zBox(weighted, x, signal, low: low, high: high)
        }
    }

    /// R_in = x * J^T (R / stab(f(x))).
    func zRule(_ layer: Layer, _ x: Tensor, _ relevance: Tensor, eps: Float) throws -> Tensor {
        let z = try layer.forward(x)
        var s = relevance
        for i in s.values.indices { s.values[i] /= Self.stabilized(z.values[i], eps) }
        var c = layer.backward(s)
        for i in c.values.indices { c.values[i] *= x.values[i] }
        return c
    }

    /// Runs `body` with the layer's weights (and bias) transformed elementwise, then restores them.
    func withTransformedWeights<T>(
        _ layer: WeightedLayer, weight: (Float) -> Float, bias: (Float) -> Float, _ body: () throws -> T
    ) throws -> T {
        let savedWeight = layer.weight.value
        let savedBias = layer.bias?.value
        defer {
            layer.weight.value = savedWeight
            if let savedBias { layer.bias?.value = savedBias }
        }
        layer.weight.value.values = savedWeight.values.map(weight)
        if let savedBias { layer.bias?.value.values = savedBias.values.map(bias) }
        return try body()
    }

    /// f with transformed weights applied to `x`: its output and, for a signal, J^T signal.
    func linearPart(
        _ layer: WeightedLayer, _ x: Tensor, weight: @escaping (Float) -> Float, bias: @escaping (Float) -> Float,
        backward signal: Tensor? = nil
    ) throws -> (z: Tensor, c: Tensor?) {
        try withTransformedWeights(layer, weight: weight, bias: bias) {
            let z = try layer.forward(x)
            return (z, signal.map { layer.backward($0) })
        }
    }

    /// Alpha-beta: positive contributions (x+ w+, x- w-, b+) and negative ones (x+ w-, x- w+,
    /// b-) redistributed separately, R = alpha R+ - beta R-.
    func alphaBeta(
        _ layer: WeightedLayer, _ x: Tensor, _ relevance: Tensor, alpha: Float, beta: Float, fullBias: Bool
    ) throws -> Tensor {
        let positive = Tensor(shape: x.shape, values: x.values.map { max($0, 0) })
        let negative = Tensor(shape: x.shape, values: x.values.map { min($0, 0) })
        let pos: (Float) -> Float = { max($0, 0) }
        let neg: (Float) -> Float = { min($0, 0) }
        let zero: (Float) -> Float = { _ in 0 }
        func side(
            _ first: @escaping (Float) -> Float, _ second: @escaping (Float) -> Float, bias: @escaping (Float) -> Float
        )
            throws -> Tensor
        {
            // z = f_{first, bias}(x+) + f_{second, 0}(x-)
            let a = try linearPart(layer, positive, weight: first, bias: bias).z
            let b = try linearPart(layer, negative, weight: second, bias: zero).z
            var s = relevance
            for i in s.values.indices {
                s.values[i] /= Self.stabilized(a.values[i] + b.values[i], 1e-9)
            }
            let ca = try linearPart(layer, positive, weight: first, bias: bias, backward: s).c ?? s
            let cb = try linearPart(layer, negative, weight: second, bias: zero, backward: s).c ?? s
            var r = ca
            for i in r.values.indices {
                r.values[i] = positive.values[i] * ca.values[i] + negative.values[i] * cb.values[i]
            }
            return r
        }
        var result = try side(pos, neg, bias: fullBias ? { $0 } : pos)
        if alpha != 1 { for i in result.values.indices { result.values[i] *= alpha } }
        if beta != 0 {
            let negativeSide = try side(neg, pos, bias: fullBias ? zero : neg)
            for i in result.values.indices { result.values[i] -= beta * negativeSide.values[i] }
        }
        return result
    }

    /// The box rule for inputs in [low, high]: z = x w - low w+ - high w- (no bias),
    /// R_in = x (J^T s) - low (J+^T s) - high (J-^T s).
    func zBox(_ layer: WeightedLayer, _ x: Tensor, _ relevance: Tensor, low: Float, high: Float) throws -> Tensor {
        let lows = Tensor(shape: x.shape, values: [Float](repeating: low, count: x.count))
        let highs = Tensor(shape: x.shape, values: [Float](repeating: high, count: x.count))
        let zero: (Float) -> Float = { _ in 0 }
        let z = try linearPart(layer, x, weight: { $0 }, bias: zero).z
        let zl = try linearPart(layer, lows, weight: { max($0, 0) }, bias: zero).z
        let zh = try linearPart(layer, highs, weight: { min($0, 0) }, bias: zero).z
        var s = relevance
        for i in s.values.indices {
            s.values[i] /= Self.stabilized(z.values[i] - zl.values[i] - zh.values[i], 1e-9)
        }
        let c = try linearPart(layer, x, weight: { $0 }, bias: zero, backward: s).c ?? s
        let cl = try linearPart(layer, lows, weight: { max($0, 0) }, bias: zero, backward: s).c ?? s
        let ch = try linearPart(layer, highs, weight: { min($0, 0) }, bias: zero, backward: s).c ?? s
        var r = c
        for i in r.values.indices { r.values[i] = x.values[i] * c.values[i] - low * cl.values[i] - high * ch.values[i] }
        return r
    }
}
