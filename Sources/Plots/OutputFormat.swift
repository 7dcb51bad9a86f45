import Foundation

/// The file formats a figure can be written in, chosen by the output file's extension.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// A bitmap, rendered at `pixelsPerPoint` pixels per point.
    case png
    /// Vectors and text; the heatmap is one embedded bitmap.
    case svg
    /// Vectors and text; the heatmap is one embedded bitmap.
    case pdf

    /// The format named by `url`'s extension, ignoring case.
    public init(url: URL) throws {
        let pathExtension = url.pathExtension
        guard let format = OutputFormat(rawValue: pathExtension.lowercased()) else {
            throw PlotError.unsupportedFormat(path: url.path, extension: pathExtension)
        }
        self = format
    }
}
