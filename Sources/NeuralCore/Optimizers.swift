import Foundation

/// Updates parameters in place from their gradients, one step per call, as `torch.optim` does.
///
/// Optimisers are value types (copying one copies its state) and keep their state - momentum
/// buffers, moment estimates, step counts - keyed by `Parameter.name`, not by object identity, so
/// that state saved with `state()` can be loaded into a fresh optimiser driving freshly built
/// parameters (a checkpoint resume). The parameters passed to one `step` must therefore have
/// distinct names; `Sequential` guarantees that for layers with distinct names.
///
/// Hyperparameters are `Double`, like the Python floats PyTorch takes: scalar arithmetic (bias
/// corrections, 1 - beta) happens in double precision, and each result is rounded to `Float` once
/// before it touches a tensor, as PyTorch's CPU kernels do. Each `a + alpha * b` of PyTorch's
/// (`add` with `alpha`, `lerp`) is a fused multiply-add here, as in its AVX2 and AVX-512 kernels,
/// so that results agree with PyTorch on x86-64 to the bit, not just to an ulp or so: without the
/// fusion, SGD's last `p - lr * d` loses a few bits to cancellation when p nears 0. Gradients are
/// read, never changed; zero them yourself before the next backward pass.
///
/// PyTorch names: `lr` -> `learningRate`, `betas=(b1, b2)` -> `beta1`, `beta2`, `eps` -> `epsilon`,
/// `weight_decay` -> `weightDecay`; state `momentum_buffer` -> "sgd.momentum.<name>", `exp_avg`,
/// `exp_avg_sq`, `step` -> "adam.m.<name>", "adam.v.<name>", "adam.step.<name>".
public protocol Optimizer {
    /// Updates every parameter's `value` from its `gradient`.
    mutating func step(_ parameters: [Parameter])
    /// The state needed to resume exactly, as tensors named "<optimizer>.<kind>.<parameter name>",
    /// ready to go into a safetensors checkpoint next to the weights.
    func state() -> [String: Tensor]
    /// Replaces the state with one from `state()`. Keys not starting with this optimiser's prefix
    /// ("sgd.", "adam.") are ignored, so a whole checkpoint can be passed.
    mutating func load(state: [String: Tensor]) throws
}

/// Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay, as
/// `torch.optim.SGD` (dampening 0, not maximising).
///
/// Concretely, for each parameter p with gradient g, at step t:
///
///     d = g + weightDecay * p
///     b = d                        (t = 1)
///     b = momentum * b + d         (t > 1)
///     d = d + momentum * b         (nesterov)   or   d = b   (otherwise; skipped if momentum = 0)
///     p = p - learningRate * d
///
/// Nesterov momentum in this form is Sutskever et al. (2013), "On the importance of
/// initialization and momentum in deep learning". State: "sgd.momentum.<name>" (the buffer b).
public struct SGD: Optimizer, Sendable {
    /// Step size; a `var` so that a schedule can change it between steps.
    public var learningRate: Double
    /// Weight of the previous direction; 0 (the default, as in PyTorch) disables momentum.
    public let momentum: Double
    /// L2 penalty added to the gradient (not decoupled as in AdamW); 0 by default.
    public let weightDecay: Double
    /// Looks ahead along the momentum direction; needs momentum > 0.
    public let nesterov: Bool
    private var momentumBuffers: [String: Tensor] = [:]

    static let prefix = "sgd."

    public init(learningRate: Double, momentum: Double = 0, weightDecay: Double = 0, nesterov: Bool = false) throws {
        try OptimizerError.check("SGD", "learningRate", learningRate, learningRate >= 0, valid: "0 or more")
        try OptimizerError.check("SGD", "momentum", momentum, momentum >= 0, valid: "0 or more")
        try OptimizerError.check("SGD", "weightDecay", weightDecay, weightDecay >= 0, valid: "0 or more")
        try OptimizerError.check(
            "SGD", "momentum", momentum, !nesterov || momentum > 0, valid: "more than 0 with nesterov")
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    public mutating func step(_ parameters: [Parameter]) {
        OptimizerState.checkDistinctNames(parameters)
        let decay = Float(weightDecay)
        let mu = Float(momentum)
        let rate = Float(-learningRate)
        for parameter in parameters {
            let value = parameter.value.values
            var direction = parameter.gradient.values
            precondition(direction.count == value.count, "SGD: \(parameter.name) has a gradient of another shape")
            if weightDecay != 0 {
                for i in direction.indices { direction[i] = direction[i].addingProduct(decay, value[i]) }
            }
            if momentum != 0 {
                var buffer: [Float]
                if let previous = momentumBuffers[parameter.name] {
                    OptimizerState.checkShape(previous, of: parameter, optimizer: "SGD")
                    buffer = previous.values
                    for i in buffer.indices { buffer[i] = buffer[i] * mu + direction[i] }
                } else {
                    buffer = direction
                }
                momentumBuffers[parameter.name] = Tensor(shape: parameter.value.shape, values: buffer)
                if nesterov {
                    for i in direction.indices { direction[i] = direction[i].addingProduct(mu, buffer[i]) }
                } else {
                    direction = buffer
                }
            }
            parameter.value.values.withUnsafeMutableBufferPointer { p in
                for i in p.indices { p[i] = p[i].addingProduct(rate, direction[i]) }
            }
        }
    }

    public func state() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: momentumBuffers.map { (Self.prefix + "momentum." + $0.key, $0.value) })
    }

    public mutating func load(state: [String: Tensor]) throws {
        let entries = try OptimizerState.entries(of: state, optimizer: "SGD", prefix: Self.prefix, kinds: ["momentum"])
        momentumBuffers = entries["momentum"] ?? [:]
    }
}

