import Foundation
import Testing

@testable import Phonetics

/// Needleman-Wunsch against Biopython's PairwiseAligner (fixtures by Scripts/make_nw_fixtures.py)
/// and against brute force over every alignment of short sequences.
struct NeedlemanWunschTests {
    struct Case: Decodable {
        let a: String
        let b: String
        let match: Double
        let mismatch: Double
        let gapOpen: Double
        let gapExtend: Double
        let score: Double
        let optimalAlignments: Int

        enum CodingKeys: String, CodingKey {
            case a, b, match, mismatch, score
            case gapOpen = "gap_open"
            case gapExtend = "gap_extend"
            case optimalAlignments = "optimal_alignments"
        }
    }

    struct Fixture: Decodable {
        let biopython: String
        let cases: [Case]
    }

    static func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/nw.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// The alignment's own symbols, in order, must be the two inputs.
    func expectConsumes<A: Equatable, B: Equatable>(_ alignment: GlobalAlignment<A, B>, _ a: [A], _ b: [B]) {
        #expect(alignment.pairs.compactMap(\.a) == a)
        #expect(alignment.pairs.compactMap(\.b) == b)
        #expect(!alignment.pairs.contains { $0.a == nil && $0.b == nil })
    }

    @Test func scoresEqualBiopythons() throws {
        let fixture = try Self.fixture()
        #expect(fixture.cases.count > 300)
        for c in fixture.cases {
            let gap: GapScore =
                c.gapOpen == c.gapExtend ? .linear(c.gapOpen) : .affine(open: c.gapOpen, extend: c.gapExtend)
            let substitution: (Character, Character) -> Double = { $0 == $1 ? c.match : c.mismatch }
            let (a, b) = (Array(c.a), Array(c.b))
            let alignment = NeedlemanWunsch.align(a, b, gap: gap, score: substitution)
            #expect(
                abs(alignment.score - c.score) < 1e-9, "\(c.a) / \(c.b) with \(gap): \(alignment.score) vs \(c.score)")
            // The returned alignment really scores what is reported.
            let rescored = NeedlemanWunsch.score(of: alignment.pairs, gap: gap, score: substitution)
            #expect(abs(rescored - c.score) < 1e-9, "\(c.a) / \(c.b): the alignment scores \(rescored)")
            expectConsumes(alignment, a, b)
        }
    }

    /// Every global alignment of a and b (each a path of substitutions and gaps).
    func allAlignments(_ a: [Int], _ b: [Int]) -> [[(a: Int?, b: Int?)]] {
        if a.isEmpty && b.isEmpty { return [[]] }
        var result: [[(a: Int?, b: Int?)]] = []
        if let x = a.last, let y = b.last {
            result += allAlignments(Array(a.dropLast()), Array(b.dropLast())).map { $0 + [(x, y)] }
        }
        if let x = a.last { result += allAlignments(Array(a.dropLast()), b).map { $0 + [(x, nil)] } }
        if let y = b.last { result += allAlignments(a, Array(b.dropLast())).map { $0 + [(nil, y)] } }
        return result
    }

    @Test func alignmentsAreOptimalByBruteForce() {
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        // A full (not match/mismatch) substitution table, so that scores depend on the symbols.
        let table = (0..<9).map { _ in Double(next(7)) - 3 }
        let substitution: (Int, Int) -> Double = { table[$0 * 3 + $1] }
        for trial in 0..<60 {
            let a = (0..<next(5)).map { _ in next(3) }
            let b = (0..<next(5)).map { _ in next(3) }
            let gap: GapScore = trial % 2 == 0 ? .linear(-Double(next(3))) : .affine(open: -3, extend: -Double(next(2)))
            let alignment = NeedlemanWunsch.align(a, b, gap: gap, score: substitution)
            let best = allAlignments(a, b).map { NeedlemanWunsch.score(of: $0, gap: gap, score: substitution) }.max()
            #expect(alignment.score == best, "\(a) / \(b) with \(gap)")
            #expect(NeedlemanWunsch.score(of: alignment.pairs, gap: gap, score: substitution) == alignment.score)
            expectConsumes(alignment, a, b)
        }
    }

    /// Per-symbol (linear) gap scores, as the learned letter-phoneme model uses them.
    @Test func perSymbolGapsAreOptimalByBruteForce() {
        var state: UInt64 = 99
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let table = (0..<9).map { _ in Double(next(9)) - 6 }
        let gapsA = (0..<3).map { _ in -Double(next(4)) }
        let gapsB = (0..<3).map { _ in -Double(next(4)) - 0.5 }
        func total(_ pairs: [(a: Int?, b: Int?)]) -> Double {
            pairs.map { pair in
                switch (pair.a, pair.b) {
                case (let x?, let y?): return table[x * 3 + y]
                case (let x?, nil): return gapsA[x]
                case (nil, let y?): return gapsB[y]
                case (nil, nil): return 0
                }
            }.reduce(0, +)
        }
        for _ in 0..<60 {
            let a = (0..<next(5)).map { _ in next(3) }
            let b = (0..<next(5)).map { _ in next(3) }
            let alignment = NeedlemanWunsch.align(
                a, b, score: { table[$0 * 3 + $1] }, gapA: { gapsA[$0] }, gapB: { gapsB[$0] })
            #expect(alignment.score == allAlignments(a, b).map(total).max(), "\(a) / \(b)")
            #expect(total(alignment.pairs) == alignment.score)
            expectConsumes(alignment, a, b)
        }
    }

    @Test func emptySequencesAreOneGap() {
        let score: (Character, Character) -> Double = { $0 == $1 ? 1 : -1 }
        let gap = GapScore.affine(open: -3, extend: -0.5)
        #expect(NeedlemanWunsch.align([Character](), [], gap: gap, score: score).score == 0)
        let left = NeedlemanWunsch.align(Array("abcd"), [], gap: gap, score: score)
        #expect(left.score == -4.5)
        #expect(left.pairs.map(\.b).allSatisfy { $0 == nil } && left.pairs.count == 4)
        let right = NeedlemanWunsch.align([], Array("ab"), gap: .linear(-2), score: score)
        #expect(right.score == -4 && right.pairs.count == 2)
    }

    /// Among equally good alignments: substitution first at the last cell and at every step back.
    @Test func tiesBreakTheSameWayEveryTime() {
        let score: (Character, Character) -> Double = { $0 == $1 ? 1 : -1 }
        let alignment = NeedlemanWunsch.align(Array("aa"), Array("a"), gap: .linear(-1), score: score)
        #expect(alignment.score == 0)
        #expect(
            alignment.pairs.map { "\($0.a.map(String.init) ?? "-")\($0.b.map(String.init) ?? "-")" } == ["a-", "aa"])
        // "ab" / "b": (a, -)(b, b) scores 0 and beats (a, b)(b, -) at -2, whatever the rule.
        let unique = NeedlemanWunsch.align(Array("ab"), Array("b"), gap: .linear(-1), score: score)
        #expect(unique.score == 0 && unique.pairs.map(\.b) == [nil, "b"])
    }
}
