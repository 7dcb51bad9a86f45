import ArgumentParser
import Foundation

/// Checks on output paths made before any work starts, so a long run does not fail at its end.
enum OutputPath {
    /// The directory an output file (or an output directory) goes into must exist.
    static func checkDirectory(of path: String, option: String = "-o") throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(option) \(path): the directory \(directory) does not exist")
        }
    }
}
