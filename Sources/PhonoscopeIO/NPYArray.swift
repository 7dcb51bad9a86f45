import Foundation

/// A scalar type that can be stored in a NumPy `.npy` file.
public protocol NPYElement: Sendable, Numeric {
    /// The NumPy dtype string, little-endian (`<f4`, `<f8`, ...).
    static var descriptor: String { get }
    /// Converts from any element type the reader understands.
    init(converting value: Double)
    var doubleValue: Double { get }
}

extension Float: NPYElement {
    public static var descriptor: String { "<f4" }
    public init(converting value: Double) { self = Float(value) }
    public var doubleValue: Double { Double(self) }
}
extension Double: NPYElement {
    public static var descriptor: String { "<f8" }
    public init(converting value: Double) { self = value }
    public var doubleValue: Double { self }
}
extension Int64: NPYElement {
    public static var descriptor: String { "<i8" }
    public init(converting value: Double) { self = Int64(value) }
    public var doubleValue: Double { Double(self) }
}
extension Int32: NPYElement {
    public static var descriptor: String { "<i4" }
    public init(converting value: Double) { self = Int32(value) }
    public var doubleValue: Double { Double(self) }
}

/// An n-dimensional array in NumPy's `.npy` format (C order), as `numpy.save` writes it and
/// `numpy.load` reads it.
///
/// Layout: `elements` is row-major (C order); `shape` lists the sizes, outermost first.
/// Phonoscope stores feature matrices time-major, shape `(frames, bins)`.
/// Reading accepts format versions 1, 2 and 3, little-endian `f4`, `f8`, `i4`, `i8`, `i2`,
/// `u1` and `b1`, converting to `Element`; Fortran-ordered files are transposed on reading.
public struct NPYArray<Element: NPYElement>: Sendable {
    public var shape: [Int]
    public var elements: [Element]

    public init(shape: [Int], elements: [Element]) {
        precondition(shape.reduce(1, *) == elements.count, "shape \(shape) does not match \(elements.count) elements")
        self.shape = shape
        self.elements = elements
    }

    /// The bytes of a version 1.0 `.npy` file: magic, header padded to 64 bytes, data.
    public func encoded() -> Data {
        var data = header()
        elements.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    /// Magic, version 1.0, header length and the header dictionary padded to 64 bytes.
    func header() -> Data { Self.header(shape: shape) }

    /// The header of a version 1.0 `.npy` file of `shape` (C order).
    static func header(shape: [Int]) -> Data {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '\(Element.descriptor)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let length = UInt16(header.utf8.count)
        data.append(UInt8(length & 0xFF))
        data.append(UInt8(length >> 8))
        data.append(contentsOf: Array(header.utf8))
        return data
    }

    /// Writes the array to `url` atomically, straight from `elements` (no copy in memory).
    public func write(to url: URL) throws {
        try AtomicFile.withTemporaryURL(for: url) { temporary in
            guard FileManager.default.createFile(atPath: temporary.path, contents: header()),
                let handle = FileHandle(forWritingAtPath: temporary.path)
            else { throw FileError.unwritable(path: url.path, reason: "cannot create \(temporary.path)") }
            defer { try? handle.close() }
            do {
                try handle.seekToEnd()
                try elements.withUnsafeBytes { raw in
                    guard let base = raw.baseAddress, raw.count > 0 else { return }
                    let bytes = Data(
                        bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: raw.count, deallocator: .none)
                    try handle.write(contentsOf: bytes)
                }
            } catch {
                throw FileError.unwritable(path: url.path, reason: error.localizedDescription)
            }
        }
    }

    /// Reads an `.npy` file, converting its elements to `Element`.
    public init(contentsOf url: URL) throws {
        try self.init(npyData: FileError.contents(of: url), path: url.path)
    }

    /// Parses the bytes of an `.npy` file; `path` only labels errors.
    public init(npyData data: Data, path: String = "<data>") throws {
        let bytes = [UInt8](data)
        func bad(_ reason: String) -> FileError { .malformed(path: path, reason: "not a valid .npy file: \(reason)") }
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw bad("missing the \\x93NUMPY magic")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw bad("truncated header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        default:
            throw bad("format version \(major) (valid: 1, 2, 3)")
        }
        guard bytes.count >= headerStart + headerLength,
            let header = String(bytes: bytes[headerStart..<headerStart + headerLength], encoding: .utf8)
        else { throw bad("truncated header") }
        let descriptor = try Self.field("descr", in: header, bad: bad)
            .trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
        let fortran = try Self.field("fortran_order", in: header, bad: bad).contains("True")
        let shapeText = try Self.field("shape", in: header, bad: bad)
        let shape = shapeText.split(whereSeparator: { "(), ".contains($0) }).compactMap { Int($0) }
        let count = shape.reduce(1, *)
        let itemSize: Int
        switch descriptor {
        case "<f4", "<i4": itemSize = 4
        case "<f8", "<i8": itemSize = 8
        case "<i2": itemSize = 2
        case "|u1", "|b1", "<u1": itemSize = 1
        default: throw bad("dtype \(descriptor) (valid: <f4, <f8, <i2, <i4, <i8, |u1, |b1)")
        }
        let start = headerStart + headerLength
        guard bytes.count >= start + count * itemSize else {
            throw bad("truncated data: shape \(shape) needs \(count * itemSize) bytes, found \(bytes.count - start)")
        }
        var values = [Element]()
        values.reserveCapacity(count)
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                let p = start + i * itemSize
                let v: Double
                switch descriptor {
                case "<f4":
                    v = Double(Float(bitPattern: raw.loadUnaligned(fromByteOffset: p, as: UInt32.self).littleEndian))
                case "<f8": v = Double(bitPattern: raw.loadUnaligned(fromByteOffset: p, as: UInt64.self).littleEndian)
                case "<i4": v = Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: p, as: Int32.self)))
                case "<i8": v = Double(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: p, as: Int64.self)))
                case "<i2": v = Double(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: p, as: Int16.self)))
                default: v = Double(raw[p])
                }
                values.append(Element(converting: v))
            }
        }
        if fortran && shape.count > 1 {
            values = Self.fortranToC(values, shape: shape)
        }
        self.shape = shape
        self.elements = values
    }

    private static func field(_ key: String, in header: String, bad: (String) -> FileError) throws -> String {
        guard let keyRange = header.range(of: "'\(key)'") else { throw bad("header lacks '\(key)'") }
        var rest = header[keyRange.upperBound...].drop(while: { $0 == ":" || $0 == " " })
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else { throw bad("unterminated shape") }
            return String(rest[...close])
        }
        if let comma = rest.firstIndex(of: ",") { rest = rest[..<comma] }
        return String(rest)
    }

    private static func fortranToC(_ values: [Element], shape: [Int]) -> [Element] {
        var result = values
        let count = values.count
        var index = [Int](repeating: 0, count: shape.count)
        for cIndex in 0..<count {
            var remainder = cIndex
            for axis in stride(from: shape.count - 1, through: 0, by: -1) {
                index[axis] = remainder % shape[axis]
                remainder /= shape[axis]
            }
            var fIndex = 0
            var stride = 1
            for axis in 0..<shape.count {
                fIndex += index[axis] * stride
                stride *= shape[axis]
            }
            result[cIndex] = values[fIndex]
        }
        return result
    }
}
