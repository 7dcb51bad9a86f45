import Foundation
import PhonoscopeIO

/// Named tensors and string metadata in the safetensors format (Hugging Face), read and written.
///
/// Concretely, a file is: an unsigned 64-bit little-endian header length N; N bytes of UTF-8 JSON,
/// `{"__metadata__": {"key": "value", ...}, "name": {"dtype": "F32", "shape": [2, 3],
/// "data_offsets": [begin, end]}, ...}`, with offsets counted from the first byte after the header;
/// then the data, each tensor little-endian in row-major (C) order.
///
/// In memory every tensor is float32, whatever the file held. Reading accepts F32, F16, BF16
/// (both widened exactly) and F64 (rounded to the nearest float in `tensors`, and kept exactly in
/// `float64Tensors`). Writing stores every tensor of `tensors` in one dtype: F32, or F16 (rounded
/// to nearest even; magnitudes of 65520 and above become +-infinity and those of 2^-25 or less
/// become +-0, so F16 suits weights, not arbitrary values); the tensors of `float64Tensors` are
/// written as F64 beside them, and a name in both is written once, from `float64Tensors` (so a
/// file read and written again keeps its F64 tensors exact).
///
/// Writing is deterministic and, with at most one metadata key, byte-identical to the Python
/// `safetensors` library (`save_file`): compact JSON with the tensors in UTF-8 byte order of their
/// names (the library orders by dtype, then name; here all share one dtype), offsets packed from
/// 0 without gaps, and the header padded with spaces to a multiple of 8 bytes. Metadata keys are
/// sorted too; the library keeps them in a Rust `HashMap`, so with two or more keys its own order
/// changes from run to run. Empty metadata is left out of the header, as `metadata=None` does.
///
/// Reading is as strict as the reference implementation: the header length must fit the file
/// and be at most 100,000,000 bytes, and the tensors must cover the data section exactly - no
/// overlaps, no gaps, no trailing bytes.
public struct SafeTensors: Sendable, Equatable {
    /// Element types for writing; reading also accepts BF16 and F64.
    public enum DType: String, Sendable {
        case f32 = "F32"
        case f16 = "F16"
    }

    /// The tensors by name; values are always float32 in memory.
    public var tensors: [String: Tensor]
    /// Free-form string pairs stored under `__metadata__` (for example "format": "pt").
    public var metadata: [String: String]
    /// Tensors kept in double precision (accumulators that must survive a round trip bit for
    /// bit); written as F64. Reading fills it with every F64 tensor of the file.
    public var float64Tensors: [String: Float64Tensor]

    /// The largest header the reader accepts, as in the reference implementation.
    static let maximumHeaderLength = 100_000_000
    /// The header key that holds the metadata, so no tensor may carry that name.
    static let metadataKey = "__metadata__"

    public init(
        tensors: [String: Tensor], metadata: [String: String] = [:], float64Tensors: [String: Float64Tensor] = [:]
    ) {
        self.tensors = tensors
        self.metadata = metadata
        self.float64Tensors = float64Tensors
    }

    /// Reads a safetensors file; errors name the file.
    public init(contentsOf url: URL) throws {
        try self.init(data: FileError.contents(of: url), path: url.path)
    }

    /// Parses the bytes of a safetensors file; `path` only labels errors.
    public init(data: Data, path: String = "<safetensors>") throws {
        let parsed = try data.withUnsafeBytes { try Self.parse(UnsafeRawBufferPointer($0), path: path) }
        self.init(tensors: parsed.tensors, metadata: parsed.metadata, float64Tensors: parsed.float64Tensors)
    }

