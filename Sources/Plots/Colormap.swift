/// A colour map: a path through colour space that turns a number in [0, 1] into a colour.
///
/// Concretely: each map is a table of 256 RGB entries (generated from matplotlib by
/// `Scripts/make_colormaps.py`, see `ColormapTables.swift` for provenance and licences);
/// `color(at: t)` interpolates linearly between the two entries around t * 255, so t = 0 and
/// t = 1 give the first and last entries exactly.
public enum Colormap: String, Sendable, CaseIterable {
    /// Perceptually uniform black -> purple -> orange -> pale yellow; the default for
    /// spectrograms because loud is bright and the dark end hides nothing.
    case magma
    /// Perceptually uniform dark blue -> green -> yellow.
    case viridis
    /// Diverging blue -> near white -> red (ColorBrewer RdBu reversed); for signed values
    /// centred on zero, such as differences or relevance.
    case blueWhiteRed

    /// The flattened RGB table: entry i is `[3 * i ..< 3 * i + 3]`.
    var table: [Float] {
        switch self {
        case .magma: return ColormapTables.magma
        case .viridis: return ColormapTables.viridis
        case .blueWhiteRed: return ColormapTables.blueWhiteRed
        }
    }

    /// The colour at position `t`, clamped to [0, 1] (NaN counts as 0; figures draw NaN
    /// values in a separate colour before they ever reach the map).
    public func color(at t: Double) -> RGBColor {
        let table = table
        let last = ColormapTables.entryCount - 1
        let clamped = t.isNaN ? 0 : min(max(t, 0), 1)
        let position = clamped * Double(last)
        let lower = min(Int(position), last - 1)
        let fraction = position - Double(lower)
        func channel(_ offset: Int) -> Double {
            let a = Double(table[3 * lower + offset])
            let b = Double(table[3 * (lower + 1) + offset])
            return a + (b - a) * fraction
        }
        return RGBColor(red: channel(0), green: channel(1), blue: channel(2))
    }

    /// `count` colours evenly spaced from t = 0 to t = 1 as cairo RGB24 pixels, for fast
    /// lookup when filling bitmaps.
    func rgb24LookupTable(count: Int) -> [UInt32] {
        precondition(count >= 2, "a lookup table needs both ends")
        return (0..<count).map { color(at: Double($0) / Double(count - 1)).rgb24Pixel }
    }
}
