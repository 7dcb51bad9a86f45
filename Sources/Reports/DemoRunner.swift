import Foundation
import PhonoscopeIO

/// Runs the demo's stages in a directory: refuses foreign content, records its options in
/// demo.json, skips stages whose .done marker exists (so an interrupted run resumes) and
/// writes each marker last, atomically, once every command of the stage succeeded.
public struct DemoRunner {
    /// Runs one command in the demo directory; returns what it printed on standard output.
    public typealias Execute = (_ command: DemoStep, _ directory: URL) throws -> Data

    public static let markerName = "demo.json"

    public let directory: URL
    public let options: DemoOptions
    public let force: Bool

    public init(directory: URL, options: DemoOptions, force: Bool) {
        self.directory = directory
        self.options = options
        self.force = force
    }

    /// What demo.json holds.
    public struct Marker: Codable, Equatable {
        public var tool: String
        public var version: Int
        public var options: DemoOptions
    }

    public enum Outcome: Equatable {
        case ran(seconds: Double)
        case skipped
    }

    /// Reads DIR/demo.json, or nil when there is none.
    public static func marker(in directory: URL) throws -> Marker? {
        let url = directory.appendingPathComponent(markerName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(Marker.self, from: Data(contentsOf: url))
        } catch {
            throw ReportError.unreadable(path: url.path, reason: "not a phonoscope demo.json (\(error))")
        }
    }

    /// Checks the directory and writes demo.json. Returns whether finished stages may be kept
    /// (false: every stage is redone).
    public func prepare() throws -> Bool {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ReportError.invalidOption(name: "-o", value: directory.path, valid: "a directory, not a file")
            }
        } else {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        var keep = true
        if let marker = try Self.marker(in: directory) {
            if marker.options != options {
                guard force else {
                    throw ReportError.optionsDiffer(
                        path: directory.path, recorded: marker.options.flags, requested: options.flags)
                }
                keep = false
            }
        } else {
            let contents = try manager.contentsOfDirectory(atPath: directory.path).sorted()
            if !contents.isEmpty {
                guard force else {
                    throw ReportError.foreignDirectory(path: directory.path, examples: Array(contents.prefix(3)))
                }
            }
        }
        if force { keep = false }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let marker = Marker(tool: "phonoscope demo", version: 1, options: options)
        try AtomicFile.write(try encoder.encode(marker), to: directory.appendingPathComponent(Self.markerName))
        return keep
    }

    public func isDone(_ stage: DemoStage) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(stage.doneMarker).path)
    }

    /// Runs (or skips) every stage, reporting one line per stage through `log`.
    @discardableResult
    public func run(
        stages: [DemoStage], keepFinished: Bool, execute: Execute, log: (String) -> Void
    ) throws -> [String: Outcome] {
        var outcomes: [String: Outcome] = [:]
        let width = String(stages.count).count
        for (index, stage) in stages.enumerated() {
            let number = String(index + 1)
            let prefix = "[" + String(repeating: " ", count: width - number.count) + number + "/\(stages.count)]"
            if keepFinished && isDone(stage) {
                log("\(prefix) \(stage.name): skipped (finished in an earlier run)")
                outcomes[stage.name] = .skipped
                continue
            }
            let started = Date()
            try runStage(stage) { command in try execute(command, directory) }
            let seconds = Date().timeIntervalSince(started)
            log("\(prefix) \(stage.name): done in \(Self.formatSeconds(seconds))")
            outcomes[stage.name] = .ran(seconds: seconds)
        }
        return outcomes
    }

    func runStage(_ stage: DemoStage, execute: (DemoStep) throws -> Data) throws {
        let manager = FileManager.default
        let folder = directory.appendingPathComponent(stage.name)
        let marker = directory.appendingPathComponent(stage.doneMarker)
        if manager.fileExists(atPath: marker.path) { try manager.removeItem(at: marker) }
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        for command in stage.commands {
            let output = try execute(command)
            if let path = command.standardOutput {
                try AtomicFile.write(output, to: directory.appendingPathComponent(path))
            }
        }
        let stamp = ISO8601DateFormatter().string(from: Date())
        try AtomicFile.write(Data((stamp + "\n").utf8), to: marker)
    }

    public static func formatSeconds(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        return "\(whole / 60) min \(String(format: "%02d", whole % 60)) s"
    }
}
