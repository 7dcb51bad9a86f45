/// A trainable tensor with its accumulated gradient.
///
/// Ownership: a layer owns its parameters; optimisers update `value` in place and read
/// `gradient`, which `backward` accumulates into until `zeroGradient()`.
public final class Parameter: @unchecked Sendable {
    public let name: String
    public var value: Tensor
    public var gradient: Tensor

    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value
        self.gradient = Tensor(zeros: value.shape)
    }

    public func zeroGradient() {
        for i in gradient.values.indices { gradient.values[i] = 0 }
    }
}
