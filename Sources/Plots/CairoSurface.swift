import CCairo

/// One cairo surface (`cairo_surface_t`): an image in memory, or an SVG or PDF file being written.
///
/// Ownership: this object owns exactly one reference to `handle`, the one cairo returned from
/// the `*_create` call, and drops it in `deinit`. Contexts and patterns that use the surface
/// take references of their own, so the surface lives as long as the longest of them.
/// Destroying an SVG or PDF surface also finishes it (writes the rest of the file); call
/// `finish()` to do that while errors can still be reported.
final class CairoSurface {
    let handle: OpaquePointer
    /// The file this surface writes or was read from, or a description for images in memory;
    /// only labels errors.
    let path: String

    /// Takes ownership of a surface returned by a cairo create function. cairo returns an error
    /// object rather than NULL when creation fails; that object is destroyed and the error thrown.
    private init(taking handle: OpaquePointer?, path: String) throws {
        guard let handle else {
            throw PlotError.cairo(path: path, reason: "no surface was created")
        }
        let status = cairo_surface_status(handle)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(handle)
            throw PlotError.cairo(path: path, reason: CairoSurface.describe(status))
        }
        self.handle = handle
        self.path = path
    }

    deinit {
        cairo_surface_destroy(handle)
    }

    /// The largest width or height cairo accepts for an image surface (pixman's limit).
    static let maximumImageDimension = 32767

    /// An image in memory, `width` x `height` pixels, 32 bits a pixel: `format` is
    /// `CAIRO_FORMAT_RGB24` (opaque, 0x00RRGGBB) or `CAIRO_FORMAT_ARGB32`.
    static func image(width: Int, height: Int, format: cairo_format_t = CAIRO_FORMAT_RGB24) throws -> CairoSurface {
        try CairoSurface(
            taking: cairo_image_surface_create(format, Int32(width), Int32(height)),
            path: "<image \(width)x\(height)>")
    }

    /// An SVG file at `path`, `width` x `height` points.
    static func svg(path: String, width: Double, height: Double) throws -> CairoSurface {
        try CairoSurface(taking: cairo_svg_surface_create(path, width, height), path: path)
    }

    /// A one-page PDF file at `path`, `width` x `height` points.
    static func pdf(path: String, width: Double, height: Double) throws -> CairoSurface {
        try CairoSurface(taking: cairo_pdf_surface_create(path, width, height), path: path)
    }

    /// An image surface read from the PNG file at `path`.
    static func readingPNG(path: String) throws -> CairoSurface {
        try CairoSurface(taking: cairo_image_surface_create_from_png(path), path: path)
    }

    /// Width of an image surface in pixels.
    var imageWidth: Int { Int(cairo_image_surface_get_width(handle)) }
    /// Height of an image surface in pixels.
    var imageHeight: Int { Int(cairo_image_surface_get_height(handle)) }

    /// Calls `body` with the pixels of an image surface as 32-bit words, row by row,
    /// `rowStride` words apart, and tells cairo afterwards that they may have changed.
    func withPixels<T>(_ body: (_ pixels: UnsafeMutablePointer<UInt32>, _ rowStride: Int) throws -> T) throws -> T {
        cairo_surface_flush(handle)
        guard let data = cairo_image_surface_get_data(handle) else {
            throw PlotError.cairo(path: path, reason: "not an image surface")
        }
        let strideBytes = Int(cairo_image_surface_get_stride(handle))
        // cairo aligns rows of 32-bit formats to 4 bytes, so the rebinding is exact.
        let words = UnsafeMutableRawPointer(data).assumingMemoryBound(to: UInt32.self)
        defer { cairo_surface_mark_dirty(handle) }
        return try body(words, strideBytes / 4)
    }

    /// The colour of pixel (x, y) of an image surface, ignoring alpha.
    func pixel(x: Int, y: Int) throws -> RGBColor {
        precondition(x >= 0 && x < imageWidth && y >= 0 && y < imageHeight, "pixel (\(x), \(y)) outside the image")
        let word = try withPixels { pixels, stride in pixels[y * stride + x] }
        return RGBColor(
            red: Double((word >> 16) & 0xFF) / 255,
            green: Double((word >> 8) & 0xFF) / 255,
            blue: Double(word & 0xFF) / 255)
    }

    /// Writes an image surface as a PNG file.
    func writePNG(to path: String) throws {
        let status = cairo_surface_write_to_png(handle, path)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PlotError.cairo(path: path, reason: CairoSurface.describe(status))
        }
    }

    /// Finishes the surface: an SVG or PDF surface writes the rest of its file and closes it.
    /// Throws if cairo met an error at any point (e.g. the disk filled up).
    func finish() throws {
        cairo_surface_finish(handle)
        let status = cairo_surface_status(handle)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PlotError.cairo(path: path, reason: CairoSurface.describe(status))
        }
    }

    static func describe(_ status: cairo_status_t) -> String {
        guard let text = cairo_status_to_string(status) else { return "cairo status \(status.rawValue)" }
        return String(cString: text)
    }
}
