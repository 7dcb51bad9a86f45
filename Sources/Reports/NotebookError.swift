import Foundation

/// What goes wrong reading or running a notebook; every message names the file and line.
public enum NotebookError: Error, CustomStringConvertible, Equatable {
    /// The Markdown does not follow the notebook conventions.
    case syntax(location: String, problem: String)
    /// A command exited non-zero (or zero, in a block tagged `fails`).
    case commandFailed(location: String, command: String, status: Int32, message: String)
    /// The notebook's output folder holds files no notebook run wrote.
    case foreignOutputFolder(path: String, marker: String)

    public var description: String {
        switch self {
        case .syntax(let location, let problem):
            return "\(location): \(problem)"
        case .commandFailed(let location, let command, let status, let message):
            let expectation =
                status == 0 ? "exited 0 but the block is tagged `fails`" : "failed (exit status \(status))"
            return "\(location): `\(command)` \(expectation)" + (message.isEmpty ? "" : ":\n\(message)")
        case .foreignOutputFolder(let path, let marker):
            return "\(path) exists and is not a notebook output folder (it has no \(marker)): move it away, "
                + "or rename the notebook"
        }
    }
}
