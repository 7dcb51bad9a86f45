/// Conversions between `Float` and the 16-bit floats safetensors files hold (IEEE half, bfloat16).
///
/// Half precision uses Swift's `Float16` where the platform has it (Linux on every architecture,
/// Apple silicon) and the equivalent bit manipulation below where it does not (macOS on Intel).
/// Narrowing rounds to nearest, ties to even; magnitudes of 65520 and above (beyond the largest
/// half, 65504, by at least half an ulp) become +-infinity; magnitudes of 2^-25 or less become +-0;
/// NaN stays NaN. Widening is exact.
enum Float16Conversion {
    /// The IEEE binary16 bit pattern nearest to `value`.
    static func halfBits(_ value: Float) -> UInt16 {
        #if os(macOS) && arch(x86_64)
            return softwareHalfBits(value)
        #else
            return Float16(value).bitPattern
        #endif
    }

    /// The value of an IEEE binary16 bit pattern.
    static func float(halfBits bits: UInt16) -> Float {
        #if os(macOS) && arch(x86_64)
            return softwareFloat(halfBits: bits)
        #else
            return Float(Float16(bitPattern: bits))
        #endif
    }

    /// The value of a bfloat16 bit pattern: the upper half of a float32's bits.
    static func float(bfloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// `halfBits` by bit manipulation; the tests check it against `Float16` on every pattern.
    static func softwareHalfBits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        let mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {  // infinity, or NaN made quiet with the top payload bits kept
            return mantissa == 0 ? sign | 0x7C00 : sign | 0x7E00 | UInt16(truncatingIfNeeded: mantissa >> 13)
        }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 0x1F { return sign | 0x7C00 }
        // Normal halves keep 10 of the 23 mantissa bits; subnormal ones shift the significand
        // (with its implicit 1) further right. Either way, round the dropped bits to nearest even;
        // a carry out of the mantissa correctly bumps the exponent (up to infinity).
        let significand: UInt32
        let shift: UInt32
        if halfExponent > 0 {
            significand = UInt32(halfExponent) << 23 | mantissa
            shift = 13
        } else {
            if halfExponent < -10 { return sign }
            significand = mantissa | 0x80_0000
            shift = UInt32(14 - halfExponent)
        }
        var half = significand >> shift
        let dropped = significand & ((1 << shift) - 1)
        let halfway = UInt32(1) << (shift - 1)
        if dropped > halfway || (dropped == halfway && half & 1 == 1) { half += 1 }
        return sign | UInt16(truncatingIfNeeded: half)
    }

    /// `float(halfBits:)` by bit manipulation.
    static func softwareFloat(halfBits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        case 0:  // zero or subnormal: mantissa * 2^-24, exact in float32
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        default:
            return Float(bitPattern: sign | (exponent + 127 - 15) << 23 | mantissa << 13)
        }
    }
}
