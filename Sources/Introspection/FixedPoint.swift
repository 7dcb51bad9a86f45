/// Exact, order-independent sums: numbers as 128-bit integers in units of 2^-56.
///
/// Concretely: a double x becomes trunc(x 2^56) (exact for every double of magnitude 2^-4 or
/// more and every float32 of magnitude 2^-33 or more; smaller magnitudes lose the bits below
/// 2^-56, about 1.4e-17), and sums are
/// integer additions, which are associative. So the sum over a corpus is the same number
/// whichever shard adds which utterance in which order, and `phonoscope nap merge` of N shards
/// equals the unsharded run bit for bit. Magnitudes must stay below 2^70 (activations and
/// their squares are far smaller).
enum FixedPoint {
    static let fractionBits = 56
    static let scale = Double(sign: .plus, exponent: fractionBits, significand: 1)

    /// trunc(x 2^56) for a finite x; 0 for subnormals.
    @inline(__always)
    static func value(_ x: Double) -> Int128 {
        let bits = x.bitPattern
        let exponent = Int((bits >> 52) & 0x7FF)
        if exponent == 0 { return 0 }
        let mantissa = Int128(Int64(bitPattern: (bits & 0xF_FFFF_FFFF_FFFF) | (1 << 52)))
        // x = mantissa 2^(exponent - 1075).
        let shift = exponent - 1075 + fractionBits
        let magnitude: Int128
        if shift >= 0 {
            magnitude = mantissa << shift
        } else if shift > -54 {
            magnitude = mantissa >> -shift
        } else {
            magnitude = 0
        }
        return bits >> 63 == 0 ? magnitude : -magnitude
    }

    /// The nearest double to `v` 2^-56.
    static func double(_ v: Int128) -> Double { Double(v) / scale }

    /// `v` as two doubles whose sum is exactly v 2^-56: the nearest double and the remainder
    /// (exact while |v 2^-56| < 2^50). Nil when the remainder would not be exact.
    static func split(_ v: Int128) -> (value: Double, residual: Double)? {
        let high = Double(v)
        guard let highInteger = Int128(exactly: high) else { return nil }
        let rest = v - highInteger
        let low = Double(rest)
        guard Int128(exactly: low) == rest else { return nil }
        return (high / scale, low / scale)
    }

    /// The integer `split` came from; nil when the two doubles are not such a pair.
    static func joined(value: Double, residual: Double) -> Int128? {
        guard let high = Int128(exactly: value * scale), let low = Int128(exactly: residual * scale) else { return nil }
        return high + low
    }
}
