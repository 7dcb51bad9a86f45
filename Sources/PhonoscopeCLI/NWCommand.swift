import ArgumentParser
import Foundation
import Phonetics

/// `phonoscope nw`: global alignment of two symbol sequences (Needleman-Wunsch, Gotoh's affine gaps).
struct NWCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nw",
        abstract: "Align two sequences of space-separated symbols globally (Needleman-Wunsch).",
        discussion: """
            Scores are added, as in Biopython's PairwiseAligner (mode "global"): a pair of
            equal symbols scores --match, unequal ones --mismatch, and a gap of length n
            scores --gap times n (linear) or --gap-open + (n - 1) * --gap-extend (affine).
            End gaps score like inner ones. Among equally good alignments the same one is
            always returned (substitutions before gaps, deciding from the end). Defaults:
            match 1, mismatch -1, gap -1.

            Examples:
              phonoscope nw "k n i g h t" "n aɪ t"
              phonoscope nw "g a t t a c a" "g c a t g c u" --match 1 --mismatch -1 \\
                --gap -2 --json
              phonoscope nw "a b c d" "a d" --gap-open -3 --gap-extend -0.5
            """)

    @Argument(help: "The first sequence: symbols separated by spaces.")
    var first: String

    @Argument(help: "The second sequence: symbols separated by spaces.")
    var second: String

    @Option(parsing: .unconditional, help: "Score of a pair of equal symbols.")
    var match: Double = 1

    @Option(parsing: .unconditional, help: "Score of a pair of unequal symbols.")
    var mismatch: Double = -1

    @Option(parsing: .unconditional, help: "Score of each gap position (linear gaps; default -1).")
    var gap: Double?

    @Option(
        name: .customLong("gap-open"), parsing: .unconditional, help: "Score of a gap's first position (affine gaps).")
    var gapOpen: Double?

    @Option(
        name: .customLong("gap-extend"), parsing: .unconditional,
        help: "Score of each further position of a gap (affine gaps).")
    var gapExtend: Double?

    @Flag(help: "Print {\"score\": ..., \"pairs\": [[a or null, b or null], ...]}.")
    var json = false

    func validate() throws {
        for (name, value) in [
            ("--match", match), ("--mismatch", mismatch), ("--gap", gap), ("--gap-open", gapOpen),
            ("--gap-extend", gapExtend),
        ] {
            if let value, !value.isFinite {
                throw ValidationError("\(name) \(value) is invalid; valid: a finite number")
            }
        }
        if let gap, gapOpen != nil || gapExtend != nil {
            throw ValidationError(
                "--gap \(gap) cannot be combined with --gap-open/--gap-extend; valid: --gap S (linear) or both --gap-open S and --gap-extend S (affine)"
            )
        }
        if (gapOpen == nil) != (gapExtend == nil) {
            throw ValidationError(
                "\(gapOpen == nil ? "--gap-extend" : "--gap-open") given alone; valid: both --gap-open S and --gap-extend S"
            )
        }
    }

    var gapScore: GapScore {
        if let gapOpen, let gapExtend { return .affine(open: gapOpen, extend: gapExtend) }
        return .linear(gap ?? -1)
    }

    func run() throws {
        let a = first.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let b = second.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let (match, mismatch) = (self.match, self.mismatch)
        let alignment = NeedlemanWunsch.align(a, b, gap: gapScore) { $0 == $1 ? match : mismatch }
        if json {
            let pairs = alignment.pairs.map { [$0.a as Any? ?? NSNull(), $0.b as Any? ?? NSNull()] }
            let object: [String: Any] = ["score": alignment.score, "pairs": pairs]
            let data = try JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        // Three rows: the first sequence, | for equal and . for unequal pairs, the second; - is a gap.
        var rows = ["", "", ""]
        for pair in alignment.pairs {
            let top = pair.a ?? "-"
            let bottom = pair.b ?? "-"
            let middle = pair.a == nil || pair.b == nil ? " " : (pair.a == pair.b ? "|" : ".")
            let width = max(top.count, bottom.count)
            for (row, text) in [top, middle, bottom].enumerated() {
                rows[row] += text + String(repeating: " ", count: width - text.count + 1)
            }
        }
        for row in rows { print(row.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)) }
        print("score \(alignment.score) (\(gapScore), match \(match), mismatch \(mismatch))")
    }
}
