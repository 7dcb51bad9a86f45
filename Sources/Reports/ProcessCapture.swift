import Foundation

/// Runs a program to the end and returns its exit status and what it printed. Both streams go
/// to temporary files, so neither can fill a pipe and block the other; standard input is
/// empty; a program still running after `timeout` seconds is terminated.
public enum ProcessCapture {
    public struct Result: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
        public var timedOut: Bool
    }

    public static func run(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil, timeout: Double? = nil
    ) throws -> Result {
        let manager = FileManager.default
        let scratch = manager.temporaryDirectory.appendingPathComponent("phonoscope-process-\(UUID().uuidString)")
        try manager.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? manager.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = manager.createFile(atPath: outURL.path, contents: nil)
        _ = manager.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var timedOut = false
        if let timeout {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning {
                timedOut = true
                process.terminate()
            }
        }
        process.waitUntilExit()
        try? outHandle.close()
        try? errHandle.close()
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
            standardError: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self),
            timedOut: timedOut)
    }
}
