import NeuralCore

/// Every explainer by its command-line name, with the options that tune them, so commands
/// and the sanity checks run any of them the same way.
public enum ExplainerMethod: String, CaseIterable, Sendable {
    case saliency
    case gradientXInput = "gradient-x-input"
    case integratedGradients = "integrated-gradients"
    case smoothgrad
    case guidedBackprop = "guided-backprop"
    case deconvnet
    case cam
    case gradCam = "grad-cam"
    case guidedGradCam = "guided-grad-cam"
    case occlusion
    case lrp
    case deepTaylor = "deep-taylor"
}

public struct ExplainerOptions: Sendable {
    /// The layer of cam, grad-cam and guided-grad-cam: the last convolution's output.
    public var layer = "relu3"
    public var steps = 50
    public var quadrature = Quadrature.gaussLegendre
    /// Integrated gradients' baseline (nil: zeros).
    public var baseline: Tensor? = nil
    public var samples = 32
    public var noise: Float = 0.15
    public var seed: UInt64 = 1
    public var window = (height: 2, width: 2)
    public var stride = (height: 1, width: 1)
    public var composite = Composite.epsilon()
    /// Deep Taylor's input domain for the zB rule: pixels in [0, 1]; a spectrogram's own range.
    public var inputRange: ClosedRange<Float> = 0...1

    public init() {}
}

extension ImageExplainer {
    /// `method`'s attribution at the input's size (class activation maps upsampled bilinearly).
    public func attribute(_ method: ExplainerMethod, _ x: Tensor, targets: [Int], options: ExplainerOptions = .init())
        throws -> Tensor
    {
        let (height, width) = (x.shape[1], x.shape[2])
        switch method {
        case .saliency: return try saliency(x, targets: targets)
        case .gradientXInput: return try gradientTimesInput(x, targets: targets)
        case .integratedGradients:
            return try integratedGradients(
                x, targets: targets, baseline: options.baseline, steps: options.steps, quadrature: options.quadrature
            ).attribution
        case .smoothgrad:
            return try smoothGrad(
                x, targets: targets, samples: options.samples, noise: options.noise, seed: options.seed)
        case .guidedBackprop: return try guidedBackprop(x, targets: targets)
        case .deconvnet: return try deconvnet(x, targets: targets)
        case .cam:
            return Self.upsampled(
                try cam(x, targets: targets, layer: options.layer), height: height, width: width, .bilinear)
        case .gradCam:
            return Self.upsampled(
                try gradCAM(x, targets: targets, layer: options.layer), height: height, width: width, .bilinear)
        case .guidedGradCam: return try guidedGradCAM(x, targets: targets, layer: options.layer)
        case .occlusion: return try occlusion(x, targets: targets, window: options.window, stride: options.stride)
        case .lrp: return try lrp(x, targets: targets, composite: options.composite)
        case .deepTaylor:
            return try deepTaylor(
                x, targets: targets, low: options.inputRange.lowerBound, high: options.inputRange.upperBound)
        }
    }
}
