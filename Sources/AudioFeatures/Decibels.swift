import CSpectralKernels
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
            psk_decibels(base, buffer.count, floor, offset)
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
            if useFastLog, let base = buffer.baseAddress {
                psk_decibels(base, buffer.count, floor, offset)
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