/// Adam with bias correction and L2 weight decay added to the gradient, as `torch.optim.Adam`
/// (not AMSGrad, not decoupled; for AdamW-style decay see `torch.optim.AdamW`).
///
/// Concretely, for each parameter p with gradient g, at its step t = 1, 2, ...:
///
///     g = g + weightDecay * p
///     m = m + (1 - beta1) (g - m)              (m, v start at 0)
///     v = beta2 v + (1 - beta2) g^2
///     p = p - learningRate / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)
///
/// Kingma and Ba (2015), "Adam: A method for stochastic optimization" (ICLR), Algorithm 1 with
/// epsilon added after the bias correction, as PyTorch does. State: "adam.m.<name>",
/// "adam.v.<name>" and "adam.step.<name>" (a scalar, the parameter's step count; float32, like
/// PyTorch's, so exact up to 2^24 steps).
public struct Adam: Optimizer, Sendable {
    /// Step size; 1e-3 is the paper's and PyTorch's default. A `var` for schedules.
    public var learningRate: Double
    /// Decay of the gradient average; 0.9, the paper's default.
    public let beta1: Double
    /// Decay of the squared-gradient average; 0.999, the paper's default.
    public let beta2: Double
    /// Keeps the denominator away from 0; 1e-8, the paper's default.
    public let epsilon: Double
    /// L2 penalty added to the gradient before the moments; 0 by default, as in PyTorch.
    public let weightDecay: Double
    private var firstMoments: [String: Tensor] = [:]
    private var secondMoments: [String: Tensor] = [:]
    private var steps: [String: Int] = [:]

    static let prefix = "adam."

