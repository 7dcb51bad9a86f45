/// A named layer with forward and backward passes.
///
/// `forward` keeps what `backward` needs (the input, a mask); `backward` takes the gradient of
/// the loss with respect to the layer's output, adds the parameters' gradients into their
/// `gradient`, and returns the gradient with respect to the input.
public protocol Layer: AnyObject, Sendable {
    /// Unique within a network; hooks and checkpoints refer to layers by it.
    var name: String { get }
    var parameters: [Parameter] { get }
    func forward(_ input: Tensor) throws -> Tensor
    func backward(_ outputGradient: Tensor) -> Tensor
}

extension Layer {
    public var parameters: [Parameter] { [] }
}
