/// Errors from drawing and writing figures.
///
/// Every case names the file or the parameter, the bad value and what would be valid, so that
/// the command line can print it as it is. A missing output directory is reported by
/// PhonoscopeIO's `FileError.missingOutputDirectory`, which every figure write goes through.
public enum PlotError: Error, CustomStringConvertible, Equatable {
    /// The output file's extension does not name a format Plots can write.
    case unsupportedFormat(path: String, extension: String)
    /// A figure parameter is out of range, e.g. `frameCount` 0 or a decreasing frequency list.
    case invalidParameter(name: String, value: String, valid: String)
    /// cairo reported an error while creating, drawing or writing a surface.
    case cairo(path: String, reason: String)

    /// The extensions `write(to:)` understands, as they are listed in messages.
    static let validExtensions = OutputFormat.allCases.map { "." + $0.rawValue }.joined(separator: ", ")

    public var description: String {
        switch self {
        case .unsupportedFormat(let path, let pathExtension):
            let shown = pathExtension.isEmpty ? "no extension" : "the extension .\(pathExtension)"
            return "\(path): cannot write a figure with \(shown); use one of \(Self.validExtensions)"
        case .invalidParameter(let name, let value, let valid):
            return "invalid \(name) \(value): expected \(valid)"
        case .cairo(let path, let reason):
            return "\(path): cairo could not draw or write the figure: \(reason)"
        }
    }
}
