import NeuralCore

/// How one layer passes the backward signal on: one mechanism, every explainer a choice of
/// rules per layer (as zennit's rules and composites).
///
/// Gradient rules act on gradients g (the signal starts as the one-hot of the target class):
/// - `gradient`: the layer's own backward pass.
/// - `guidedReLU` (Springenberg et al. 2015): at a ReLU, g_in = max(g_out, 0) where the
///   forward input was positive, else 0.
/// - `deconvReLU` (Zeiler & Fergus 2014): at a ReLU, g_in = max(g_out, 0), whatever the input.
///
/// Relevance rules act on relevances R (the signal starts as the target logit), for a layer
/// with input x computing z = f(x) (Bach et al. 2015; Montavon et al. 2017, 2019). Each is
/// R_in = x' * J'^T (R_out / stab(z')), where a primed layer has its weights (and input)
/// transformed by the rule, J' is its backward pass and stab(z) = z + eps * sign(z),
/// sign(0) = 1:
/// - `epsilon(e)`: the layer as it is, eps = e (e tiny: the z-rule). For max pooling this
///   routes each output's relevance to the winning input, for average pooling in proportion
///   to the inputs.
/// - `gamma(g, transformBias)`: weights w + g w+, favouring positive contributions; the bias
///   becomes b + g b+ as in Montavon et al. 2019, or stays b with `transformBias: false`, as
///   Captum's GammaRule does.
/// - `alphaBeta(a, b, fullBias)`: positive and negative contributions apart,
///   R_in = a R+ - b R-, where R+ uses (x+ w+, x- w-) and R- uses (x+ w-, x- w+); the bias
///   joins the side of its sign (Bach et al. 2015). `alphaBeta(1, 0)` is the z+ rule for
///   positive inputs. With `fullBias` the positive side keeps the whole bias b and the
///   negative side none, as Captum's Alpha1_Beta0_Rule does.
/// - `zBox(low, high)`: the input layer's rule of deep Taylor decomposition for inputs in
///   [low, high]: z = x w - low w+ - high w-, R_in = x c - low c+ - high c- with
///   c = J^T s, c+ = J+^T s, c- = J-^T s.
/// - `pass`: relevance passes through unchanged in shape (ReLU, flatten).
public enum LayerRule: Equatable, Sendable, CustomStringConvertible {
    case gradient
    case guidedReLU
    case deconvReLU
    case epsilon(Float)
    case gamma(Float, transformBias: Bool = true)
    case alphaBeta(alpha: Float, beta: Float, fullBias: Bool = false)
    case zBox(low: Float, high: Float)
    case pass

    public var isRelevanceRule: Bool {
        switch self {
        case .gradient, .guidedReLU, .deconvReLU: return false
        default: return true
        }
    }

    public var description: String {
        switch self {
        case .gradient: return "gradient"
        case .guidedReLU: return "guided ReLU"
        case .deconvReLU: return "deconvnet ReLU"
        case .epsilon(let e): return "epsilon \(e)"
        case .gamma(let g, let transform): return "gamma \(g)" + (transform ? "" : " (bias unchanged)")
        case .alphaBeta(let a, let b, let full): return "alpha \(a) beta \(b)" + (full ? " (full bias)" : "")
        case .zBox(let low, let high): return "zB [\(low), \(high)]"
        case .pass: return "pass"
        }
    }
}

/// Chooses a rule for each layer by its type and position: a composite (zennit's word).
public struct Composite: Sendable, CustomStringConvertible {
    public var name: String
    /// The rule for a layer, given the layer and whether it is the first with weights.
    public var rule: @Sendable (_ layer: Layer, _ isFirstWeighted: Bool) -> LayerRule

    public init(name: String, rule: @escaping @Sendable (Layer, Bool) -> LayerRule) {
        self.name = name
        self.rule = rule
    }

    public var description: String { name }

    static func isWeighted(_ layer: Layer) -> Bool { layer is Conv2d || layer is Linear || layer is Conv1d }
    static func isPooling(_ layer: Layer) -> Bool { layer is Pooling }

    /// Plain gradients.
    public static let gradient = Composite(name: "gradient") { _, _ in .gradient }
    /// Guided backpropagation: gradients, with guided ReLUs.
    public static let guidedBackprop = Composite(name: "guided backprop") { layer, _ in
        layer is ReLU ? .guidedReLU : .gradient
    }
    /// Deconvnet: gradients, with deconvnet ReLUs.
    public static let deconvnet = Composite(name: "deconvnet") { layer, _ in
        layer is ReLU ? .deconvReLU : .gradient
    }

    /// LRP-epsilon on every weighted and pooling layer (Captum's LRP default with eps 1e-9).
    public static func epsilon(_ eps: Float = 1e-9) -> Composite {
        Composite(name: "LRP epsilon \(eps)") { layer, _ in
            isWeighted(layer) || isPooling(layer) ? .epsilon(eps) : .pass
        }
    }

    /// Convolutions with gamma, linear layers with epsilon, pooling with the z-rule;
    /// `captum: true` leaves biases unchanged, as Captum's GammaRule.
    public static func gamma(_ gamma: Float = 0.25, epsilon eps: Float = 0.25, captum: Bool = false) -> Composite {
        Composite(name: "LRP gamma \(gamma) (linear: epsilon \(eps))") { layer, _ in
            if layer is Conv2d || layer is Conv1d { return .gamma(gamma, transformBias: !captum) }
            if layer is Linear { return .epsilon(eps) }
            return isPooling(layer) ? .epsilon(1e-9) : .pass
        }
    }

    /// Alpha-beta on every weighted layer, the z-rule on pooling; `captum: true` keeps the
    /// whole bias on the positive side, as Captum's Alpha1_Beta0_Rule.
    public static func alphaBeta(alpha: Float = 1, beta: Float = 0, captum: Bool = false) -> Composite {
        Composite(name: "LRP alpha \(alpha) beta \(beta)") { layer, _ in
            if isWeighted(layer) { return .alphaBeta(alpha: alpha, beta: beta, fullBias: captum) }
            return isPooling(layer) ? .epsilon(1e-9) : .pass
        }
    }

    /// Deep Taylor decomposition (Montavon et al. 2017): z+ in the hidden layers, the box rule
    /// zB for the first layer, whose inputs lie in [low, high].
    public static func deepTaylor(low: Float = 0, high: Float = 1) -> Composite {
        Composite(name: "deep Taylor (zB [\(low), \(high)], z+)") { layer, first in
            if isWeighted(layer) { return first ? .zBox(low: low, high: high) : .alphaBeta(alpha: 1, beta: 0) }
            return isPooling(layer) ? .epsilon(1e-9) : .pass
        }
    }

    /// "epsilon-gamma-box" (zennit's EpsilonGammaBox): zB first, gamma in the other
    /// convolutions, epsilon in the linear layers.
    public static func epsilonGammaBox(low: Float = 0, high: Float = 1, gamma: Float = 0.25, epsilon eps: Float = 1e-6)
        -> Composite
    {
        Composite(name: "epsilon-gamma-box") { layer, first in
            if isWeighted(layer) && first { return .zBox(low: low, high: high) }
            if layer is Conv2d || layer is Conv1d { return .gamma(gamma) }
            if layer is Linear { return .epsilon(eps) }
            return isPooling(layer) ? .epsilon(1e-9) : .pass
        }
    }
}
