/// The colour limits a heatmap figure uses when the caller gives none.
enum AutomaticColorLimits {
    /// `explicit` if given; else, over the finite values of every array in `matrices`,
    /// -m...m with m the largest magnitude when `symmetric` (a diverging map centred on 0,
    /// so white means 0), or min...max otherwise.
    ///
    /// Degenerate cases still give a usable range: m = 0 gives -1...1, min = max gives
    /// min - 0.5...max + 0.5, and no finite value gives -1...1 (symmetric) or 0...1.
    static func resolved(_ explicit: ClosedRange<Float>?, matrices: [[Float]], symmetric: Bool) -> ClosedRange<Float> {
        if let explicit { return explicit }
        var low = Float.infinity
        var high = -Float.infinity
        for values in matrices {
            for value in values where value.isFinite {
                low = min(low, value)
                high = max(high, value)
            }
        }
        if symmetric {
            let magnitude = low <= high ? max(abs(low), abs(high)) : 0
            return magnitude > 0 ? -magnitude...magnitude : -1...1
        }
        guard low <= high else { return 0...1 }
        return low < high ? low...high : (low - 0.5)...(high + 0.5)
    }
}
