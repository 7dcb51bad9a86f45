import Foundation
import PhonoscopeIO
import XCTest

@testable import Projections

final class EmbeddingScoresTests: XCTestCase {
    func testNeighborhoodHitAndTrustworthinessEqualTheOracles() throws {
        let file = try Fixtures.decode(Fixtures.ScoresFile.self, "scores.json")
        let data = try PointSet(values: file.data, count: file.rows, dimension: file.dimension)
        let embedding = try PointSet(values: file.embedding, count: file.rows, dimension: 2)
        let labels = file.labels.map(String.init)
        XCTAssertEqual(
            try EmbeddingScores.neighborhoodHit(embedding: embedding, labels: labels), file.neighborhoodHit6,
            accuracy: 1e-12)
        XCTAssertEqual(
            try EmbeddingScores.trustworthiness(data: data, embedding: embedding, neighbors: 5), file.trustworthiness5,
            accuracy: 1e-12)
        XCTAssertEqual(
            try EmbeddingScores.trustworthiness(data: data, embedding: embedding, neighbors: 10),
            file.trustworthiness10, accuracy: 1e-12)
    }

    func testScoresOfTrivialLayouts() throws {
        let line = try PointSet(values: (0..<20).flatMap { [Double($0), 0] }, count: 20, dimension: 2)
        XCTAssertEqual(
            try EmbeddingScores.trustworthiness(data: line, embedding: line, neighbors: 5), 1, accuracy: 1e-12)
        let halves = (0..<20).map { $0 < 10 ? "a" : "b" }
        // Each point's 6 nearest on a line: the ends of each half see up to 3 of the other half.
        let hit = try EmbeddingScores.neighborhoodHit(embedding: line, labels: halves)
        XCTAssertGreaterThan(hit, 0.8)
        XCTAssertLessThan(hit, 1)
        XCTAssertThrowsError(try EmbeddingScores.neighborhoodHit(embedding: line, labels: ["a"])) { error in
            XCTAssertEqual("\(error)", "1 labels for 20 points; valid: one label per point")
        }
        XCTAssertThrowsError(try EmbeddingScores.trustworthiness(data: line, embedding: line, neighbors: 10))
    }

    func testRefusesNaN() {
        XCTAssertThrowsError(try PointSet(values: [1, 2, .nan, 4], count: 2, dimension: 2)) { error in
            XCTAssertEqual("\(error)", "the data hold nan at row 1, column 0; valid: finite numbers only")
        }
        XCTAssertThrowsError(try PointSet(values: [1, 2, 3], count: 2, dimension: 2))
    }

    func testProjectorFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("projector-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tensors = try PointSet(values: [1, 2, 3, 4, 5, 6], count: 2, dimension: 3)
        let projection = try PointSet(values: [0.5, -1, 2, 0.25], count: 2, dimension: 2)
        try ProjectorExport.write(
            tensors: tensors, projection: projection,
            metadata: [("label", ["ʃ", "a\tb"]), ("class", ["fricative", "vowel"])], to: directory)
        func text(_ name: String) throws -> String {
            try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        }
        XCTAssertEqual(try text("tensors.tsv"), "1.0\t2.0\t3.0\n4.0\t5.0\t6.0\n")
        XCTAssertEqual(try text("metadata.tsv"), "label\tclass\nʃ\tfricative\na b\tvowel\n")
        XCTAssertEqual(
            try text("projector_config.pbtxt"),
            "embeddings {\n  tensor_path: \"tensors.tsv\"\n  metadata_path: \"metadata.tsv\"\n}\n")
        XCTAssertEqual(try text("projection.tsv"), "0.5\t-1.0\n2.0\t0.25\n")
        let npy = try NPYArray<Float>(contentsOf: directory.appendingPathComponent("projection.npy"))
        XCTAssertEqual(npy.shape, [2, 2])
        XCTAssertEqual(npy.elements, [0.5, -1, 2, 0.25])
        // One column: no header, as the Projector expects.
        try ProjectorExport.write(
            tensors: tensors, projection: projection, metadata: [("label", ["x", "y"])], to: directory)
        XCTAssertEqual(try text("metadata.tsv"), "x\ny\n")
    }
}
