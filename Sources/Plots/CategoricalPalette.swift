/// Distinguishable line colours for categories (phonemes, conditions), with dash patterns
/// that take over once the colours run out.
///
/// Concretely: entry i has colour `colors[i % 10]` and dash pattern `dashes[(i / 10) % 4]`,
/// so the first 10 categories are solid lines in ten colours, the next 10 dashed, then
/// dotted, then dash-dotted: 40 categories (a phoneme inventory) stay distinguishable, and
/// from 41 on the pairs repeat.
///
/// Provenance: the colours are matplotlib's `tab10` (the Tableau 10 palette), as 8-bit sRGB
/// values read from `matplotlib._cm._tab10_data` (matplotlib is under a BSD-style licence
/// based on the PSF licence); a table of numbers, not code.
public enum CategoricalPalette {
    /// tab10 in matplotlib's order: blue, orange, green, red, purple, brown, pink, grey,
    /// olive, cyan.
    static let colors: [RGBColor] = [
        (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
        (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
    ].map { RGBColor(red: Double($0.0) / 255, green: Double($0.1) / 255, blue: Double($0.2) / 255) }

    /// Dash patterns in points (drawn, skipped, ...): solid, dashed, dotted, dash-dotted.
    static let dashes: [[Double]] = [[], [6, 2.5], [1.5, 2.5], [7, 2.5, 1.5, 2.5]]

    /// The colour of category `index` (tab10, repeating after 10).
    public static func color(at index: Int) -> RGBColor {
        colors[index % colors.count]
    }

    static func dash(at index: Int) -> [Double] {
        dashes[(index / colors.count) % dashes.count]
    }
}
