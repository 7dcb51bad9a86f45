/// Gap scores of a global alignment, as Biopython's `PairwiseAligner` takes them: values added
/// to the score (so penalties are negative). A gap of length n scores `open + (n - 1) * extend`;
/// a linear gap is the case open = extend.
public enum GapScore: Sendable, Equatable, CustomStringConvertible {
    case linear(Double)
    case affine(open: Double, extend: Double)

    /// The score of a gap's first position.
    public var open: Double {
        switch self {
        case .linear(let score): return score
        case .affine(let open, _): return open
        }
    }

    /// The score of each further position of the same gap.
    public var extend: Double {
        switch self {
        case .linear(let score): return score
        case .affine(_, let extend): return extend
        }
    }

    public var description: String {
        switch self {
        case .linear(let score): return "linear gap \(score)"
        case .affine(let open, let extend): return "affine gap open \(open), extend \(extend)"
        }
    }
}

/// A global alignment: its score and the aligned pairs in order, nil marking a gap.
public struct GlobalAlignment<A, B> {
    public var score: Double
    public var pairs: [(a: A?, b: B?)]
}

/// Global alignment of two symbol sequences after Needleman and Wunsch [NW70], with affine gaps
/// by Gotoh's three-state recursion (Gotoh 1982, J. Mol. Biol. 162:705-708).
///
/// States per cell (i, j) - the best score of aligning a[..<i] with b[..<j] ending in:
///
///     M(i, j) = s(a_i, b_j) + max(M, X, Y)(i-1, j-1)                  a_i with b_j
///     X(i, j) = max(M(i-1, j) + open, X(i-1, j) + extend, Y(i-1, j) + open)   a_i with a gap
///     Y(i, j) = max(M(i, j-1) + open, Y(i, j-1) + extend, X(i, j-1) + open)   b_j with a gap
///
/// End gaps score like inner ones and a gap in one sequence may directly follow a gap in the
/// other, as in Biopython's `PairwiseAligner` (mode "global"), whose scores these equal
/// (`Tests/PhoneticsTests`, fixtures by `Scripts/make_nw_fixtures.py`).
///
/// Ties are broken the same way every time: at the last cell and at every step back, a
/// substitution (M) beats a gap in b (X), which beats a gap in a (Y). So among equally good
/// alignments the one returned puts substitutions as late as possible.
///
/// Cost: O(|a| |b|) time and memory (three scores and three back-pointers per cell).
public enum NeedlemanWunsch {
    /// The optimal global alignment of `a` and `b` under `score` (substitution) and `gap`.
    public static func align<A, B>(
        _ a: [A], _ b: [B], gap: GapScore, score: (A, B) -> Double
    ) -> GlobalAlignment<A, B> {
        let (open, extend) = (gap.open, gap.extend)
        return align(
            a, b, score: score, openA: { _ in open }, extendA: { _ in extend }, openB: { _ in open },
            extendB: { _ in extend })
    }

    /// As `align(_:_:gap:score:)`, with linear gap scores that depend on the symbol: an a_i
    /// aligned to a gap scores `gapA(a_i)`, a b_j aligned to a gap `gapB(b_j)` (what a
    /// learned letter-to-phoneme model wants: a silent "e" costs less than a silent "s").
    public static func align<A, B>(
        _ a: [A], _ b: [B], score: (A, B) -> Double, gapA: (A) -> Double, gapB: (B) -> Double
    ) -> GlobalAlignment<A, B> {
        align(a, b, score: score, openA: gapA, extendA: gapA, openB: gapB, extendB: gapB)
    }

