import Foundation
import Testing

/// `phonoscope nw` end to end: the JSON a script reads, the scoring options, and bad options.
struct NWCommandTests {
    func json(_ arguments: [String]) throws -> (score: Double, pairs: [[String?]]) {
        let result = try CommandRunner.run(["nw"] + arguments + ["--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let score = try #require(object["score"] as? Double)
        let pairs = try #require(object["pairs"] as? [[Any]]).map { $0.map { $0 as? String } }
        return (score, pairs)
    }

    @Test func printsScoreAndPairs() throws {
        // Biopython's PairwiseAligner (global, match 1, mismatch -1, gap -1) scores this -2.
        let linear = try json(["k n i g h t", "n aɪ t"])
        #expect(linear.score == -2)
        #expect(linear.pairs.compactMap { $0[0] } == ["k", "n", "i", "g", "h", "t"])
        #expect(linear.pairs.compactMap { $0[1] } == ["n", "aɪ", "t"])
        // Affine: one gap of 2 (-3 - 0.5) plus two matches beats two gaps of 1.
        let affine = try json(["a b c d", "a d", "--gap-open", "-3", "--gap-extend", "-0.5"])
        #expect(affine.score == -1.5)
        #expect(affine.pairs == [["a", "a"], ["b", nil], ["c", nil], ["d", "d"]])
        let scored = try json(["a b", "a b", "--match", "2.5", "--mismatch", "-4", "--gap", "-2"])
        #expect(scored.score == 5)
    }

    @Test(arguments: [
        (["a", "b", "--gap", "-1", "--gap-open", "-2"], "--gap"),
        (["a", "b", "--gap-open", "-2"], "--gap-open given alone"),
        (["a", "b", "--match", "inf"], "--match inf"),
    ])
    func badOptionsAreRefused(_ arguments: [String], _ named: String) throws {
        let result = try CommandRunner.run(["nw"] + arguments)
        #expect(result.status != 0)
        #expect(result.standardError.contains(named), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty)
    }
}
