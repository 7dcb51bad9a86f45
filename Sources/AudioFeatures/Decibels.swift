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
        var exponent = Float(Int32(bitPattern: bits >> 23) - 127)
        var m = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F80_0000)  // [1, 2)
        let halve = m > 1.414_213_56
        m = halve ? m * 0.5 : m
        exponent = halve ? exponent + 1 : exponent
        let z = m - 1
        let z2 = z * z
        var p: Float = 7.037_683_629_2e-2
        p = p * z - 1.151_461_031_0e-1
        p = p * z + 1.167_699_874_0e-1
        p = p * z - 1.242_014_084_6e-1
        p = p * z + 1.424_932_278_7e-1
        p = p * z - 1.666_805_766_5e-1
        p = p * z + 2.000_071_476_5e-1
        p = p * z - 2.499_999_399_3e-1
        p = p * z + 3.333_333_117_4e-1
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
