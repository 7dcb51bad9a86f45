/// Converts between frequencies (Hz) and fractional bin indices on an axis of frequency bins
/// whose centres may be spaced non-uniformly (mel bands).
///
/// Concretely: bin i is centred at `frequencies[i]` and drawn over indices i - 0.5 ... i + 0.5;
/// between two centres the frequency is interpolated linearly, f(i + u) = f_i + u (f_{i+1} - f_i)
/// for 0 <= u <= 1, and beyond the first and last centres the end intervals are extended.
/// For mel bands this puts each tick within a fraction of a band of its true place.
struct BinFrequencyMapping: Sendable {
    /// Centre frequency of each bin, strictly increasing.
    let frequencies: [Double]

    init(frequencies: [Double]) {
        precondition(!frequencies.isEmpty, "at least one bin")
        self.frequencies = frequencies
    }

    var binCount: Int { frequencies.count }

    /// The frequency at fractional bin index `index`.
    func frequency(atIndex index: Double) -> Double {
        guard frequencies.count > 1 else { return frequencies[0] }
        let lower = min(max(Int(index.rounded(.down)), 0), frequencies.count - 2)
        let width = frequencies[lower + 1] - frequencies[lower]
        return frequencies[lower] + (index - Double(lower)) * width
    }

    /// The fractional bin index of `frequency` (the inverse of `frequency(atIndex:)`).
    /// With a single bin only its own frequency has an index (0); others give NaN.
    func index(ofFrequency frequency: Double) -> Double {
        guard frequencies.count > 1 else { return frequency == frequencies[0] ? 0 : .nan }
        // Binary search for the interval [f_lower, f_lower+1] holding the frequency, clamped to
        // the end intervals for extrapolation.
        var low = 0
        var high = frequencies.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if frequencies[middle] <= frequency { low = middle } else { high = middle }
        }
        let width = frequencies[low + 1] - frequencies[low]
        return Double(low) + (frequency - frequencies[low]) / width
    }

    /// The frequencies at the outer edges of the first and last bins.
    var edgeFrequencies: ClosedRange<Double> {
        frequency(atIndex: -0.5)...frequency(atIndex: Double(binCount) - 0.5)
    }

    /// Whether the centres are evenly spaced (within 0.1 %), as for STFT bins; such an axis
    /// is linear in Hz and gets ordinary nice ticks.
    var isUniform: Bool {
        guard frequencies.count > 2 else { return true }
        let mean = (frequencies[frequencies.count - 1] - frequencies[0]) / Double(frequencies.count - 1)
        return zip(frequencies, frequencies.dropFirst()).allSatisfy { abs(($1 - $0) - mean) <= 1e-3 * mean }
    }
}
