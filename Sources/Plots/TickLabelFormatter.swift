import Foundation

/// Turns tick values into short labels: as many decimals as the step needs, then no trailing
/// zeros ("0", "0.5", "1", "1.5" rather than "0.0", "0.5", "1.0", "1.5"), a true minus
/// sign (U+2212) and never "-0".
enum TickLabelFormatter {
    /// The label for `value` on an axis whose ticks are `step` apart.
    static func label(_ value: Double, step: Double) -> String {
        label(value, decimals: decimals(for: step))
    }

    /// The label for `value` with at most `decimals` digits after the point.
    static func label(_ value: Double, decimals: Int) -> String {
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        if text.hasPrefix("-") {
            text.removeFirst()
            if text.allSatisfy({ $0 == "0" }) { return text }
            return "\u{2212}" + text
        }
        return text
    }

    /// The fewest decimals (at most 12) that write every multiple of `step` exactly.
    static func decimals(for step: Double) -> Int {
        guard step.isFinite, step > 0 else { return 0 }
        for decimals in 0...12 {
            let scaled = step * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) <= 1e-6 * max(1, scaled) { return decimals }
        }
        return 12
    }
}