    /// The bytes of a safetensors file holding every tensor as `dtype`.
    ///
    /// Throws `SafeTensorsError.reservedName` if a tensor is named `__metadata__`.
    public func encoded(dtype: DType = .f32) throws -> Data {
        if tensors[Self.metadataKey] != nil || float64Tensors[Self.metadataKey] != nil {
            throw SafeTensorsError.reservedName(name: Self.metadataKey)
        }
        let names = Set(tensors.keys).union(float64Tensors.keys).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let itemSize = dtype == .f32 ? 4 : 2
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { JSONText.string($0.key) + ":" + JSONText.string($0.value) }
            fields.append(JSONText.string(Self.metadataKey) + ":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for name in names {
            let entry: (shape: [Int], count: Int, size: Int, dtype: String)
            if let wide = float64Tensors[name] {
                entry = (wide.shape, wide.values.count, 8, "F64")
            } else if let tensor = tensors[name] {
                entry = (tensor.shape, tensor.count, itemSize, dtype.rawValue)
            } else {
                continue
            }
            let end = offset + entry.count * entry.size
            let shape = entry.shape.map(String.init).joined(separator: ",")
            fields.append(
                JSONText.string(name) + ":{\"dtype\":\"\(entry.dtype)\",\"shape\":[\(shape)],"
                    + "\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)

        var data = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for name in names {
            if let wide = float64Tensors[name] {
                Self.appendLittleEndian(wide.values.map(\.bitPattern), to: &data)
                continue
            }
            guard let tensor = tensors[name] else { continue }
            switch dtype {
            case .f32: Self.appendLittleEndian(tensor.values.map(\.bitPattern), to: &data)
            case .f16: Self.appendLittleEndian(tensor.values.map(Float16Conversion.halfBits), to: &data)
            }
        }
        return data
    }

    /// Writes the file atomically (a complete file or none, via `AtomicFile`).
    public func write(to url: URL, dtype: DType = .f32) throws {
        try AtomicFile.write(try encoded(dtype: dtype), to: url)
    }

    private static func appendLittleEndian<Word: FixedWidthInteger>(_ words: [Word], to data: inout Data) {
        #if _endian(little)
            words.withUnsafeBytes { data.append(contentsOf: $0) }
        #else
            words.map(\.littleEndian).withUnsafeBytes { data.append(contentsOf: $0) }
        #endif
    }
}

/// A double-precision tensor: a shape and its values in row-major (C) order.
public struct Float64Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Double]

    public init(shape: [Int], values: [Double]) {
        precondition(
            shape.reduce(1, *) == values.count, "shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)"
        )
        self.shape = shape
        self.values = values
    }
}

// MARK: - Reading

extension SafeTensors {
    /// The element types the reader understands, with their sizes in bytes.
    private enum StoredType: String, CaseIterable {
        case f32 = "F32"
        case f16 = "F16"
        case bf16 = "BF16"
        case f64 = "F64"

        var size: Int {
            switch self {
            case .f32: return 4
            case .f16, .bf16: return 2
            case .f64: return 8
            }
        }
    }

    /// One header entry, checked against the data section.
    private struct Entry {
        let name: String
        let type: StoredType
        let shape: [Int]
        let begin: Int
        let end: Int
    }

