import Foundation

extension DecibelConversion {
    /// `librosa.db_to_power(S_db, ref=reference)`: power = reference * 10^(dB / 10), computed in
    /// double precision.
    public static func power(fromDecibels values: [Float], reference: Double = 1) -> [Float] {
        values.map { Float(reference * pow(10, 0.1 * Double($0))) }
    }

    /// The inverse of `apply(to:)` for a fixed reference: power = max(amin, |ref|) 10^(dB / 10).
    /// Exact above the floor; values clipped to the floor (or by `topDecibels`) come back as the
    /// floor's power, since what they were is lost.
    public func power(fromDecibels values: [Float]) throws -> [Float] {
        DecibelConversion.power(fromDecibels: values, reference: try referencePower())
    }

    /// The lowest value `apply(to:)` produces before `topDecibels`, 10 log10(amin) - 10 log10(max(amin, |ref|))
    /// (-150 dB for the `speechless` preset).
    public func floorDecibels() throws -> Double {
        10 * log10(minimumPower) - 10 * log10(try referencePower())
    }

    /// max(amin, |ref|) for a fixed reference; `ref=np.max` cannot be undone, the maximum is gone.
    func referencePower() throws -> Double {
        guard case .value(let value) = reference else {
            throw AudioFeaturesError.invalidParameter(
                name: "ref", value: "maximum",
                valid: "a fixed reference power (ref=np.max is not invertible: the maximum is not kept)")
        }
        return max(minimumPower, abs(value))
    }
}
