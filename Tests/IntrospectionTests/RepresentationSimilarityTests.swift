import Foundation
import Testing

@testable import Introspection

/// Rank correlation and CKA against SciPy/NumPy (Scripts/make_similarity_fixtures.py).
struct RepresentationSimilarityTests {
    struct Case: Decodable {
        var n: Int
        var p: Int
        var q: Int
        var x: [Double]
        var y: [Double]
        var cka: Double
        var a: [Double]
        var b: [Double]
        var spearman: Double
        var pearson: Double
        var ranks: [Double]
    }
    struct Fixture: Decodable { var cases: [Case] }

    static let fixture: Fixture? = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/similarity.json")
        return (try? Data(contentsOf: url)).flatMap { try? JSONDecoder().decode(Fixture.self, from: $0) }
    }()

    @Test func rankCorrelationsEqualSciPysWithTies() throws {
        let cases = try #require(Self.fixture?.cases)
        #expect(cases.count == 3)
        for c in cases {
            #expect(RepresentationSimilarity.ranks(c.a) == c.ranks)
            #expect(abs(RepresentationSimilarity.spearman(c.a, c.b) - c.spearman) < 1e-12)
            #expect(abs(RepresentationSimilarity.pearson(c.a, c.b) - c.pearson) < 1e-12)
        }
    }

    @Test func linearCKAEqualsTheFeatureSpaceFormula() throws {
        for c in try #require(Self.fixture?.cases) {
            let cka = RepresentationSimilarity.linearCKA(x: c.x, y: c.y, count: c.n, xDimension: c.p, yDimension: c.q)
            #expect(abs(cka - c.cka) < 1e-10)
            // Both ways of computing it agree (the public function picks the cheaper one).
            let cx = RepresentationSimilarity.centred(c.x, rows: c.n, columns: c.p)
            let cy = RepresentationSimilarity.centred(c.y, rows: c.n, columns: c.q)
            let gram = RepresentationSimilarity.stimulusSpaceCKA(cx, cy, count: c.n, xDimension: c.p, yDimension: c.q)
            let features = RepresentationSimilarity.featureSpaceCKA(
                cx, cy, count: c.n, xDimension: c.p, yDimension: c.q)
            #expect(abs(gram - c.cka) < 1e-10 && abs(features - c.cka) < 1e-10)
            // Invariant to rotation and isotropic scaling: a matrix against itself scaled by 3
            // with its two first columns swapped.
            var rotated = c.x
            for r in 0..<c.n where c.p >= 2 {
                rotated[r * c.p] = 3 * c.x[r * c.p + 1]
                rotated[r * c.p + 1] = 3 * c.x[r * c.p]
                for k in 2..<c.p { rotated[r * c.p + k] = 3 * c.x[r * c.p + k] }
            }
            let same = RepresentationSimilarity.linearCKA(
                x: c.x, y: rotated, count: c.n, xDimension: c.p, yDimension: c.p)
            #expect(abs(same - 1) < 1e-12)
        }
    }

    @Test func constantInputsGiveNaNAndZeroVectorsZeroSimilarity() {
        #expect(RepresentationSimilarity.pearson([1, 1, 1], [1, 2, 3]).isNaN)
        #expect(RepresentationSimilarity.cosineSimilarity([0, 0], [1, 2]) == 0)
        #expect(RepresentationSimilarity.cosineDistances([[1, 0], [0, 1], [1, 0]]) == [1, 0, 1])
    }
}
