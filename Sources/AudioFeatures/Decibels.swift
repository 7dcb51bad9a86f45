import Foundation

/// Power to decibels, as `librosa.power_to_db` computes it.
///
/// Concretely: dB = 10 log10(max(amin, S)) - 10 log10(max(amin, |ref|)), then, with `topDB`,
/// every value is raised to at least max(dB) - topDB.
public struct DecibelConversion: Sendable, Equatable, Codable {
    /// The reference power: a fixed value or the maximum of the input (`ref=np.max`).
    public enum Reference: Sendable, Equatable, Codable {
        case value(Double)
        case maximum
    }

    public var reference: Reference
    /// `amin`: the power floor; 1e-10 (-100 dB) is librosa's default.
    public var minimumPower: Double
    /// `top_db`: the dynamic range kept below the maximum; nil keeps everything.
    public var topDecibels: Double?

    public init(reference: Reference = .value(1), minimumPower: Double = 1e-10, topDecibels: Double? = nil) {
        self.reference = reference
        self.minimumPower = minimumPower
        self.topDecibels = topDecibels
    }

    public func validate() throws {
        guard minimumPower > 0 else {
            throw AudioFeaturesError.invalidParameter(
                name: "amin", value: String(minimumPower), valid: "a positive power, e.g. 1e-10")
        }
        if let topDecibels, !(topDecibels >= 0) {
            throw AudioFeaturesError.invalidParameter(
                name: "top_db", value: String(topDecibels), valid: "a non-negative number of dB, or none")
        }
    }

    /// True when each value converts on its own (a fixed reference and no top_db), so the
    /// conversion can run frame by frame.
    public var isElementwise: Bool {
        if case .value = reference { return topDecibels == nil }
        return false
    }

    /// Converts `values` in place, one at a time, against a fixed reference; only valid when
    /// `isElementwise`.
    public func applyElementwise(to buffer: UnsafeMutableBufferPointer<Float>) {
        precondition(isElementwise, "applyElementwise needs a fixed reference and no top_db")
        guard case .value(let referenceValue) = reference else { return }
        let floor = Float(minimumPower)
        let offset = Float(10 * log10(max(minimumPower, abs(referenceValue))))
        if floor >= Float.leastNormalMagnitude {
            guard let base = buffer.baseAddress else { return }
            for i in 0..<buffer.count {
                let x = base[i]
                base[i] = FastLogarithm.decibels(x > floor ? x : floor) - offset
            }
        } else {
            for i in 0..<buffer.count { buffer[i] = 10 * log10(max(floor, buffer[i])) - offset }
        }
    }

    /// Converts `values` in place.
    public func apply(to values: inout [Float]) {
        let floor = Float(minimumPower)
        let referencePower: Double
        switch reference {
        case .value(let v): referencePower = abs(v)
        case .maximum: referencePower = Double(values.max() ?? 1)
        }
        let offset = Float(10 * log10(max(minimumPower, referencePower)))
        let useFastLog = floor >= Float.leastNormalMagnitude
        values.withUnsafeMutableBufferPointer { buffer in
            if useFastLog {
                for i in 0..<buffer.count {
                    buffer[i] = FastLogarithm.decibels(max(floor, buffer[i])) - offset
                }
            } else {
                for i in 0..<buffer.count { buffer[i] = 10 * log10(max(floor, buffer[i])) - offset }
            }
            if let topDecibels {
                var peak = -Float.infinity
                for v in buffer where v > peak { peak = v }
                let lowest = peak - Float(topDecibels)
                for i in 0..<buffer.count where buffer[i] < lowest { buffer[i] = lowest }
            }
        }
    }
}

/// A natural logarithm for positive normal floats that the compiler can vectorise (no calls,
/// only arithmetic, bit operations and selects), accurate to about 1 ulp.
///
/// Concretely: x = m 2^e with m in [sqrt(1/2), sqrt(2)); ln x = e ln 2 + ln(1 + z), z = m - 1,
/// with ln(1 + z) = z - z^2/2 + z^3 P(z), P the degree-8 minimax polynomial from Moshier's
/// Cephes `logf`, and ln 2 split in two parts to keep e ln 2 exact.
enum FastLogarithm {
    @inline(__always)
    static func naturalLog(_ x: Float) -> Float {
        let bits = x.bitPattern
        var exponent = Float(Int32(bitPattern: bits >> 23) &- 127)
        var m = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F80_0000)  // [1, 2)
        let halve = m > 1.414_213_56
        m = halve ? m * 0.5 : m
        exponent = halve ? exponent + 1 : exponent
        let z = m - 1
        let z2 = z * z
        // P(z) = a0 + a1 z + ... + a8 z^8, evaluated with Estrin's scheme (depth 4 instead of
        // Horner's 9, so independent lanes overlap in the pipeline).
        let z4 = z2 * z2
        let q01 = 3.333_333_117_4e-1 + z * -2.499_999_399_3e-1
        let q23 = 2.000_071_476_5e-1 + z * -1.666_805_766_5e-1
        let q45 = 1.424_932_278_7e-1 + z * -1.242_014_084_6e-1
        let q67 = 1.167_699_874_0e-1 + z * -1.151_461_031_0e-1
        let r03 = q01 + z2 * q23
        let r47 = q45 + z2 * q67
        let p: Float = r03 + z4 * r47 + (z4 * z4) * 7.037_683_629_2e-2
        var y = p * z * z2
        y += exponent * -2.121_944_40e-4
        y += -0.5 * z2
        return (z + y) + exponent * 0.693_359_375
    }

    /// 10 log10(x) for positive normal x.
    @inline(__always)
    static func decibels(_ x: Float) -> Float {
        naturalLog(x) * 4.342_944_819_032_518  // 10 / ln 10
    }
}
