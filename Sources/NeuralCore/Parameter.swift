/// A trainable tensor with its accumulated gradient.
///
/// Ownership: a layer owns its parameters; optimisers update `value` in place and read
/// `gradient`, which `backward` accumulates into until `zeroGradient()`.
public final class Parameter: @unchecked Sendable {
    public let name: String
    /// Every change (in place or by assignment) increments `version`.
    public var value: Tensor {
        didSet { version &+= 1 }
    }
    public var gradient: Tensor
    /// Changes whenever `value` does, so a layer can cache a rearranged copy of it.
    public private(set) var version = 0

    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value
        self.gradient = Tensor(zeros: value.shape)
    }

    public func zeroGradient() {
        gradient.values.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}
