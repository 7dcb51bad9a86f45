import SeededRandom

/// Seeded random initial values, so the same seed builds the same network: uniform draws in
/// [-bound, bound) from `SeededGenerator`, in the order layers are built, weight before bias.
public struct SeededInitializer: Sendable {
    private var generator: SeededGenerator

    public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    public mutating func uniform(shape: [Int], bound: Float) -> Tensor {
        let count = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count { values[i] = (2 * generator.unitFloat() - 1) * bound }
        return Tensor(shape: shape, values: values)
    }
}