    /// The recursion, with each gap position scored by its symbol (first or further position).
    private static func align<A, B>(
        _ a: [A], _ b: [B], score: (A, B) -> Double, openA: (A) -> Double, extendA: (A) -> Double,
        openB: (B) -> Double, extendB: (B) -> Double
    ) -> GlobalAlignment<A, B> {
        let (n, m) = (a.count, b.count)
        let columns = m + 1
        let impossible = -Double.infinity
        var best = [[Double]](repeating: [Double](repeating: impossible, count: (n + 1) * columns), count: 3)
        // back[state][cell]: the state of the cell this one came from.
        var back = [[State]](repeating: [State](repeating: .match, count: (n + 1) * columns), count: 3)
        best[State.match.rawValue][0] = 0
        for i in 0...n {
            for j in 0...m where i > 0 || j > 0 {
                let cell = i * columns + j
                if i > 0 && j > 0 {
                    let (value, from) = choose(best, at: (i - 1) * columns + j - 1, adding: (0, 0, 0))
                    best[State.match.rawValue][cell] = value + score(a[i - 1], b[j - 1])
                    back[State.match.rawValue][cell] = from
                }
                if i > 0 {
                    let (open, extend) = (openA(a[i - 1]), extendA(a[i - 1]))
                    let (value, from) = choose(best, at: (i - 1) * columns + j, adding: (open, extend, open))
                    best[State.gapInB.rawValue][cell] = value
                    back[State.gapInB.rawValue][cell] = from
                }
                if j > 0 {
                    let (open, extend) = (openB(b[j - 1]), extendB(b[j - 1]))
                    let (value, from) = choose(best, at: i * columns + j - 1, adding: (open, open, extend))
                    best[State.gapInA.rawValue][cell] = value
                    back[State.gapInA.rawValue][cell] = from
                }
            }
        }
        var (total, state) = choose(best, at: n * columns + m, adding: (0, 0, 0))
        if n == 0 && m == 0 { total = 0 }
        var pairs: [(a: A?, b: B?)] = []
        var (i, j) = (n, m)
        while i > 0 || j > 0 {
            let from = back[state.rawValue][i * columns + j]
            switch state {
            case .match:
                pairs.append((a[i - 1], b[j - 1]))
                (i, j) = (i - 1, j - 1)
            case .gapInB:
                pairs.append((a[i - 1], nil))
                i -= 1
            case .gapInA:
                pairs.append((nil, b[j - 1]))
                j -= 1
            }
            state = from
        }
        return GlobalAlignment(score: total, pairs: pairs.reversed())
    }

    /// The score of a given alignment under the same rules (for checking, and for scoring a
    /// hand-made alignment).
    public static func score<A, B>(
        of pairs: [(a: A?, b: B?)], gap: GapScore, score: (A, B) -> Double
    ) -> Double {
        var total = 0.0
        var previous: State? = nil
        for pair in pairs {
            switch (pair.a, pair.b) {
            case (let x?, let y?):
                total += score(x, y)
                previous = .match
            case (_?, nil):
                total += previous == .gapInB ? gap.extend : gap.open
                previous = .gapInB
            case (nil, _?):
                total += previous == .gapInA ? gap.extend : gap.open
                previous = .gapInA
            case (nil, nil):
                continue
            }
        }
        return total
    }

    enum State: Int {
        case match = 0
        case gapInB = 1
        case gapInA = 2
    }

    /// The best of the three states at `cell`, each plus its added score, preferring M, then X,
    /// then Y on ties.
    private static func choose(
        _ best: [[Double]], at cell: Int, adding add: (match: Double, gapInB: Double, gapInA: Double)
    ) -> (Double, State) {
        var value = best[State.match.rawValue][cell] + add.match
        var state = State.match
        let x = best[State.gapInB.rawValue][cell] + add.gapInB
        if x > value && !nearlyEqual(x, value) { (value, state) = (x, .gapInB) }
        let y = best[State.gapInA.rawValue][cell] + add.gapInA
        if y > value && !nearlyEqual(y, value) { (value, state) = (y, .gapInA) }
        return (value, state)
    }

    /// Equal up to rounding, so that ties between sums of decimal scores break by the rule.
    private static func nearlyEqual(_ x: Double, _ y: Double) -> Bool {
        guard x.isFinite, y.isFinite else { return x == y }
        return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
    }
}
