import Foundation
import PhonoscopeIO
import Testing

/// `phonoscope som` on the shipped model's filters, on NAPs and on a matrix.
struct SOMCommandTests {
    static let model = NAPCommandTests.model

    @Test func filtersMapWithErrorsInJSONAndAreReproducible() throws {
        let directory = try TemporaryDirectory()
        func run(_ seed: String) throws -> [String: Any] {
            let result = try CommandRunner.run(
                [
                    "som", "--model", Self.model, "--layer", "1", "--filters", "--grid", "8x8", "--iterations", "500",
                    "--seed", seed, "-o", directory.path("filters-\(seed).png"), "--umatrix", directory.path("u.pdf"),
                    "--json",
                ])
            #expect(result.status == 0, "\(result.standardError)")
            return try #require(
                try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        }
        let first = try run("3")
        let again = try run("3")
        let other = try run("4")
        #expect((first["quantization_error"] as? Double ?? 0) > 0)
        #expect((first["topographic_error"] as? Double).map { (0...1).contains($0) } == true)
        #expect((first["cells"] as? [Int])?.count == 250)
        #expect(first["cells"] as? [Int] == again["cells"] as? [Int])
        #expect(first["cells"] as? [Int] != other["cells"] as? [Int])
        for name in ["filters-3.png", "filters-4.png", "u.pdf"] {
            #expect(FileManager.default.fileExists(atPath: directory.path(name)))
        }
    }

    @Test func napsGiveTopographicMapsAndMatricesAHexagonalUMatrix() throws {
        let directory = try TemporaryDirectory()
        let naps = try ClusterCompareCommandTests.naps("en", in: directory)
        let maps = try CommandRunner.run(
            ["som", "--naps", naps, "--layer", "9", "--groups", "s,t,n,ə,zz", "-o", directory.path("maps.png")])
        #expect(maps.status == 0, "\(maps.standardError)")
        #expect(maps.standardError.contains("skipped: zz"))
        #expect(FileManager.default.fileExists(atPath: directory.path("maps.png")))

        let values = (0..<60).map { Double($0 % 7) + Double($0 / 7) * 0.1 }
        try NPYArray<Double>(shape: [20, 3], elements: values).write(to: directory.url.appendingPathComponent("x.npy"))
        let hexagonal = try CommandRunner.run(
            [
                "som", "--input", directory.path("x.npy"), "--grid", "4x5", "--topology", "hexagonal",
                "--initialization", "pca",
                "-o", directory.path("u.svg"), "--json",
            ])
        #expect(hexagonal.status == 0, "\(hexagonal.standardError)")
        #expect(hexagonal.standardOutput.contains("\"topology\" : \"hexagonal\""))
    }

    @Test func badGridsAndInputsAreRefused() throws {
        let directory = try TemporaryDirectory()
        for grid in ["0x5", "1000x1000", "ten"] {
            let result = try CommandRunner.run(
                ["som", "--model", Self.model, "--layer", "1", "--filters", "--grid", grid])
            #expect(result.status != 0 && result.standardError.contains("--grid \(grid)"), "\(result.standardError)")
        }
        let noFilters = try CommandRunner.run(["som", "--model", Self.model, "--layer", "1"])
        #expect(noFilters.status != 0 && noFilters.standardError.contains("--filters"))
        let badLayer = try CommandRunner.run(["som", "--model", Self.model, "--layer", "12", "--filters"])
        #expect(badLayer.status != 0 && badLayer.standardError.contains("conv11"))
        try NPYArray<Double>(shape: [2, 2], elements: [1, .nan, 0, 0]).write(
            to: directory.url.appendingPathComponent("nan.npy"))
        let nan = try CommandRunner.run(["som", "--input", directory.path("nan.npy")])
        #expect(nan.status != 0)
    }
}
