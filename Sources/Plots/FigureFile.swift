import Foundation
import PhonoscopeIO

/// Writes one figure to a file, in the format its extension names, atomically.
///
/// Every figure type funnels through here: the extension is checked first (before anything
/// touches the disk), then `AtomicFile` gives a temporary path next to the destination; the
/// canvas draws and writes there and the file is renamed into place only when complete. On
/// any error the temporary file is removed, so a failure never leaves a half-written figure.
enum FigureFile {
    static func write(
        to url: URL, width: Double, height: Double, pixelsPerPoint: Double, documentTitle: String,
        draw: (Canvas) throws -> Void
    ) throws {
        let format = try OutputFormat(url: url)
        try AtomicFile.withTemporaryURL(for: url) { temporary in
            // The canvas, and with it the open SVG/PDF file, is released when this closure
            // returns or throws, before AtomicFile renames or removes the temporary file.
            let canvas = try Canvas(
                format: format, path: temporary.path, width: width, height: height, pixelsPerPoint: pixelsPerPoint)
            canvas.setDocumentTitle(documentTitle)
            try draw(canvas)
            try canvas.finish()
        }
    }
}
