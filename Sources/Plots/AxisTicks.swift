/// Chooses ticks for an axis of a given length so that their labels neither overlap nor crowd.
enum AxisTicks {
    /// Nice linear ticks (see `NiceTicks`) for `range` on an axis `length` points long.
    ///
    /// Concretely: tries 12, 11, ... 1 intervals and keeps the first tick set whose ticks are
    /// at least `minimumSpacing` apart and whose labels (measured by `labelExtent` along the
    /// axis) leave at least `labelGap` between neighbours. When that leaves a single tick on a
    /// short axis (a small panel of -192...192 ms gets only "0"), the spacing rule is relaxed to
    /// the labels' own room, so an axis shows at least two ticks whenever their labels fit.
    /// `transform` maps a tick value to the axis's linear coordinate (identity for ordinary axes).
    static func linear(
        range: ClosedRange<Double>, length: Double, minimumSpacing: Double, labelGap: Double,
        labelExtent: (String) -> Double, transform: (Double) -> Double = { $0 }
    ) -> [Tick] {
        let ticks = linearTicks(
            range: range, length: length, minimumSpacing: minimumSpacing, labelGap: labelGap,
            labelExtent: labelExtent, transform: transform)
        guard ticks.count < 2, minimumSpacing > 0 else { return ticks }
        let relaxed = linearTicks(
            range: range, length: length, minimumSpacing: 0, labelGap: labelGap, labelExtent: labelExtent,
            transform: transform)
        return relaxed.count >= 2
            && fits(
                relaxed, length: length, range: range, transform: transform, minimumSpacing: 0, labelGap: labelGap,
                labelExtent: labelExtent)
            ? relaxed : ticks
    }

    private static func linearTicks(
        range: ClosedRange<Double>, length: Double, minimumSpacing: Double, labelGap: Double,
        labelExtent: (String) -> Double, transform: (Double) -> Double = { $0 }
    ) -> [Tick] {
        guard range.upperBound > range.lowerBound, length > 0 else {
            return [
                Tick(
                    position: transform(range.lowerBound),
                    label: TickLabelFormatter.label(range.lowerBound, decimals: 6))
            ]
        }
        var fallback: [Tick] = []
        for intervalCount in stride(from: 12, through: 1, by: -1) {
            let parts = NiceTicks.stepParts(span: range.upperBound - range.lowerBound, intervalCount: intervalCount)
            let values = NiceTicks.values(in: range, mantissa: parts.mantissa, exponent: parts.exponent)
            let step = NiceTicks.value(multiple: 1, mantissa: parts.mantissa, exponent: parts.exponent)
            let ticks = values.map { Tick(position: transform($0), label: TickLabelFormatter.label($0, step: step)) }
            fallback = ticks
            if fits(
                ticks, length: length, range: range, transform: transform,
                minimumSpacing: minimumSpacing, labelGap: labelGap, labelExtent: labelExtent)
            {
                return ticks
            }
        }
        return fallback
    }

    /// Whether neighbouring ticks are far enough apart on an axis `length` points long whose
    /// linear coordinate spans transform(range).
    static func fits(
        _ ticks: [Tick], length: Double, range: ClosedRange<Double>, transform: (Double) -> Double,
        minimumSpacing: Double, labelGap: Double, labelExtent: (String) -> Double
    ) -> Bool {
        let low = transform(range.lowerBound)
        let high = transform(range.upperBound)
        let scale = length / (high - low)
        for (a, b) in zip(ticks, ticks.dropFirst()) {
            let distance = abs(b.position - a.position) * scale
            let needed = max(minimumSpacing, (labelExtent(a.label) + labelExtent(b.label)) / 2 + labelGap)
            if distance < needed { return false }
        }
        return true
    }
}
