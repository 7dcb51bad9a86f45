import Foundation

/// Makes the bitmaps in an SVG file written by cairo render with sharp pixels.
///
/// cairo up to 1.16 (Debian 12) drops the nearest-neighbour filter when it writes an SVG
/// `<image>`, so browsers would smooth a heatmap's cells into a blur. Every bitmap Plots draws
/// is a heatmap meant to be pixel-exact, so each `<image` element gets
/// `style="image-rendering:optimizeSpeed;image-rendering:pixelated"` (SVG 1.1's hint for older
/// viewers, then the CSS value modern browsers honour). Files that already say how to render
/// images (newer cairo) are left alone.
enum SVGImageRendering {
    static let style = "image-rendering:optimizeSpeed;image-rendering:pixelated"

    /// Rewrites the SVG file at `path` in place (it is still the temporary file at that point).
    static func markImagesPixelated(path: String) throws {
        let url = URL(fileURLWithPath: path)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PlotError.cairo(path: path, reason: "cannot read back the SVG: \(error.localizedDescription)")
        }
        guard !text.contains("image-rendering") else { return }
        let marked = text.replacingOccurrences(of: "<image ", with: "<image style=\"\(style)\" ")
        do {
            try marked.write(to: url, atomically: false, encoding: .utf8)
        } catch {
            throw PlotError.cairo(path: path, reason: "cannot rewrite the SVG: \(error.localizedDescription)")
        }
    }
}