    public init(
        learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
        weightDecay: Double = 0
    ) throws {
        try OptimizerError.check("Adam", "learningRate", learningRate, learningRate >= 0, valid: "0 or more")
        try OptimizerError.check("Adam", "beta1", beta1, beta1 >= 0 && beta1 < 1, valid: "0 <= beta1 < 1")
        try OptimizerError.check("Adam", "beta2", beta2, beta2 >= 0 && beta2 < 1, valid: "0 <= beta2 < 1")
        try OptimizerError.check("Adam", "epsilon", epsilon, epsilon >= 0, valid: "0 or more")
        try OptimizerError.check("Adam", "weightDecay", weightDecay, weightDecay >= 0, valid: "0 or more")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public mutating func step(_ parameters: [Parameter]) {
        OptimizerState.checkDistinctNames(parameters)
        let decay = Float(weightDecay)
        // The first moment as torch.lerp computes it: from the nearer end, depending on the weight.
        let weight = Float(1 - beta1)
        let beta2Float = Float(beta2)
        let squareWeight = Float(1 - beta2)
        let epsilonFloat = Float(epsilon)
        for parameter in parameters {
            let name = parameter.name
            let count = parameter.value.count
            var gradient = parameter.gradient.values
            precondition(gradient.count == count, "Adam: \(name) has a gradient of another shape")
            var m = firstMoments[name]?.values ?? [Float](repeating: 0, count: count)
            var v = secondMoments[name]?.values ?? [Float](repeating: 0, count: count)
            if let previous = firstMoments[name] {
                OptimizerState.checkShape(previous, of: parameter, optimizer: "Adam")
            }
            let t = (steps[name] ?? 0) + 1

            let value = parameter.value.values
            if weightDecay != 0 {
                for i in gradient.indices { gradient[i] = gradient[i].addingProduct(decay, value[i]) }
            }
            for i in 0..<count {
                let g = gradient[i]
                m[i] = abs(weight) < 0.5 ? m[i].addingProduct(weight, g - m[i]) : g.addingProduct(weight - 1, g - m[i])
                v[i] = v[i] * beta2Float
                v[i] = v[i] + squareWeight * g * g
            }
            let biasCorrection1 = 1 - pow(beta1, Double(t))
            let biasCorrection2 = 1 - pow(beta2, Double(t))
            let stepSize = Float(-(learningRate / biasCorrection1))
            let correction2Root = Float(pow(biasCorrection2, 0.5))
            parameter.value.values.withUnsafeMutableBufferPointer { p in
                for i in 0..<count {
                    let denominator = v[i].squareRoot() / correction2Root + epsilonFloat
                    p[i] = p[i] + stepSize * m[i] / denominator
                }
            }
            firstMoments[name] = Tensor(shape: parameter.value.shape, values: m)
            secondMoments[name] = Tensor(shape: parameter.value.shape, values: v)
            steps[name] = t
        }
    }

    public func state() -> [String: Tensor] {
        var state: [String: Tensor] = [:]
        for (name, m) in firstMoments { state[Self.prefix + "m." + name] = m }
        for (name, v) in secondMoments { state[Self.prefix + "v." + name] = v }
        for (name, t) in steps { state[Self.prefix + "step." + name] = Tensor(shape: [], values: [Float(t)]) }
        return state
    }

    public mutating func load(state: [String: Tensor]) throws {
        let entries = try OptimizerState.entries(
            of: state, optimizer: "Adam", prefix: Self.prefix, kinds: ["m", "v", "step"])
        let m = entries["m"] ?? [:]
        let v = entries["v"] ?? [:]
        let stepTensors = entries["step"] ?? [:]
        var steps: [String: Int] = [:]
        for name in Set(m.keys).union(v.keys).union(stepTensors.keys).sorted() {
            func key(_ kind: String) -> String { Self.prefix + kind + "." + name }
            guard let first = m[name], let second = v[name], let step = stepTensors[name] else {
                let missing = ["m", "v", "step"].first { entries[$0]?[name] == nil } ?? "m"
                throw OptimizerError.invalidState(
                    optimizer: "Adam", key: key(missing), reason: "missing; m, v and step come together")
            }
            guard first.shape == second.shape else {
                throw OptimizerError.invalidState(
                    optimizer: "Adam", key: key("v"), reason: "shape \(second.shape) differs from m's \(first.shape)")
            }
            guard step.count == 1, let count = Int(exactly: step.values[0]), count >= 0 else {
                throw OptimizerError.invalidState(
                    optimizer: "Adam", key: key("step"),
                    reason: "\(step.values) is not one whole number of 0 or more")
            }
            steps[name] = count
        }
        firstMoments = m
        secondMoments = v
        self.steps = steps
    }
}

/// Errors of the optimisers: a bad hyperparameter, or saved state that does not fit.
public enum OptimizerError: Error, CustomStringConvertible, Equatable {
    case invalidHyperparameter(optimizer: String, name: String, value: Double, valid: String)
    case invalidState(optimizer: String, key: String, reason: String)

    public var description: String {
        switch self {
        case .invalidHyperparameter(let optimizer, let name, let value, let valid):
            return "\(optimizer): \(name) \(value) is invalid; valid: \(valid)"
        case .invalidState(let optimizer, let key, let reason):
            return "\(optimizer) state \"\(key)\": \(reason)"
        }
    }

    static func check(
        _ optimizer: String, _ name: String, _ value: Double, _ isValid: Bool, valid: String
    ) throws {
        guard isValid else {
            throw OptimizerError.invalidHyperparameter(optimizer: optimizer, name: name, value: value, valid: valid)
        }
    }
}

/// Helpers shared by the optimisers' state handling.
enum OptimizerState {
    /// The state tensors under `prefix`, by kind and parameter name ("adam.m.conv1.weight" ->
    /// ["m"]["conv1.weight"]); throws for an unknown kind.
    static func entries(
        of state: [String: Tensor], optimizer: String, prefix: String, kinds: Set<String>
    ) throws -> [String: [String: Tensor]] {
        var entries: [String: [String: Tensor]] = [:]
        for (key, tensor) in state where key.hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count)
            guard let dot = rest.firstIndex(of: "."), kinds.contains(String(rest[..<dot])),
                rest.index(after: dot) < rest.endIndex
            else {
                throw OptimizerError.invalidState(
                    optimizer: optimizer, key: key,
                    reason: "not a key this optimiser writes; valid: "
                        + kinds.sorted().map { "\(prefix)\($0).<parameter name>" }.joined(separator: ", "))
            }
            entries[String(rest[..<dot]), default: [:]][String(rest[rest.index(after: dot)...])] = tensor
        }
        return entries
    }

    /// Names key the state, so two parameters with one name would share it: a programmer error.
    static func checkDistinctNames(_ parameters: [Parameter]) {
        var seen: Set<String> = []
        for parameter in parameters {
            precondition(
                seen.insert(parameter.name).inserted,
                "two parameters are named \(parameter.name); optimisers key their state by name")
        }
    }

    /// Loaded state that does not fit its parameter means it came from another model.
    static func checkShape(_ state: Tensor, of parameter: Parameter, optimizer: String) {
        precondition(
            state.shape == parameter.value.shape,
            "\(optimizer): state for \(parameter.name) has shape \(state.shape), the parameter \(parameter.value.shape)"
                + " (state loaded from another model?)")
    }
}