    private static func parse(
        _ bytes: UnsafeRawBufferPointer, path: String
    ) throws -> (tensors: [String: Tensor], metadata: [String: String], float64Tensors: [String: Float64Tensor]) {
        guard bytes.count >= 8 else { throw SafeTensorsError.tooShort(path: path, byteCount: bytes.count) }
        let headerLength = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(min(maximumHeaderLength, bytes.count - 8)) else {
            throw SafeTensorsError.invalidHeaderLength(path: path, headerLength: headerLength, fileSize: bytes.count)
        }
        let dataStart = 8 + Int(headerLength)
        let dataLength = bytes.count - dataStart
        let header: JSONValue
        do {
            header = try JSONDecoder().decode(JSONValue.self, from: Data(bytes[8..<dataStart]))
        } catch {
            throw SafeTensorsError.invalidHeader(path: path, reason: "the header is not valid UTF-8 JSON")
        }
        guard case .object(let fields) = header else {
            throw SafeTensorsError.invalidHeader(path: path, reason: "the header is JSON but not an object")
        }

        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for (name, value) in fields {
            if name == metadataKey {
                metadata = try parseMetadata(value, path: path)
            } else {
                entries.append(try parseEntry(name: name, value: value, dataLength: dataLength, path: path))
            }
        }
        try checkCoverage(entries, dataLength: dataLength, path: path)

        var tensors: [String: Tensor] = [:]
        var float64Tensors: [String: Float64Tensor] = [:]
        for entry in entries {
            let start = UnsafeRawBufferPointer(rebasing: bytes[(dataStart + entry.begin)...])
            tensors[entry.name] = Tensor(shape: entry.shape, values: decode(entry, from: start))
            if entry.type == .f64 {
                let values = (0..<(entry.end - entry.begin) / 8).map {
                    Double(
                        bitPattern: UInt64(littleEndian: start.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)))
                }
                float64Tensors[entry.name] = Float64Tensor(shape: entry.shape, values: values)
            }
        }
        return (tensors, metadata, float64Tensors)
    }

    private static func parseMetadata(_ value: JSONValue, path: String) throws -> [String: String] {
        guard case .object(let pairs) = value else {
            throw SafeTensorsError.invalidHeader(path: path, reason: "__metadata__ is not an object of strings")
        }
        var metadata: [String: String] = [:]
        for (key, value) in pairs {
            guard case .string(let text) = value else {
                throw SafeTensorsError.invalidHeader(
                    path: path, reason: "__metadata__ value of \"\(key)\" is not a string (valid: strings only)")
            }
            metadata[key] = text
        }
        return metadata
    }

    private static func parseEntry(name: String, value: JSONValue, dataLength: Int, path: String) throws -> Entry {
        func invalid(_ reason: String) -> SafeTensorsError {
            .invalidEntry(path: path, tensor: name, reason: reason)
        }
        guard case .object(let fields) = value else {
            throw invalid("the entry is not an object with dtype, shape and data_offsets")
        }
        guard case .string(let dtypeName) = fields["dtype"] else { throw invalid("dtype is missing or not a string") }
        guard let type = StoredType(rawValue: dtypeName) else {
            throw SafeTensorsError.unknownDType(
                path: path, tensor: name, dtype: dtypeName,
                valid: StoredType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard case .array(let shapeValues) = fields["shape"],
            let shape = integers(shapeValues), shape.allSatisfy({ $0 >= 0 })
        else { throw invalid("shape is missing or not a list of integers of 0 or more") }
        guard case .array(let offsetValues) = fields["data_offsets"],
            let offsets = integers(offsetValues), offsets.count == 2, offsets.allSatisfy({ $0 >= 0 })
        else { throw invalid("data_offsets is missing or not two integers of 0 or more") }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else {
            throw SafeTensorsError.reversedOffsets(path: path, tensor: name, begin: begin, end: end)
        }
        guard end <= dataLength else {
            throw SafeTensorsError.offsetsOutOfRange(
                path: path, tensor: name, begin: begin, end: end, dataLength: dataLength)
        }
        var byteCount: Int? = type.size
        for dimension in shape {
            byteCount = byteCount.flatMap { count in
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                return overflow ? nil : product
            }
        }
        guard byteCount == end - begin else {
            throw SafeTensorsError.sizeMismatch(
                path: path, tensor: name, dtype: dtypeName, shape: shape, byteCount: end - begin,
                expected: byteCount ?? Int.max)
        }
        return Entry(name: name, type: type, shape: shape, begin: begin, end: end)
    }

    /// Integers from JSON numbers, or nil if any is not an integer.
    private static func integers(_ values: [JSONValue]) -> [Int]? {
        var result: [Int] = []
        for value in values {
            guard case .integer(let integer) = value else { return nil }
            result.append(integer)
        }
        return result
    }

    /// Walks the tensors in offset order: each must start where the previous one ended, and the
    /// last must end at the end of the data (as the reference implementation requires).
    private static func checkCoverage(_ entries: [Entry], dataLength: Int, path: String) throws {
        let ordered = entries.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var cursor = 0
        var previous = ""
        for entry in ordered {
            if entry.begin < cursor {
                throw SafeTensorsError.overlappingTensors(path: path, first: previous, second: entry.name)
            }
            if entry.begin > cursor {
                throw SafeTensorsError.uncoveredData(
                    path: path, begin: cursor, end: entry.begin, dataLength: dataLength)
            }
            cursor = entry.end
            previous = entry.name
        }
        if cursor < dataLength {
            throw SafeTensorsError.uncoveredData(path: path, begin: cursor, end: dataLength, dataLength: dataLength)
        }
    }

    /// The entry's values as float32; `bytes` starts at the entry's first byte.
    private static func decode(_ entry: Entry, from bytes: UnsafeRawBufferPointer) -> [Float] {
        let size = entry.type.size
        let count = (entry.end - entry.begin) / size
        func word<Word: FixedWidthInteger>(_ index: Int, _ type: Word.Type) -> Word {
            Word(littleEndian: bytes.loadUnaligned(fromByteOffset: index * size, as: Word.self))
        }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            switch entry.type {
            case .f32:
                for i in 0..<count { buffer[i] = Float(bitPattern: word(i, UInt32.self)) }
            case .f16:
                for i in 0..<count { buffer[i] = Float16Conversion.float(halfBits: word(i, UInt16.self)) }
            case .bf16:
                for i in 0..<count { buffer[i] = Float16Conversion.float(bfloat16Bits: word(i, UInt16.self)) }
            case .f64:
                for i in 0..<count { buffer[i] = Float(Double(bitPattern: word(i, UInt64.self))) }
            }
            initialized = count
        }
    }
}

