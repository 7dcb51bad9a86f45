import Introspection
import Phonetics
import Plots

/// One colour per phonetic class (and per letter class), shared by every figure that colours
/// phonemes: dendrogram leaves, tanglegram lines, legends.
enum PhoneticColors {
    /// The classes in SCIENCE.md's order, then the letter classes.
    static let classes =
        PhoneticClass.allCases.map(\.rawValue).filter { $0 != "pause" } + ["vowel letter", "consonant letter", "other"]

    static func color(ofClass name: String) -> RGBColor {
        CategoricalPalette.color(at: classes.firstIndex(of: name) ?? classes.count - 1)
    }

    /// Legend entries for `classes` (one per group), in the canonical order.
    static func legend(forClasses groupClasses: [String]) -> [LegendEntry] {
        let used = Set(groupClasses)
        return classes.filter(used.contains).map { LegendEntry(label: $0, color: color(ofClass: $0)) }
    }
}
