import Foundation
import SeededRandom

/// Standard normal and uniform draws from `SeededGenerator` (SplitMix64), so that every random
/// start of this target is the same for the same seed on any machine and Swift version.
enum Gaussian {
    /// A uniform double in [0, 1) with 53 random bits.
    static func unit(_ generator: inout SeededGenerator) -> Double { Double(generator.next() >> 11) * 0x1p-53 }

    /// A standard normal draw by the Box-Muller transform (one of the pair is used: simple, and
    /// the cost is irrelevant next to the embeddings).
    static func draw(_ generator: inout SeededGenerator) -> Double {
        let u = 1 - unit(&generator)  // (0, 1]: log is finite
        let v = unit(&generator)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}
