import Foundation

/// Finds the project's data files (sentence lists, shipped models) for a tool built from this
/// repository: `$PHONOSCOPE_HOME`, then the folders above the running executable, then the
/// source tree it was built from.
enum ProjectFiles {
    static func locate(_ relativePath: String) -> URL? {
        var roots: [URL] = []
        if let home = ProcessInfo.processInfo.environment["PHONOSCOPE_HOME"] {
            roots.append(URL(fileURLWithPath: home))
        }
        var directory = executable.deletingLastPathComponent()
        while directory.path != "/" {
            roots.append(directory)
            directory = directory.deletingLastPathComponent()
        }
        // Sources/PhonoscopeCLI/ProjectFiles.swift -> the repository root.
        roots.append(
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent())
        return roots.map { $0.appendingPathComponent(relativePath) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The running `phonoscope` executable.
    static var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }
}
