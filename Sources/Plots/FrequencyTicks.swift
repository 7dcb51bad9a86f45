import Foundation

/// Chooses frequency ticks (Hz) for an axis of frequency bins, linear or not.
///
/// On evenly spaced bins (STFT) the axis is linear in Hz and gets `AxisTicks.linear`. On mel
/// bands the axis is close to logarithmic above 1 kHz, where evenly spaced Hz ticks would pile
/// up at the top; there the ticks are chosen greedily from a list of round frequencies in
/// order of preference, keeping each one that lands inside the axis at least `minimumSpacing`
/// points from every tick already kept:
/// 1. 0 Hz, then the octave series 1000 x 2^j (1000, 2000, 500, 4000, 250, 8000, 16000,
///    32000), nearest octaves first, which spread evenly over a logarithmic axis;
/// 2. multiples of 1, 2 and 5 x 10^k, coarse steps first, to fill what the octaves leave
///    empty (the linear part of a mel axis below 1 kHz, or ranges far from 1 kHz).
/// Ticks are placed at the fractional bin index of their frequency (`BinFrequencyMapping`), so
/// they are where the frequency is, wherever that is between two band centres.
enum FrequencyTicks {
    static func ticks(
        mapping: BinFrequencyMapping, length: Double, minimumSpacing: Double, labelGap: Double,
        labelExtent: (String) -> Double
    ) -> [Tick] {
        let axisRange = -0.5...(Double(mapping.binCount) - 0.5)
        if mapping.binCount == 1 {
            let frequency = mapping.frequencies[0]
            return [Tick(position: 0, label: TickLabelFormatter.label(frequency, decimals: 1))]
        }
        let hertzRange = mapping.edgeFrequencies
        if mapping.isUniform {
            return AxisTicks.linear(
                range: hertzRange, length: length, minimumSpacing: minimumSpacing, labelGap: labelGap,
                labelExtent: labelExtent, transform: mapping.index(ofFrequency:))
        }
        let pointsPerBin = length / (axisRange.upperBound - axisRange.lowerBound)
        var kept: [Double] = []
        var keptIndices: [Double] = []
        for frequency in candidates(in: hertzRange) {
            let index = mapping.index(ofFrequency: frequency)
            guard index.isFinite, axisRange.contains(index), !kept.contains(frequency) else { continue }
            let label = label(frequency)
            let needed = max(minimumSpacing, labelExtent(label) + labelGap)
            let crowded = keptIndices.contains { abs($0 - index) * pointsPerBin < needed }
            if !crowded {
                kept.append(frequency)
                keptIndices.append(index)
            }
        }
        return kept.sorted().map { Tick(position: mapping.index(ofFrequency: $0), label: label($0)) }
    }

    /// Round frequencies inside `range`, most preferred first (see the type's comment).
    static func candidates(in range: ClosedRange<Double>) -> [Double] {
        var result: [Double] = [0]
        let octaves = (-2...5).map { 1000 * pow(2, Double($0)) }.sorted { abs(log2($0 / 1000)) < abs(log2($1 / 1000)) }
        result += octaves
        let span = range.upperBound - range.lowerBound
        guard span > 0 else { return result.filter { range.contains($0) } }
        // Steps from the largest nice step not above the span down to about span / 100.
        var exponent = Int(floor(log10(span)))
        var steps: [(mantissa: Double, exponent: Int)] = []
        while steps.count < 9 {
            for mantissa in [5.0, 2.0, 1.0]
            where NiceTicks.value(multiple: 1, mantissa: mantissa, exponent: exponent) <= span {
                steps.append((mantissa, exponent))
            }
            exponent -= 1
        }
        for step in steps {
            result += NiceTicks.values(in: range, mantissa: step.mantissa, exponent: step.exponent)
        }
        return result.filter { range.contains($0) }
    }

    /// A frequency label in Hz: whole numbers as they are, others with one decimal.
    static func label(_ frequency: Double) -> String {
        TickLabelFormatter.label(frequency, decimals: frequency == frequency.rounded() ? 0 : 1)
    }
}
