import Foundation
import PhonoscopeIO
import SeededRandom
import Testing

@testable import NeuralCore

/// SafeTensors against the Python `safetensors` library (fixtures by
/// Scripts/make_safetensors_fixtures.py), round trips, and every corrupt-file error.
struct SafeTensorsTests {
    struct Manifest: Decodable {
        struct File: Decodable {
            let metadata: [String: String]
            let tensors: [String: String]
        }
        let files: [String: File]
        let source: [String: String]
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/safetensors")

    static func manifest() throws -> Manifest {
        try JSONDecoder().decode(
            Manifest.self, from: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
    }

    static func npy(_ file: String) throws -> Tensor {
        let array = try NPYArray<Float>(contentsOf: directory.appendingPathComponent(file))
        return Tensor(shape: array.shape, values: array.elements)
    }

    /// The tensors a manifest entry lists, from their .npy files.
    static func expected(_ files: [String: String]) throws -> [String: Tensor] {
        try files.mapValues { try npy($0) }
    }

    /// Equal shapes and bit-identical values (so -0 differs from 0 and infinities must match).
    static func identical(_ a: Tensor, _ b: Tensor) -> Bool {
        a.shape == b.shape && a.values.map(\.bitPattern) == b.values.map(\.bitPattern)
    }

    // MARK: Files written by the Python library

    @Test(arguments: ["tensors_f32.safetensors", "tensors_f16.safetensors", "mixed.safetensors"])
    func readsPythonFileExactly(_ file: String) throws {
        let entry = try #require(try Self.manifest().files[file])
        let read = try SafeTensors(contentsOf: Self.directory.appendingPathComponent(file))
        #expect(read.metadata == entry.metadata)
        let expected = try Self.expected(entry.tensors)
        #expect(Set(read.tensors.keys) == Set(expected.keys))
        for (name, tensor) in expected {
            let ours = try #require(read.tensors[name])
            #expect(Self.identical(ours, tensor), "\(file): \(name)")
        }
    }

    @Test func readsScalarEmptyAndThreeDimensionalShapes() throws {
        let read = try SafeTensors(contentsOf: Self.directory.appendingPathComponent("tensors_f32.safetensors"))
        #expect(read.tensors["scale"]?.shape == [])
        #expect(read.tensors["scale"]?.values == [0.125])
        #expect(read.tensors["empty"]?.shape == [0, 3])
        #expect(read.tensors["encoder.conv1.weight"]?.shape == [4, 3, 5])
    }

    @Test(arguments: [("tensors_f32.safetensors", SafeTensors.DType.f32), ("tensors_f16.safetensors", .f16)])
    func encodingIsByteIdenticalToPython(_ file: String, _ dtype: SafeTensors.DType) throws {
        let manifest = try Self.manifest()
        let entry = try #require(manifest.files[file])
        let ours = SafeTensors(tensors: try Self.expected(manifest.source), metadata: entry.metadata)
        let theirs = try Data(contentsOf: Self.directory.appendingPathComponent(file))
        let encoded = try ours.encoded(dtype: dtype)
        #expect(encoded == theirs)
        if encoded != theirs {
            Issue.record("headers, ours: \(Self.headerText(encoded))\ntheirs: \(Self.headerText(theirs))")
        }
    }

    // MARK: Round trips

    static func randomTensors(seed: UInt64) -> [String: Tensor] {
        var generator = SeededGenerator(seed: seed)
        func random(_ shape: [Int], scale: Float) -> Tensor {
            Tensor(
                shape: shape, values: (0..<shape.reduce(1, *)).map { _ in (2 * generator.unitFloat() - 1) * scale })
        }
        return [
            "conv.weight": random([6, 4, 5], scale: 0.5), "conv.bias": random([6], scale: 0.01),
            "big": random([3, 7], scale: 3e4), "tiny": random([9], scale: 1e-6), "scalar": random([], scale: 2),
            "empty": Tensor(zeros: [2, 0]), "caf\u{e9}/\u{97f3}": random([2], scale: 1),
        ]
    }

    static let metadata = [
        "format": "pt", "note": "quote \" backslash \\ newline \n nul \u{0} tab \t caf\u{e9}", "epoch": "12",
    ]

    @Test func roundTripF32IsExact() throws {
        let original = SafeTensors(tensors: Self.randomTensors(seed: 7), metadata: Self.metadata)
        let read = try SafeTensors(data: try original.encoded())
        #expect(read.metadata == original.metadata)
        #expect(read.tensors == original.tensors)
        #expect(try read.encoded() == original.encoded())
    }

    @Test func roundTripF16IsWithinHalfAnUlp() throws {
        let original = SafeTensors(tensors: Self.randomTensors(seed: 8))
        let read = try SafeTensors(data: try original.encoded(dtype: .f16))
        for (name, tensor) in original.tensors {
            let decoded = try #require(read.tensors[name])
            #expect(decoded.shape == tensor.shape)
            for (x, y) in zip(tensor.values, decoded.values) {
                let half = Float16(y)
                #expect(Float(half) == y)  // the stored value is a half
                #expect(abs(x - y) <= Float(half.ulp) / 2, "\(name): \(x) -> \(y)")
            }
        }
    }

    @Test func f16SpecialValues() throws {
        let values: [Float] = [65504, 65519, 65520, 1e6, -1e6, .infinity, -.infinity, .nan, -0.0, 0x1p-25, 0x1p-24]
        let expected: [Float] = [
            65504, 65504, .infinity, .infinity, -.infinity, .infinity, -.infinity, .nan, -0.0, 0, 0x1p-24,
        ]
        let read = try SafeTensors(
            data: try SafeTensors(tensors: ["x": Tensor(shape: [values.count], values: values)]).encoded(dtype: .f16))
        let decoded = try #require(read.tensors["x"]).values
        for (y, e) in zip(decoded, expected) {
            #expect(e.isNaN ? y.isNaN : y.bitPattern == e.bitPattern, "\(y) != \(e)")
        }
    }

    @Test func writesAtomicallyAndReadsBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        let original = SafeTensors(tensors: Self.randomTensors(seed: 9), metadata: Self.metadata)
        try original.write(to: url)
        let read = try SafeTensors(contentsOf: url)
        #expect(read.tensors == original.tensors && read.metadata == original.metadata)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
        #expect(throws: FileError.self) {
            try original.write(to: directory.appendingPathComponent("missing/model.safetensors"))
        }
        #expect(throws: FileError.missing(path: directory.appendingPathComponent("none.safetensors").path)) {
            try SafeTensors(contentsOf: directory.appendingPathComponent("none.safetensors"))
        }
    }

    @Test func emptyFileAndHeaderPadding() throws {
        let empty = try SafeTensors(tensors: [:]).encoded()
        #expect(Array(empty) == [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))  // as Python's save({})
        for seed in 0..<5 as Range<UInt64> {
            let data = try SafeTensors(tensors: Self.randomTensors(seed: seed), metadata: ["k": "v"]).encoded()
            #expect(data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) } % 8 == 0)
        }
    }

    @Test func acceptsEntriesInAnyOrderAndSpacedJSON() throws {
        let header = """
            { "b" : { "data_offsets" : [4, 8], "shape" : [1], "dtype" : "F32" },
              "a" : { "dtype" : "F32", "shape" : [ ], "data_offsets" : [0, 4] } }
            """
        let read = try SafeTensors(data: Self.file(header: header, data: Self.floats([1.5, -2])))
        #expect(read.tensors["a"] == Tensor(shape: [], values: [1.5]))
        #expect(read.tensors["b"] == Tensor(shape: [1], values: [-2]))
        #expect(read.metadata.isEmpty)
    }

    // MARK: Float16 conversion

    @Test func softwareFloat16MatchesSwiftFloat16() {
        for bits in 0...UInt16.max {
            let native = Float(Float16(bitPattern: bits))
            let software = Float16Conversion.softwareFloat(halfBits: bits)
            if native.isNaN {
                #expect(software.isNaN)
            } else if native.bitPattern != software.bitPattern {
                Issue.record("widening \(bits): \(software) != \(native)")
            }
            guard !native.isNaN, !native.isInfinite else { continue }
            // Every half, its float neighbours, and the midpoints to the next half (ties) with theirs.
            let next = Float(Float16(bitPattern: bits).nextUp)
            let midpoint = native + (next - native) / 2
            for x in [native, native.nextUp, native.nextDown, midpoint, midpoint.nextUp, midpoint.nextDown] {
                let expected = Float16(x).bitPattern
                let got = Float16Conversion.softwareHalfBits(x)
                if got != expected { Issue.record("narrowing \(x): \(got) != \(expected)") }
            }
        }
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<100_000 {
            let x = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            if x.isNaN {
                #expect(Float16(bitPattern: Float16Conversion.softwareHalfBits(x)).isNaN)
            } else {
                #expect(Float16Conversion.softwareHalfBits(x) == Float16(x).bitPattern, "\(x)")
            }
        }
    }

    // MARK: Corrupt files

    /// A file from a header text (padded like the library pads) and data bytes.
    static func file(header: String, data: [UInt8]) -> Data {
        var text = Array(header.utf8)
        text += [UInt8](repeating: 0x20, count: (8 - text.count % 8) % 8)
        return Data(lengthPrefix(UInt64(text.count)) + text + data)
    }

    static func lengthPrefix(_ length: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
    }

    static func floats(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
    }

    static func entry(_ name: String, dtype: String = "F32", shape: [Int], offsets: [Int]) -> String {
        "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
    }

    /// The JSON header of an encoded file, for failure messages.
    static func headerText(_ data: Data) -> String {
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        return String(decoding: data.dropFirst(8).prefix(length), as: UTF8.self)
    }

    static let path = "corrupt.safetensors"

    static func error(_ data: Data) -> SafeTensorsError? {
        do {
            _ = try SafeTensors(data: data, path: path)
            return nil
        } catch {
            return error as? SafeTensorsError
        }
    }

    @Test func errorsNameTheFileTheValueAndWhatIsValid() throws {
        let p = Self.path
        let twoFloats = Self.floats([1, 2])
        let cases: [(Data, SafeTensorsError)] = [
            (Data([1, 2, 3]), .tooShort(path: p, byteCount: 3)),
            (
                Data(Self.lengthPrefix(1000) + Array("{}".utf8)),
                .invalidHeaderLength(path: p, headerLength: 1000, fileSize: 10)
            ),
            (
                Data(Self.lengthPrefix(200_000_000) + [UInt8](repeating: 0x20, count: 16)),
                .invalidHeaderLength(path: p, headerLength: 200_000_000, fileSize: 24)
            ),
            (
                Data(Self.lengthPrefix(UInt64.max) + Array("{}".utf8)),
                .invalidHeaderLength(path: p, headerLength: UInt64.max, fileSize: 10)
            ),
            (
                Self.file(header: "not json", data: []),
                .invalidHeader(path: p, reason: "the header is not valid UTF-8 JSON")
            ),
            (
                Self.file(header: "[1, 2]", data: []),
                .invalidHeader(path: p, reason: "the header is JSON but not an object")
            ),
            (
                Self.file(header: "{\"__metadata__\":{\"epoch\":3}}", data: []),
                .invalidHeader(path: p, reason: "__metadata__ value of \"epoch\" is not a string (valid: strings only)")
            ),
            (
                Self.file(
                    header: "{" + Self.entry("x", dtype: "I64", shape: [1], offsets: [0, 8]) + "}", data: twoFloats),
                .unknownDType(path: p, tensor: "x", dtype: "I64", valid: "F32, F16, BF16, F64")
            ),
            (
                Self.file(header: "{\"x\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", data: twoFloats),
                .invalidEntry(path: p, tensor: "x", reason: "shape is missing or not a list of integers of 0 or more")
            ),
            (
                Self.file(header: "{" + Self.entry("x", shape: [2], offsets: [0, -8]) + "}", data: twoFloats),
                .invalidEntry(path: p, tensor: "x", reason: "data_offsets is missing or not two integers of 0 or more")
            ),
            (
                Self.file(header: "{" + Self.entry("x", shape: [-1], offsets: [0, 8]) + "}", data: twoFloats),
                .invalidEntry(path: p, tensor: "x", reason: "shape is missing or not a list of integers of 0 or more")
            ),
            (
                Self.file(header: "{" + Self.entry("x", shape: [1], offsets: [8, 4]) + "}", data: twoFloats),
                .reversedOffsets(path: p, tensor: "x", begin: 8, end: 4)
            ),
            (
                Self.file(header: "{" + Self.entry("x", shape: [4], offsets: [0, 16]) + "}", data: twoFloats),
                .offsetsOutOfRange(path: p, tensor: "x", begin: 0, end: 16, dataLength: 8)
            ),
            (
                Self.file(header: "{" + Self.entry("x", shape: [3], offsets: [0, 8]) + "}", data: twoFloats),
                .sizeMismatch(path: p, tensor: "x", dtype: "F32", shape: [3], byteCount: 8, expected: 12)
            ),
            (
                Self.file(
                    header: "{" + Self.entry("a", shape: [2], offsets: [0, 8]) + ","
                        + Self.entry("b", shape: [1], offsets: [4, 8]) + "}", data: twoFloats),
                .overlappingTensors(path: p, first: "a", second: "b")
            ),
            (
                Self.file(header: "{" + Self.entry("x", shape: [1], offsets: [4, 8]) + "}", data: twoFloats),
                .uncoveredData(path: p, begin: 0, end: 4, dataLength: 8)
            ),
            (
                Self.file(header: "{" + Self.entry("x", shape: [1], offsets: [0, 4]) + "}", data: twoFloats),
                .uncoveredData(path: p, begin: 4, end: 8, dataLength: 8)
            ),
        ]
        for (data, expected) in cases {
            let error = Self.error(data)
            #expect(error == expected)
            #expect(error?.description.contains(p) == true, "\(String(describing: error))")
        }
    }

    @Test func truncatedAndPaddedPythonFilesAreRejected() throws {
        let url = Self.directory.appendingPathComponent("tensors_f32.safetensors")
        let bytes = try Data(contentsOf: url)
        #expect(
            Self.error(bytes.dropLast())
                == .offsetsOutOfRange(path: Self.path, tensor: "scale", begin: 388, end: 392, dataLength: 391))
        #expect(
            Self.error(bytes + [0, 0, 0, 0]) == .uncoveredData(path: Self.path, begin: 392, end: 396, dataLength: 396))
        #expect(Self.error(Data(bytes.prefix(7))) == .tooShort(path: Self.path, byteCount: 7))
    }

    @Test func refusesToWriteTheReservedName() {
        let tensors = SafeTensors(tensors: ["__metadata__": Tensor(zeros: [1])])
        #expect(throws: SafeTensorsError.reservedName(name: "__metadata__")) { try tensors.encoded() }
    }
}
