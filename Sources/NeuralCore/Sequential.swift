/// Layers applied in order, with hooks that see every layer's output and output gradient.
///
/// Hooks observe; they cannot change results (they receive copies). A forward hook gets the
/// layer's output after `forward`; a backward hook gets the gradient of the loss with respect to
/// that output, before the layer's own `backward` runs.
public final class Sequential: @unchecked Sendable {
    public typealias Hook = (_ layer: String, _ tensor: Tensor) -> Void

    public let layers: [Layer]
    private var forwardHooks: [String: [Hook]] = [:]
    private var backwardHooks: [String: [Hook]] = [:]

    /// Layer names must be unique.
    public init(_ layers: [Layer]) throws {
        var seen: Set<String> = []
        for layer in layers where !seen.insert(layer.name).inserted {
            throw NeuralCoreError.invalidParameter(
                layer: layer.name, name: "name", value: layer.name, valid: "a name no other layer has")
        }
        self.layers = layers
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public func layer(named name: String) -> Layer? { layers.first { $0.name == name } }

    /// Calls `hook` with `layer`'s output on every forward pass.
    public func addForwardHook(layer: String, _ hook: @escaping Hook) throws {
        try checkLayer(layer)
        forwardHooks[layer, default: []].append(hook)
    }

    /// Calls `hook` with the gradient with respect to `layer`'s output on every backward pass.
    public func addBackwardHook(layer: String, _ hook: @escaping Hook) throws {
        try checkLayer(layer)
        backwardHooks[layer, default: []].append(hook)
    }

    public func removeHooks() {
        forwardHooks = [:]
        backwardHooks = [:]
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        var x = input
        for layer in layers {
            x = try layer.forward(x)
            for hook in forwardHooks[layer.name] ?? [] { hook(layer.name, x) }
        }
        return x
    }

    /// Back-propagates `outputGradient` (the loss gradient w.r.t. the last output), accumulating
    /// parameter gradients; returns the gradient with respect to the input.
    @discardableResult
    public func backward(_ outputGradient: Tensor) -> Tensor {
        var gradient = outputGradient
        for layer in layers.reversed() {
            for hook in backwardHooks[layer.name] ?? [] { hook(layer.name, gradient) }
            gradient = layer.backward(gradient)
        }
        return gradient
    }

    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }

    private func checkLayer(_ name: String) throws {
        guard layer(named: name) != nil else {
            throw NeuralCoreError.invalidParameter(
                layer: name, name: "hook layer", value: name,
                valid: layers.map(\.name).joined(separator: ", "))
        }
    }
}
