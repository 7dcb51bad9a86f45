import Foundation

/// What goes wrong in the demo pipeline and the report; every message names the path or value.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    /// The output directory holds files that no earlier demo run wrote.
    case foreignDirectory(path: String, examples: [String])
    /// The directory is a demo directory, but made with other options.
    case optionsDiffer(path: String, recorded: String, requested: String)
    /// A shipped model is missing.
    case missingModel(name: String, searched: String)
    /// Files the report needs are missing.
    case missingFiles(directory: String, files: [String])
    /// The directory has no demo.json.
    case notADemoDirectory(path: String)
    /// A stage's command failed.
    case stageFailed(stage: String, command: String, status: Int32, message: String)
    /// A file could not be read as the JSON it should be.
    case unreadable(path: String, reason: String)
    /// An option is out of range.
    case invalidOption(name: String, value: String, valid: String)

    public var description: String {
        switch self {
        case .foreignDirectory(let path, let examples):
            return "\(path) is not empty and no phonoscope demo made it (no demo.json; it holds "
                + examples.joined(separator: ", ")
                + "): choose an empty or new directory, or pass --force to write into it anyway"
        case .optionsDiffer(let path, let recorded, let requested):
            return "\(path) holds a demo made with \(recorded), not \(requested): rerun with the same options "
                + "to resume it, or pass --force to redo every stage"
        case .missingModel(let name, let searched):
            return "shipped model \(name) not found (looked for \(searched)): train it with "
                + "`bash Scripts/train_models.sh` (see Corpora/models/README.md), or pass --models DIR"
        case .missingFiles(let directory, let files):
            return "\(directory) lacks what the report needs: " + files.joined(separator: ", ")
                + " (run `phonoscope demo -o \(directory)` to make or resume them)"
        case .notADemoDirectory(let path):
            return "\(path)/demo.json not found: \(path) is not a directory made by phonoscope demo "
                + "(run `phonoscope demo -o \(path)` first)"
        case .stageFailed(let stage, let command, let status, let message):
            return "stage \(stage) failed (exit status \(status)) running `\(command)`"
                + (message.isEmpty ? "" : ":\n\(message)")
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .invalidOption(let name, let value, let valid):
            return "\(name) \(value) is invalid: expected \(valid)"
        }
    }
}
