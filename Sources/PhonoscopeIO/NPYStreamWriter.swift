import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes an `.npy` file of known shape whose elements arrive in order, block by block, so that
/// the whole array never has to be in memory; the written elements can then be transformed in
/// place (e.g. normalised once their statistics are known), a block at a time.
///
/// Use it on a temporary path (`AtomicFile.withTemporaryURL`); `finish()` checks that exactly
/// the shape's element count was written. Ownership: the writer owns its file descriptor and
/// closes it in `finish()` or `deinit`.
public final class NPYStreamWriter<Element: NPYElement> {
    public let shape: [Int]
    /// Elements written so far.
    public private(set) var count = 0
    /// The path errors name (the final destination, not the temporary file).
    private let reportedPath: String
    private var descriptor: Int32
    private let headerLength: Int

    /// Creates (or truncates) `url` and writes the header for `shape`.
    public init(url: URL, shape: [Int], reportedPath: String? = nil) throws {
        self.shape = shape
        self.reportedPath = reportedPath ?? url.path
        descriptor = open(url.path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw FileError.unwritable(path: self.reportedPath, reason: String(cString: strerror(errno)))
        }
        let header = NPYArray<Element>.header(shape: shape)
        headerLength = header.count
        // Reserve the whole file now: a full disk fails here, before any work, and the file
        // system (ext4) need not force out delayed allocations when it replaces the destination.
        let size = headerLength + shape.reduce(1, *) * MemoryLayout<Element>.stride
        let status = posix_fallocate(descriptor, 0, off_t(size))
        if status != 0 && status != EOPNOTSUPP && status != EINVAL {
            throw FileError.unwritable(path: self.reportedPath, reason: String(cString: strerror(status)))
        }
        try header.withUnsafeBytes { try write(UnsafeRawBufferPointer($0), at: 0) }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    private var total: Int { shape.reduce(1, *) }

    /// Appends `values` after the elements written so far.
    public func append(_ values: UnsafeBufferPointer<Element>) throws {
        guard count + values.count <= total else {
            throw FileError.unwritable(
                path: reportedPath, reason: "\(count + values.count) elements for shape \(shape) (\(total))")
        }
        try write(UnsafeRawBufferPointer(values), at: headerLength + count * MemoryLayout<Element>.stride)
        count += values.count
    }

    /// Reads the written elements back in blocks of at most `blockElements`, lets `transform`
    /// change each block in place, and writes it back.
    public func transformWritten(
        blockElements: Int = 1 << 16, _ transform: (UnsafeMutableBufferPointer<Element>) -> Void
    ) throws {
        let block = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(1, blockElements))
        defer { block.deallocate() }
        var done = 0
        while done < count {
            let n = min(block.count, count - done)
            let part = UnsafeMutableBufferPointer(rebasing: block[0..<n])
            let offset = headerLength + done * MemoryLayout<Element>.stride
            try read(UnsafeMutableRawBufferPointer(part), at: offset)
            transform(part)
            try write(UnsafeRawBufferPointer(part), at: offset)
            done += n
        }
    }

    /// Closes the file; throws unless every element of the shape was written.
    public func finish() throws {
        guard count == total else {
            throw FileError.unwritable(
                path: reportedPath, reason: "\(count) of the \(total) elements of shape \(shape) were written")
        }
        let status = close(descriptor)
        descriptor = -1
        guard status == 0 else {
            throw FileError.unwritable(path: reportedPath, reason: String(cString: strerror(errno)))
        }
    }

    private func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        guard let base = bytes.baseAddress else { return }
        try transfer(UnsafeMutableRawPointer(mutating: base), bytes.count, at: offset, short: "nothing written") {
            pwrite($0, $1, $2, $3)
        }
    }

    private func read(_ bytes: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        guard let base = bytes.baseAddress else { return }
        try transfer(base, bytes.count, at: offset, short: "file shorter than written") { pread($0, $1, $2, $3) }
    }

    /// Runs `call` (pread or pwrite) until all `count` bytes at `offset` are through, retrying
    /// after signals; `short` explains a call that moved nothing.
    private func transfer(
        _ base: UnsafeMutableRawPointer, _ count: Int, at offset: Int, short: String,
        _ call: (Int32, UnsafeMutableRawPointer, Int, off_t) -> Int
    ) throws {
        var done = 0
        while done < count {
            let n = call(descriptor, base + done, count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw FileError.unwritable(path: reportedPath, reason: n < 0 ? String(cString: strerror(errno)) : short)
            }
            done += n
        }
    }
}
