import Foundation

/// A figure that checks its data and draws itself on a canvas; writing it to PNG, SVG or PDF
/// is the same for every figure and lives here.
protocol FigureDrawing {
    var size: (width: Double, height: Double) { get }
    var pixelsPerPoint: Double { get }
    var title: String { get }
    /// The PDF/SVG document title when the figure has none.
    static var untitled: String { get }
    /// Throws `PlotError.invalidParameter` naming the first bad value.
    func validate() throws
    func draw(on canvas: Canvas, style: FigureStyle) throws
}

extension FigureDrawing {
    /// Writes the figure to `url` as PNG, SVG or PDF, chosen by the extension (any case).
    ///
    /// Throws `PlotError.unsupportedFormat` for other extensions and `PlotError.invalidParameter`
    /// for inconsistent data, both before touching the disk; PhonoscopeIO's `FileError` if the
    /// directory is missing. The file appears complete or not at all.
    func writeFigure(to url: URL) throws {
        _ = try OutputFormat(url: url)
        try validate()
        try FigureFile.write(
            to: url, width: size.width, height: size.height, pixelsPerPoint: pixelsPerPoint,
            documentTitle: title.isEmpty ? Self.untitled : title
        ) { canvas in
            try draw(on: canvas, style: .standard)
        }
    }
}
