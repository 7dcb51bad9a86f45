import Foundation

/// Messages for people on standard error (warnings, progress), separate from results on
/// standard output.
enum Console {
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
