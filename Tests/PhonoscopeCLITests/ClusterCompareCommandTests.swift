import Foundation
import PhonoscopeIO
import Testing

/// `phonoscope cluster` and `phonoscope compare` end to end on NAPs of the corpus fixtures.
struct ClusterCompareCommandTests {
    static let repository = NAPCommandTests.repository

    /// A NAPs file of the `language` fixture corpus with the shipped model of that language.
    static func naps(_ language: String, in directory: TemporaryDirectory, extra: [String] = []) throws -> String {
        let path = directory.path("\(language)-\(extra.joined().hashValue).naps")
        let result = try CommandRunner.run(
            [
                "nap", "--model", repository.appendingPathComponent("Corpora/models/\(language)-small").path,
                "--corpus", repository.appendingPathComponent("Tests/CorpusTests/Fixtures/\(language)").path,
                "--layers", "0,1,9,11", "--tau", "2", "--min-count", "2", "-o", path,
            ] + extra)
        #expect(result.status == 0, "\(result.standardError)")
        return path
    }

    @Test func clusterWritesDendrogramNewickLinkageMatrixAndScores() throws {
        let directory = try TemporaryDirectory()
        let naps = try Self.naps("en", in: directory)
        let result = try CommandRunner.run(
            [
                "cluster", "--naps", naps, "--layer", "9", "-o", directory.path("tree.svg"), "--newick",
                directory.path("tree.nwk"), "--linkage-matrix", directory.path("z.npy"), "--json",
            ])
        #expect(result.status == 0, "\(result.standardError)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let groups = try #require(json["groups"] as? [String])
        #expect(groups.count >= 10)
        for key in ["silhouette", "adjusted_rand_index", "purity", "cophenetic_correlation", "leaf_order"] {
            #expect(json[key] != nil, "\(key) missing")
        }
        let z = try NPYArray<Double>(contentsOf: directory.url.appendingPathComponent("z.npy"))
        #expect(z.shape == [groups.count - 1, 4])
        #expect(z.elements[4 * (groups.count - 2) + 3] == Double(groups.count))  // the root holds every leaf
        let newick = try String(contentsOf: directory.url.appendingPathComponent("tree.nwk"), encoding: .utf8)
        #expect(newick.hasSuffix(";\n"))
        for group in groups { #expect(newick.contains(group)) }
        #expect(FileManager.default.fileExists(atPath: directory.path("tree.svg")))

        let all = try CommandRunner.run(
            ["cluster", "--naps", naps, "--layer", "all", "--summary", directory.path("scores.png"), "--json"])
        #expect(all.status == 0, "\(all.standardError)")
        let table = try #require(
            try JSONSerialization.jsonObject(with: Data(all.standardOutput.utf8)) as? [String: Any])
        let profiles = try #require(table["profiles"] as? [[String: Any]])
        #expect((profiles.first?["layers"] as? [[String: Any]])?.count == 4)
        #expect(FileManager.default.fileExists(atPath: directory.path("scores.png")))
    }

    @Test func clusterTakesAnyMatrixAndRefusesBadInput() throws {
        let directory = try TemporaryDirectory()
        let rows: [Double] = [0, 0, 0.1, 0, 5, 5, 5.2, 5, 9, 0]
        try NPYArray<Double>(shape: [5, 2], elements: rows).write(to: directory.url.appendingPathComponent("x.npy"))
        try "a\nb\nc\nd\ne\n".write(
            to: directory.url.appendingPathComponent("labels.txt"), atomically: true, encoding: .utf8)
        let ward = try CommandRunner.run(
            [
                "cluster", "--input", directory.path("x.npy"), "--labels", directory.path("labels.txt"), "--metric",
                "euclidean", "--linkage", "ward", "--newick", directory.path("x.nwk"), "--json",
            ])
        #expect(ward.status == 0, "\(ward.standardError)")
        let newick = try String(contentsOf: directory.url.appendingPathComponent("x.nwk"), encoding: .utf8)
        #expect(newick.contains("(a:") || newick.contains(",a:"))

        let cosineWard = try CommandRunner.run(["cluster", "--input", directory.path("x.npy"), "--linkage", "ward"])
        #expect(cosineWard.status != 0 && cosineWard.standardError.contains("euclidean"))

        try NPYArray<Double>(shape: [1, 2], elements: [1, 2]).write(to: directory.url.appendingPathComponent("one.npy"))
        let one = try CommandRunner.run(["cluster", "--input", directory.path("one.npy")])
        #expect(one.status != 0)

        try NPYArray<Double>(shape: [3, 2], elements: [1, 2, .nan, 1, 0, 0]).write(
            to: directory.url.appendingPathComponent("nan.npy"))
        let nan = try CommandRunner.run(["cluster", "--input", directory.path("nan.npy")])
        #expect(nan.status != 0 && nan.standardError.contains("row 1"), "\(nan.standardError)")

        let labels = try CommandRunner.run(
            ["cluster", "--input", directory.path("nan.npy"), "--labels", directory.path("labels.txt")])
        #expect(labels.status != 0 && labels.standardError.contains("one per row"))
    }

    @Test func compareWritesTheComparisonAndStatesTheClaims() throws {
        let directory = try TemporaryDirectory()
        let en = try Self.naps("en", in: directory)
        let de = try Self.naps("de", in: directory)
        let result = try CommandRunner.run(
            ["compare", "--naps", en, "--naps", de, "-o", directory.path("en-vs-de"), "--tanglegram-layers", "1"])
        #expect(result.status == 0, "\(result.standardError)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path("en-vs-de")).sorted()
        #expect(files == ["comparison.json", "similarity.png", "summary.md", "tanglegram-conv1.png"])
        let data = try Data(contentsOf: directory.url.appendingPathComponent("en-vs-de/comparison.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let layers = try #require(json["layers"] as? [[String: Any]])
        #expect(layers.count == 4)
        #expect((json["shared"] as? [String])?.contains("n") == true)
        #expect(result.standardOutput.contains("Reproduced") || result.standardOutput.contains("Not reproduced"))

        // No shared phonemes: refused, naming what each holds.
        let someEn = try Self.naps("en", in: directory, extra: ["--groups", "ð,æ,ɹ"])
        let someDe = try Self.naps("de", in: directory, extra: ["--groups", "ç,a,ts"])
        let none = try CommandRunner.run(["compare", "--naps", someEn, "--naps", someDe, "-o", directory.path("x")])
        #expect(none.status != 0 && none.standardError.contains("share 0 groups"), "\(none.standardError)")
    }
}
