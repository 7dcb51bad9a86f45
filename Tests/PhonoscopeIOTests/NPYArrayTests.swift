import Foundation
import Testing

@testable import PhonoscopeIO

/// .npy files: our bytes against what NumPy writes, reading NumPy's dtypes, atomic writes.
struct NPYArrayTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test func writesExactlyWhatNumPyWrites() throws {
        // numpy.save("f32_2x3.npy", numpy.arange(6, dtype="<f4").reshape(2, 3)) - see Fixtures/README.md
        let numpy = try Data(contentsOf: Self.fixtures.appendingPathComponent("f32_2x3.npy"))
        let ours = NPYArray<Float>(shape: [2, 3], elements: [0, 1, 2, 3, 4, 5]).encoded()
        #expect(ours == numpy)
    }

    @Test(arguments: ["f64_3.npy", "i64_3.npy", "i32_3.npy", "f32_fortran_2x3.npy"])
    func readsNumPyDtypes(_ name: String) throws {
        let array = try NPYArray<Double>(contentsOf: Self.fixtures.appendingPathComponent(name))
        if name.contains("fortran") {
            #expect(array.shape == [2, 3])
            #expect(array.elements == [0, 1, 2, 3, 4, 5])
        } else {
            #expect(array.shape == [3])
            #expect(array.elements == [1.5, -2, 3].map { name.hasPrefix("f") ? $0 : $0.rounded(.towardZero) })
        }
    }

    @Test func roundTripsAndIsAtomic() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("x.npy")
        let original = NPYArray<Double>(shape: [2, 2, 2], elements: [1, 2, 3, 4, 5, 6, 7, .pi])
        try original.write(to: url)
        let back = try NPYArray<Double>(contentsOf: url)
        #expect(back.shape == original.shape && back.elements == original.elements)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["x.npy"])

        let missing = directory.appendingPathComponent("no/such/dir/x.npy")
        #expect(
            throws: FileError.missingOutputDirectory(
                path: missing.path, directory: missing.deletingLastPathComponent().path)
        ) {
            try original.write(to: missing)
        }
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try AtomicFile.withTemporaryURL(for: directory.appendingPathComponent("y.bin")) { temporary in
                try Data([1, 2, 3]).write(to: temporary)
                throw Failure()
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["x.npy"])
    }

    @Test func malformedFilesNameTheProblem() throws {
        #expect(
            throws: FileError.malformed(path: "<data>", reason: "not a valid .npy file: missing the \\x93NUMPY magic")
        ) {
            _ = try NPYArray<Float>(npyData: Data("hello world".utf8))
        }
        var truncated = NPYArray<Float>(shape: [10], elements: Array(repeating: 1, count: 10)).encoded()
        truncated.removeLast(8)
        #expect(throws: FileError.self) { _ = try NPYArray<Float>(npyData: truncated) }
    }
}

/// The block-by-block `.npy` writer: what numpy.load would read, in-place transforms, and an
/// error for a shape that was not filled.
struct NPYStreamWriterTests {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(getpid()).npy")

    @Test func blocksAndAnInPlaceTransformGiveTheWholeArray() throws {
        let values = (0..<3000).map { Float($0) * 0.5 }
        let writer = try NPYStreamWriter<Float>(url: url, shape: [1000, 3])
        for start in stride(from: 0, to: values.count, by: 700) {
            try values[start..<min(values.count, start + 700)].withUnsafeBufferPointer { try writer.append($0) }
        }
        try writer.transformWritten(blockElements: 256) { block in
            for i in block.indices { block[i] = block[i] * 2 + 1 }
        }
        try writer.finish()
        let read = try NPYArray<Float>(contentsOf: url)
        #expect(read.shape == [1000, 3])
        #expect(read.elements == values.map { $0 * 2 + 1 })
        // The bytes are those of the whole array written at once.
        #expect(try Data(contentsOf: url) == NPYArray(shape: [1000, 3], elements: values.map { $0 * 2 + 1 }).encoded())
    }

    @Test func anUnfilledShapeIsAnError() throws {
        let writer = try NPYStreamWriter<Float>(url: url, shape: [4, 2], reportedPath: "/out/x.npy")
        try [Float](repeating: 1, count: 6).withUnsafeBufferPointer { try writer.append($0) }
        #expect(throws: FileError.self) { try writer.finish() }
        #expect(throws: FileError.self) {
            try [Float](repeating: 1, count: 3).withUnsafeBufferPointer { try writer.append($0) }
        }
    }
}
