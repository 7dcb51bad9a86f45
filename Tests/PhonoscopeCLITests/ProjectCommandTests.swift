import Foundation
import PhonoscopeIO
import Testing

/// `phonoscope project` end to end: NAPs, phone segments of the corpus fixture, any matrix,
/// and the refusals.
struct ProjectCommandTests {
    static let repository = NAPCommandTests.repository
    static let model = NAPCommandTests.model
    static let corpus = NAPCommandTests.corpus

    static func report(_ result: CommandRunner.Result) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    /// A 40 x 5 matrix of two well-separated groups (no two rows alike), with its labels file.
    static func twoGroups(in directory: TemporaryDirectory) throws -> (matrix: String, labels: String) {
        let values = (0..<200).map { index -> Double in
            let (row, column) = (index / 5, index % 5)
            return Double(row % 2) * 10 + sin(Double(row) * 1.7 + Double(column) * 0.9)
        }
        try NPYArray<Double>(shape: [40, 5], elements: values).write(to: directory.url.appendingPathComponent("x.npy"))
        let labels = (0..<40).map { $0 % 2 == 0 ? "even\n" : "odd\n" }.joined()
        try Data(labels.utf8).write(to: directory.url.appendingPathComponent("labels.txt"))
        return (directory.path("x.npy"), directory.path("labels.txt"))
    }

    @Test func napsGiveATSNEWithProjectorFilesAPlotAndScores() throws {
        let directory = try TemporaryDirectory()
        let naps = try ClusterCompareCommandTests.naps("en", in: directory)
        func run(_ name: String) throws -> [String: Any] {
            try Self.report(
                try CommandRunner.run([
                    "project", "--naps", naps, "--layer", "9", "--method", "tsne", "-o", directory.path(name),
                    "--plot", directory.path("\(name).png"), "--json",
                ]))
        }
        let first = try run("a")
        let again = try run("b")
        #expect(first["method"] as? String == "tsne")
        #expect(first["scored_by"] as? String == "class")
        let hit = try #require(first["neighborhood_hit"] as? Double)
        #expect((0...1).contains(hit))
        #expect((first["trustworthiness"] as? Double).map { (0...1).contains($0) } == true)
        for name in ["tensors.tsv", "metadata.tsv", "projector_config.pbtxt", "projection.npy", "projection.tsv"] {
            #expect(FileManager.default.fileExists(atPath: directory.path("a/\(name)")), "\(name)")
        }
        #expect(FileManager.default.fileExists(atPath: directory.path("a.png")))
        let metadata = try String(contentsOfFile: directory.path("a/metadata.tsv"), encoding: .utf8)
        #expect(metadata.hasPrefix("label\tclass\n"))
        let projection = try NPYArray<Float>(contentsOf: directory.url.appendingPathComponent("a/projection.npy"))
        #expect(projection.shape == [first["points"] as? Int ?? -1, 2])
        let repeated = try NPYArray<Float>(contentsOf: directory.url.appendingPathComponent("b/projection.npy"))
        #expect(projection.elements == repeated.elements, "the same input must give the same projection")
        #expect(again["neighborhood_hit"] as? Double == hit)
    }

    @Test func phoneSegmentsOfACorpusAreLabelledByPhoneme() throws {
        let directory = try TemporaryDirectory()
        let result = try CommandRunner.run([
            "project", "--model", Self.model, "--corpus", Self.corpus, "--layer", "conv9", "--method", "pca",
            "--max-points", "100", "-o", directory.path("pca"), "--plot", directory.path("pca.svg"), "--json",
        ])
        let report = try Self.report(result)
        #expect(report["points"] as? Int == 100)
        #expect(report["scored_by"] as? String == "phoneme")
        #expect(report["neighborhood_hit_class"] is Double)
        #expect((report["explained_variance_ratio"] as? [Double])?.count == 2)
        let metadata = try String(contentsOfFile: directory.path("pca/metadata.tsv"), encoding: .utf8)
        #expect(metadata.hasPrefix("phoneme\tclass\tutterance\ttime\n"))
        #expect(result.standardError.contains("--max-points"))

        let badLayer = try CommandRunner.run([
            "project", "--model", Self.model, "--corpus", Self.corpus, "--layer", "conv99", "--method", "pca", "-o",
            directory.path("x"),
        ])
        #expect(badLayer.status != 0 && badLayer.standardError.contains("conv99"), "\(badLayer.standardError)")
        #expect(badLayer.standardError.contains("conv11"), "the error lists the valid layers")
    }

    @Test func matricesProjectByUMAPAndPCAWithLabels() throws {
        let directory = try TemporaryDirectory()
        let (matrix, labels) = try Self.twoGroups(in: directory)
        let umap = try Self.report(
            try CommandRunner.run([
                "project", "--activations", matrix, "--labels", labels, "--method", "umap", "--neighbors", "8",
                "--seed", "3", "-o", directory.path("umap"), "--plot", directory.path("umap.png"), "--json",
            ]))
        #expect(umap["neighbors"] as? Int == 8)
        #expect((umap["neighborhood_hit"] as? Double ?? 0) > 0.95, "two separated groups stay apart")
        let metadata = try String(contentsOfFile: directory.path("umap/metadata.tsv"), encoding: .utf8)
        #expect(metadata.hasPrefix("even\nodd\n"), "one column: no header")
        let pca = try CommandRunner.run([
            "project", "--activations", matrix, "--method", "pca", "-o", directory.path("pca"),
        ])
        #expect(pca.status == 0, "\(pca.standardError)")
        #expect(pca.standardOutput.contains("trustworthiness"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("pca/metadata.tsv")), "no labels, no metadata")
    }

    @Test func badInputIsRefusedWithTheBadValue() throws {
        let directory = try TemporaryDirectory()
        let (matrix, _) = try Self.twoGroups(in: directory)
        func failure(_ arguments: [String], _ expected: String) throws {
            let result = try CommandRunner.run(["project"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.standardError.contains(expected), "\(arguments): \(result.standardError)")
        }
        let out = directory.path("out")
        try failure(["--activations", directory.path("missing.npy"), "--method", "pca", "-o", out], "missing.npy")
        try failure(["--activations", matrix, "--method", "lda", "-o", out], "lda")
        try Data("a\nb\n".utf8).write(to: directory.url.appendingPathComponent("short.txt"))
        try failure(
            ["--activations", matrix, "--labels", directory.path("short.txt"), "--method", "pca", "-o", out],
            "has 2 lines; valid: one per row")
        try failure(["--activations", matrix, "--method", "tsne", "--perplexity", "40", "-o", out], "perplexity 40")
        try failure(
            ["--activations", matrix, "--method", "umap", "--neighbors", "40", "-o", out], "40 points are too few")
        try failure(["--method", "pca", "-o", out], "give one of")
        try failure(
            ["--activations", matrix, "--method", "pca", "-o", directory.path("no/such/dir")], "does not exist")
        try NPYArray<Double>(shape: [4, 2], elements: [1, 2, 3, .nan, 5, 6, 7, 8]).write(
            to: directory.url.appendingPathComponent("nan.npy"))
        try failure(["--activations", directory.path("nan.npy"), "--method", "pca", "-o", out], "row 1, column 1")
        let naps = try ClusterCompareCommandTests.naps("en", in: directory)
        try failure(["--naps", naps, "--layer", "7", "--method", "pca", "-o", out], "conv9")
    }
}
