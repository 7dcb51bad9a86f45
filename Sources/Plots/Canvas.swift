import CCairo
import Foundation

/// A drawing surface for one figure, `width` x `height` points, in one output format.
///
/// The canvas owns its cairo surface and context (see `CairoSurface` and `CairoContext` for
/// who frees what). Coordinates are points with y growing downward; a PNG canvas renders
/// `pixelsPerPoint` pixels per point, so the same drawing code serves all formats. Layers
/// (axes, heatmaps, colour bars) draw through the few primitives here and never call cairo
/// themselves, except `HeatmapLayer`, which fills a bitmap.
final class Canvas {
    let format: OutputFormat
    let width: Double
    let height: Double
    let pixelsPerPoint: Double
    /// The file the figure goes to (a temporary path while `AtomicFile` writes it).
    let path: String
    private let surface: CairoSurface
    private let context: CairoContext
    /// The font family for every label; DejaVu Sans ships with cairo on Debian.
    static let fontFamily = "DejaVu Sans"

    /// Opens a canvas that will write `format` to `path`: PNG figures are drawn in memory and
    /// written by `finish()`; SVG and PDF surfaces write to the file as they go.
    init(format: OutputFormat, path: String, width: Double, height: Double, pixelsPerPoint: Double = 2) throws {
        self.format = format
        self.width = width
        self.height = height
        self.pixelsPerPoint = format == .png ? pixelsPerPoint : 1
        self.path = path
        switch format {
        case .png:
            surface = try .image(
                width: Int((width * pixelsPerPoint).rounded()),
                height: Int((height * pixelsPerPoint).rounded()),
                format: CAIRO_FORMAT_RGB24)
        case .svg:
            surface = try .svg(path: path, width: width, height: height)
        case .pdf:
            surface = try .pdf(path: path, width: width, height: height)
        }
        context = try CairoContext(surface: surface)
        let cr = context.handle
        cairo_scale(cr, self.pixelsPerPoint, self.pixelsPerPoint)
        cairo_select_font_face(cr, Canvas.fontFamily, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        // Unhinted metrics make text measure the same in every format, so a figure's layout
        // does not depend on its extension. The options object is copied by cairo and freed
        // right away, so it needs no wrapper.
        if let options = cairo_font_options_create() {
            cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
            cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
            cairo_set_font_options(cr, options)
            cairo_font_options_destroy(options)
        }
    }

    /// Sets the PDF document title (shown by viewers); other formats ignore it.
    func setDocumentTitle(_ title: String) {
        guard format == .pdf else { return }
        cairo_pdf_surface_set_metadata(surface.handle, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface.handle, CAIRO_PDF_METADATA_CREATOR, "Phonoscope")
    }

    /// Completes the file: writes the PNG, or finishes the SVG or PDF. Throws on any cairo
    /// error met while drawing or writing.
    func finish() throws {
        try context.checkStatus()
        switch format {
        case .png:
            try surface.writePNG(to: path)
        case .svg:
            try surface.finish()
            try SVGImageRendering.markImagesPixelated(path: path)
        case .pdf:
            // cairo writes nearest-neighbour images with /Interpolate false itself.
            try surface.finish()
        }
    }

    // MARK: Shapes

    func fill(_ rect: Rect, color: RGBColor) {
        let cr = context.handle
        setColor(color)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_fill(cr)
    }

    func stroke(_ rect: Rect, color: RGBColor, lineWidth: Double) {
        let cr = context.handle
        setColor(color)
        cairo_set_line_width(cr, lineWidth)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_stroke(cr)
    }

    /// A straight line; `dash` alternates drawn and skipped lengths in points (empty: solid).
    func line(from start: Point, to end: Point, color: RGBColor, lineWidth: Double, dash: [Double] = []) {
        let cr = context.handle
        cairo_save(cr)
        setColor(color)
        cairo_set_line_width(cr, lineWidth)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        if !dash.isEmpty { cairo_set_dash(cr, dash, Int32(dash.count), 0) }
        cairo_move_to(cr, start.x, start.y)
        cairo_line_to(cr, end.x, end.y)
        cairo_stroke(cr)
        cairo_restore(cr)
    }

    /// Fills the closed polygon through `points` and strokes its outline in the same colour,
    /// so that a polygon with no area (a flat waveform) still shows as a line `lineWidth` wide.
    func fillAndStroke(polygon points: [Point], color: RGBColor, lineWidth: Double) {
        guard let first = points.first else { return }
        let cr = context.handle
        setColor(color)
        cairo_set_line_width(cr, lineWidth)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_move_to(cr, first.x, first.y)
        for point in points.dropFirst() { cairo_line_to(cr, point.x, point.y) }
        cairo_close_path(cr)
        cairo_fill_preserve(cr)
        cairo_stroke(cr)
    }

    /// An open line through `points` with round joins and caps, so a single point shows as a
    /// dot; `dash` as for `line`.
    func polyline(_ points: [Point], color: RGBColor, lineWidth: Double, dash: [Double] = []) {
        guard let first = points.first else { return }
        let cr = context.handle
        cairo_save(cr)
        setColor(color)
        cairo_set_line_width(cr, lineWidth)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
        if !dash.isEmpty { cairo_set_dash(cr, dash, Int32(dash.count), 0) }
        cairo_move_to(cr, first.x, first.y)
        if points.count == 1 { cairo_line_to(cr, first.x, first.y) }
        for point in points.dropFirst() { cairo_line_to(cr, point.x, point.y) }
        cairo_stroke(cr)
        cairo_restore(cr)
    }

    /// Fills the closed polygon through `points` with `color` at `opacity` (0 transparent,
    /// 1 opaque) over what is drawn already, e.g. a confidence band behind its line.
    func fill(polygon points: [Point], color: RGBColor, opacity: Double) {
        guard let first = points.first else { return }
        let cr = context.handle
        cairo_set_source_rgba(cr, color.red, color.green, color.blue, opacity)
        cairo_move_to(cr, first.x, first.y)
        for point in points.dropFirst() { cairo_line_to(cr, point.x, point.y) }
        cairo_close_path(cr)
        cairo_fill(cr)
    }

    /// A filled disc of `radius` points around `center`.
    func fillCircle(center: Point, radius: Double, color: RGBColor) {
        let cr = context.handle
        setColor(color)
        cairo_new_sub_path(cr)
        cairo_arc(cr, center.x, center.y, radius, 0, 2 * Double.pi)
        cairo_fill(cr)
    }

    /// Runs `body` with drawing restricted to `rect`, e.g. a panel whose data reach past its frame.
    func clipped(to rect: Rect, _ body: () throws -> Void) rethrows {
        let cr = context.handle
        cairo_save(cr)
        defer { cairo_restore(cr) }
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(cr)
        try body()
    }

    /// Draws `image` stretched over `rect`, each image pixel a sharp-edged block (nearest
    /// neighbour), so a matrix stays pixel-exact at any size and SVG/PDF embed only the
    /// matrix-sized bitmap.
    func draw(image: CairoSurface, in rect: Rect) {
        let cr = context.handle
        cairo_save(cr)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(cr)
        cairo_translate(cr, rect.x, rect.y)
        cairo_scale(cr, rect.width / Double(image.imageWidth), rect.height / Double(image.imageHeight))
        cairo_set_source_surface(cr, image.handle, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
        if format == .png {
            // pixman's fixed-point transform leaves a sliver of the rect unpainted when one
            // image pixel is stretched over thousands (a 1 x 1 matrix); padding fills it with
            // the edge cells, and the clip keeps it inside the rect. SVG and PDF draw the
            // image exactly and keep the default (which cairo's SVG output understands).
            cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD)
        }
        cairo_paint(cr)
        cairo_restore(cr)
    }

    private func setColor(_ color: RGBColor) {
        cairo_set_source_rgb(context.handle, color.red, color.green, color.blue)
    }

    // MARK: Text

    /// Where a label sits relative to the point it is drawn at, measured on its ink (the
    /// glyphs' drawn outline), on the page as the reader sees it.
    enum HorizontalAnchor { case leading, center, trailing }
    enum VerticalAnchor { case top, center, baseline, bottom }

    /// Text direction: along the line, or rotated to read from bottom to top (y-axis titles).
    enum TextRotation { case horizontal, upward }

    /// The ink box of `text` relative to its baseline origin, in points, unrotated.
    struct TextExtents {
        var left: Double
        var top: Double
        var width: Double
        var height: Double
        var right: Double { left + width }
        var bottom: Double { top + height }
    }

    func extents(of text: String, fontSize: Double) -> TextExtents {
        let cr = context.handle
        cairo_set_font_size(cr, fontSize)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        return TextExtents(
            left: extents.x_bearing, top: extents.y_bearing, width: extents.width, height: extents.height)
    }

    /// The size of `text`'s ink on the page, after rotation.
    func inkSize(of text: String, fontSize: Double, rotation: TextRotation = .horizontal) -> (
        width: Double, height: Double
    ) {
        let ink = extents(of: text, fontSize: fontSize)
        switch rotation {
        case .horizontal: return (ink.width, ink.height)
        case .upward: return (ink.height, ink.width)
        }
    }

    /// Draws `text` so that its ink's anchor point lands on `point`.
    func draw(
        text: String, at point: Point, fontSize: Double, color: RGBColor,
        horizontal: HorizontalAnchor, vertical: VerticalAnchor, rotation: TextRotation = .horizontal
    ) {
        guard !text.isEmpty else { return }
        let ink = extents(of: text, fontSize: fontSize)
        // The anchor point in the text's own (unrotated) coordinates.
        let anchorX: Double
        let anchorY: Double
        switch rotation {
        case .horizontal:
            switch horizontal {
            case .leading: anchorX = ink.left
            case .center: anchorX = ink.left + ink.width / 2
            case .trailing: anchorX = ink.right
            }
            switch vertical {
            case .top: anchorY = ink.top
            case .center: anchorY = ink.top + ink.height / 2
            case .baseline: anchorY = 0
            case .bottom: anchorY = ink.bottom
            }
        case .upward:
            // Rotated a quarter turn anticlockwise: the text's end points up the page and the
            // tops of its letters face left.
            switch vertical {
            case .top: anchorX = ink.right
            case .center, .baseline: anchorX = ink.left + ink.width / 2
            case .bottom: anchorX = ink.left
            }
            switch horizontal {
            case .leading: anchorY = ink.top
            case .center: anchorY = ink.top + ink.height / 2
            case .trailing: anchorY = ink.bottom
            }
        }
        let cr = context.handle
        cairo_save(cr)
        setColor(color)
        cairo_translate(cr, point.x, point.y)
        if rotation == .upward { cairo_rotate(cr, -Double.pi / 2) }
        cairo_move_to(cr, -anchorX, -anchorY)
        cairo_show_text(cr, text)
        cairo_restore(cr)
    }
}