// MARK: - JSON

/// A JSON value as the header parser sees it; numbers are integers when they have no fraction.
private enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}

/// JSON text as serde_json (and so the Python library) writes it.
private enum JSONText {
    /// A quoted string: `"` and `\` escaped, \b \f \n \r \t by name, other controls as \u00xx,
    /// everything else (including non-ASCII and `/`) as it is.
    static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

/// Errors reading or writing safetensors files; each names the file, the tensor and the bad
/// value, and says what is valid.
public enum SafeTensorsError: Error, CustomStringConvertible, Equatable {
    /// The file is shorter than its 8-byte header length.
    case tooShort(path: String, byteCount: Int)
    /// The header length runs past the end of the file or beyond 100,000,000 bytes.
    case invalidHeaderLength(path: String, headerLength: UInt64, fileSize: Int)
    /// The header is not UTF-8 JSON, not an object, or has malformed metadata.
    case invalidHeader(path: String, reason: String)
    /// A tensor entry lacks dtype, shape or data_offsets, or they have the wrong form.
    case invalidEntry(path: String, tensor: String, reason: String)
    /// A tensor's dtype is not one this reader converts to float32.
    case unknownDType(path: String, tensor: String, dtype: String, valid: String)
    /// A tensor's data_offsets end before they begin.
    case reversedOffsets(path: String, tensor: String, begin: Int, end: Int)
    /// A tensor's data_offsets reach past the data section (a truncated file, for one).
    case offsetsOutOfRange(path: String, tensor: String, begin: Int, end: Int, dataLength: Int)
    /// A tensor's byte range does not hold shape x dtype size bytes.
    case sizeMismatch(path: String, tensor: String, dtype: String, shape: [Int], byteCount: Int, expected: Int)
    /// Two tensors share bytes.
    case overlappingTensors(path: String, first: String, second: String)
    /// Bytes of the data section that belong to no tensor (a gap, or trailing bytes).
    case uncoveredData(path: String, begin: Int, end: Int, dataLength: Int)
    /// A tensor carries the name the format reserves for metadata.
    case reservedName(name: String)

    public var description: String {
        switch self {
        case .tooShort(let path, let byteCount):
            return "\(path): not a safetensors file: \(byteCount) bytes, fewer than the 8 of the header length"
        case .invalidHeaderLength(let path, let headerLength, let fileSize):
            return "\(path): not a safetensors file: header length \(headerLength) bytes does not fit; valid: at most "
                + "\(max(0, fileSize - 8)) (the file's \(fileSize) bytes less 8) and at most 100,000,000"
        case .invalidHeader(let path, let reason):
            return "\(path): invalid safetensors header: \(reason)"
        case .invalidEntry(let path, let tensor, let reason):
            return "\(path): tensor \"\(tensor)\": \(reason)"
        case .unknownDType(let path, let tensor, let dtype, let valid):
            return "\(path): tensor \"\(tensor)\": dtype \(dtype) is not supported; valid: \(valid)"
        case .reversedOffsets(let path, let tensor, let begin, let end):
            return "\(path): tensor \"\(tensor)\": data_offsets [\(begin), \(end)] end before they begin; "
                + "valid: begin <= end"
        case .offsetsOutOfRange(let path, let tensor, let begin, let end, let dataLength):
            return "\(path): tensor \"\(tensor)\": data_offsets [\(begin), \(end)] reach past the data section of "
                + "\(dataLength) bytes (truncated file?); valid: end <= \(dataLength)"
        case .sizeMismatch(let path, let tensor, let dtype, let shape, let byteCount, let expected):
            return "\(path): tensor \"\(tensor)\": data_offsets span \(byteCount) bytes, but shape \(shape) of "
                + "\(dtype) needs \(expected)"
        case .overlappingTensors(let path, let first, let second):
            return "\(path): tensors \"\(first)\" and \"\(second)\" overlap; valid: each tensor starts where the "
                + "previous one ends"
        case .uncoveredData(let path, let begin, let end, let dataLength):
            return "\(path): bytes \(begin)..<\(end) of the \(dataLength)-byte data section belong to no tensor; "
                + "valid: tensors cover the data exactly, without gaps or trailing bytes"
        case .reservedName(let name):
            return "cannot write a tensor named \"\(name)\": the safetensors format reserves that key for metadata"
        }
    }
}
