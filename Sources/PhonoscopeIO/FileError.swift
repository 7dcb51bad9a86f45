import Foundation

/// Errors from reading and writing the files the outside world sees.
///
/// Every case names the file and, where there is one, the bad value and what would be valid,
/// so that the command line can print it as it is.
public enum FileError: Error, CustomStringConvertible, Equatable {
    /// The file does not exist.
    case missing(path: String)
    /// The path names a directory where a file was expected.
    case isDirectory(path: String)
    /// The directory that should receive an output file does not exist.
    case missingOutputDirectory(path: String, directory: String)
    /// The file exists but could not be read or written (permissions, disk full, ...).
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    /// The file's content does not follow its format.
    case malformed(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let path):
            return "\(path): no such file"
        case .isDirectory(let path):
            return "\(path): is a directory, expected a file"
        case .missingOutputDirectory(let path, let directory):
            return "\(path): cannot write, the directory \(directory) does not exist (create it first)"
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .unwritable(let path, let reason):
            return "\(path): cannot write: \(reason)"
        case .malformed(let path, let reason):
            return "\(path): \(reason)"
        }
    }

    /// The bytes of the file at `url`, with errors that name it.
    public static func contents(of url: URL) throws -> Data {
        try checkReadableFile(url)
        do {
            return try Data(contentsOf: url)
        } catch {
            throw FileError.unreadable(path: url.path, reason: reason(error))
        }
    }

    /// The operating system's words for a failed read or write ("File too large", "No space
    /// left on device"), which Foundation's own description hides behind "The operation could
    /// not be completed".
    static func reason(_ error: Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? Error,
            (underlying as NSError).domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32((underlying as NSError).code)))
        }
        return error.localizedDescription
    }

    /// The file at `url` as UTF-8 text, with errors that name it.
    public static func text(of url: URL) throws -> String {
        guard let text = String(data: try contents(of: url), encoding: .utf8) else {
            throw FileError.malformed(path: url.path, reason: "not UTF-8 text")
        }
        return text
    }

    /// Checks that `url` names an existing regular file (not a directory).
    public static func checkReadableFile(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw FileError.missing(path: url.path)
        }
        if isDirectory.boolValue { throw FileError.isDirectory(path: url.path) }
    }
}
