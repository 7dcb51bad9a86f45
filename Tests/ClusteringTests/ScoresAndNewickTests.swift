import Foundation
import Testing

@testable import Clustering

/// Silhouettes, adjusted Rand indices and purities against scikit-learn (fixtures), and the
/// Newick string of a tree with IPA and reserved-character labels against the generator's own
/// writer, which Biopython parsed when the fixture was made (`checkedWithBiopython`).
struct ScoresAndNewickTests {
    @Test func adjustedRandIndexAndPurityEqualScikitLearn() throws {
        let file = try Fixtures.load("scores.json", as: Fixtures.ScoresFile.self)
        #expect(!file.pairs.isEmpty)
        for pair in file.pairs {
            #expect(close(try ClusterScores.adjustedRandIndex(pair.a, pair.b), pair.ari, relative: 1e-12))
            #expect(close(try ClusterScores.adjustedRandIndex(pair.b, pair.a), pair.ari, relative: 1e-12))
            #expect(close(try ClusterScores.purity(predicted: pair.a, truth: pair.b), pair.purity, relative: 1e-12))
        }
    }

    @Test func silhouettesEqualScikitLearnWithSingletonsAndZeroDistances() throws {
        let file = try Fixtures.load("scores.json", as: Fixtures.ScoresFile.self)
        for case let silhouette in file.silhouettes {
            let distances = try CondensedDistances(count: silhouette.rows, values: silhouette.distances)
            let ours = try ClusterScores.silhouette(labels: silhouette.labels, distances: distances)
            #expect(close(ours, silhouette.silhouette, relative: 1e-12), "\(ours) vs \(silhouette.silhouette)")
        }
    }

    @Test func newickEqualsTheReferenceWriter() throws {
        let tree = try Fixtures.load("scores.json", as: Fixtures.ScoresFile.self).tree
        let z = try HierarchicalClustering.linkage(
            tree.data, rows: tree.rows, dimension: tree.dimension, method: .average, metric: .euclidean)
        let newick = try HierarchicalClustering.newick(z, labels: tree.labels)
        // Our heights differ from SciPy's in the last bits (Gram-matrix distances), so compare
        // the text around the branch lengths exactly and the lengths within 1e-12.
        let (ourText, ourLengths) = Self.splitLengths(newick)
        let (theirText, theirLengths) = Self.splitLengths(tree.newick)
        #expect(ourText == theirText)
        #expect(ourLengths.count == theirLengths.count)
        for (a, b) in zip(ourLengths, theirLengths) { #expect(close(a, b, relative: 1e-12)) }
        #expect(newick.hasSuffix(";"))
        #expect(newick.contains("t͡s:") && newick.contains("ʃ:") && newick.contains("aɪ:"))
        #expect(newick.contains("'it''s'") && newick.contains("'a b'") && newick.contains("'x_y'"))
    }

    /// The Newick text with every branch length replaced by "#", and the lengths.
    static func splitLengths(_ newick: String) -> (String, [Double]) {
        var text = ""
        var lengths: [Double] = []
        var number: String?
        for character in newick {
            if var digits = number {
                if character.isNumber || "+-.e".contains(character) {
                    digits.append(character)
                    number = digits
                    continue
                }
                lengths.append(Double(digits) ?? .nan)
                number = nil
            }
            text.append(character)
            if character == ":" {
                text.append("#")
                number = ""
            }
        }
        return (text, lengths)
    }

    @Test func newickOfTwoLeaves() throws {
        let z = try LinkageMatrix(merges: [.init(first: 0, second: 1, height: 0.5, size: 2)], leafCount: 2)
        #expect(try HierarchicalClustering.newick(z, labels: ["a", "(b)"]) == "(a:0.5,'(b)':0.5);")
        #expect(HierarchicalClustering.newickLabel("") == "''")
    }

    @Test func scoresOfPerfectAndOppositeLabellings() throws {
        #expect(try ClusterScores.adjustedRandIndex([0, 0, 1, 1], [5, 5, 9, 9]) == 1)
        #expect(try ClusterScores.adjustedRandIndex([], []) == 1)
        #expect(try ClusterScores.purity(predicted: [1, 1, 2, 2], truth: [0, 1, 0, 1]) == 0.5)
        // Two tight pairs far apart: silhouette near 1.
        let distances = try CondensedDistances(count: 4, values: [0.1, 10, 10, 10, 10, 0.1])
        let score = try ClusterScores.silhouette(labels: [0, 0, 1, 1], distances: distances)
        #expect(abs(score - 0.99) < 1e-12)
    }
}
