import Foundation

/// "Nice numbers" for axis ticks: steps of 1, 2 or 5 times a power of ten.
///
/// Concretely (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990): for a span S
/// and a wanted number of intervals n, the raw step S / n is written f * 10^k with
/// 1 <= f < 10 and f is rounded to 1 (f < 1.5), 2 (f < 3), 5 (f < 7) or 10; the ticks are the
/// multiples of that step inside the range. Any axis can use it; `AxisTicks` adds the check
/// that labels do not overlap.
public enum NiceTicks {
    /// The nice step nearest to `span / intervalCount`, as (mantissa 1, 2 or 5, exponent k),
    /// so the step is mantissa * 10^k.
    static func stepParts(span: Double, intervalCount: Int) -> (mantissa: Double, exponent: Int) {
        precondition(span > 0 && span.isFinite, "a tick span must be positive and finite, got \(span)")
        precondition(intervalCount >= 1, "at least one interval")
        let raw = span / Double(intervalCount)
        var exponent = Int(floor(log10(raw)))
        let fraction = raw / pow(10, Double(exponent))
        let mantissa: Double
        switch fraction {
        case ..<1.5: mantissa = 1
        case ..<3: mantissa = 2
        case ..<7: mantissa = 5
        default:
            mantissa = 1
            exponent += 1
        }
        return (mantissa, exponent)
    }

    /// The nice step (1, 2 or 5 x 10^k) nearest to `span / intervalCount`.
    ///
    /// For example a span of 8000 in 5 intervals gives 2000; 1 in 4 gives 0.2 (0.25 rounds
    /// to the nearest nice number, 0.2).
    public static func step(span: Double, intervalCount: Int) -> Double {
        let parts = stepParts(span: span, intervalCount: intervalCount)
        return value(multiple: 1, mantissa: parts.mantissa, exponent: parts.exponent)
    }

    /// The multiples of a nice step inside `range` (ends included, allowing for rounding),
    /// with the step chosen for about `intervalCount` intervals over the range.
    ///
    /// For example 0...8000 in 5 intervals gives 0, 2000, 4000, 6000, 8000, and -0.01...1.01
    /// in 5 gives 0, 0.2, ..., 1. An empty or non-finite range gives its single value or none.
    public static func values(in range: ClosedRange<Double>, intervalCount: Int) -> [Double] {
        guard range.lowerBound.isFinite, range.upperBound.isFinite else { return [] }
        guard range.upperBound > range.lowerBound else { return [range.lowerBound] }
        let parts = stepParts(span: range.upperBound - range.lowerBound, intervalCount: intervalCount)
        return values(in: range, mantissa: parts.mantissa, exponent: parts.exponent)
    }

    /// The multiples of `mantissa * 10^exponent` inside `range`, ends included up to a
    /// relative rounding error of 1e-9 of the step.
    static func values(in range: ClosedRange<Double>, mantissa: Double, exponent: Int) -> [Double] {
        let step = value(multiple: 1, mantissa: mantissa, exponent: exponent)
        let tolerance = 1e-9
        let first = Int((range.lowerBound / step - tolerance).rounded(.up))
        let last = Int((range.upperBound / step + tolerance).rounded(.down))
        guard first <= last else { return [] }
        return (first...last).map { value(multiple: $0, mantissa: mantissa, exponent: exponent) }
    }

    /// multiple * mantissa * 10^exponent, dividing by 10^-exponent for negative exponents so
    /// that e.g. 3 x 0.1 is the double nearest 0.3, not 0.30000000000000004.
    static func value(multiple: Int, mantissa: Double, exponent: Int) -> Double {
        let scaled = Double(multiple) * mantissa
        return exponent >= 0 ? scaled * pow(10, Double(exponent)) : scaled / pow(10, Double(-exponent))
    }
}
