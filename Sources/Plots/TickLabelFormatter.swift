import Foundation

/// Turns tick values into short labels: as many decimals as the step needs, then no trailing
/// zeros ("0", "0.5", "1", "1.5" rather than "0.0", "0.5", "1.0", "1.5"), a true minus
/// sign (U+2212) and never "-0".
enum TickLabelFormatter {
    /// The label for `value` on an axis whose ticks are `step` apart.
    /// Steps below `scientificBelow` (attributions of 1e-13) get labels such as "2e-13": a
    /// fixed number of decimals would print them all as "0".
    static func label(_ value: Double, step: Double) -> String {
        guard step.isFinite, step > 0, step < scientificBelow else {
            return label(value, decimals: decimals(for: step))
        }
        if abs(value) < step / 2 { return "0" }
        let text = String(format: "%.3g", value)
        return text.hasPrefix("-") ? "\u{2212}" + text.dropFirst() : text
    }

    static let scientificBelow = 1e-4

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
