/// A trainable tensor with its accumulated gradient.
///
/// Ownership: a layer owns its parameters; optimisers update `value` in place and read
/// `gradient`, which `backward` accumulates into until `zeroGradient()`.
public final class Parameter: @unchecked Sendable {
    public let name: String
    /// Every change (in place or by assignment) increments `version`. (A `didSet` observer
    /// would do the same but copies the whole array on each element write.)
    public var value: Tensor {
        get { storage }
        _modify {
            yield &storage
            version &+= 1
        }
        set {
            storage = newValue
            version &+= 1
        }
    }
    private var storage: Tensor
    public var gradient: Tensor
    /// Changes whenever `value` does, so a layer can cache a rearranged copy of it.
    public private(set) var version = 0

    public init(name: String, value: Tensor) {
        self.name = name
        self.storage = value
        self.gradient = Tensor(zeros: value.shape)
    }

    public func zeroGradient() {
        gradient.values.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}
