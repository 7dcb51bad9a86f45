import Foundation

/// Writes output files so that a failure never leaves a half-written file behind.
///
/// Concretely: the content goes to a hidden temporary file in the destination's directory
/// (same file system, so the final `rename(2)` is atomic), and only a complete file is renamed
/// onto the destination. On any error the temporary file is removed and the destination is
/// untouched.
public enum AtomicFile {
    /// Checks, before any work is done, that `url` can receive an output file: its directory
    /// exists and is a directory, and `url` itself is not a directory.
    public static func checkDestination(_ url: URL) throws {
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory)
            || !isDirectory.boolValue
        {
            throw FileError.missingOutputDirectory(path: url.path, directory: directory.path)
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        {
            throw FileError.isDirectory(path: url.path)
        }
    }

    /// Writes `data` to `url` atomically.
    public static func write(_ data: Data, to url: URL) throws {
        try withTemporaryURL(for: url) { temporary in
            do {
                try data.write(to: temporary)
            } catch {
                throw FileError.unwritable(path: url.path, reason: FileError.reason(error))
            }
        }
    }

    /// Calls `body` with a temporary path next to `url` (keeping its extension, for writers
    /// that look at it); renames the temporary file onto `url` if `body` returns, removes it
    /// if `body` throws.
    @discardableResult
    public static func withTemporaryURL<T>(for url: URL, _ body: (URL) throws -> T) throws -> T {
        try checkDestination(url)
        let directory = url.deletingLastPathComponent()
        let name = url.lastPathComponent
        let suffix = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        let token = UInt32.random(in: 0...UInt32.max)
        let temporary = directory.appendingPathComponent(
            ".\(name).\(getpid())-\(token).partial\(suffix)")
        do {
            let result = try body(temporary)
            guard rename(temporary.path, url.path) == 0 else {
                let reason = String(cString: strerror(errno))
                throw FileError.unwritable(path: url.path, reason: reason)
            }
            return result
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
