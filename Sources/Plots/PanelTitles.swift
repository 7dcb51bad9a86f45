/// The titles above the panels of a grid ("ʃ (n = 412)"), all on one baseline.
///
/// Concretely: the block above each frame is tall enough for the highest ascender and the
/// lowest descender among the titles (and "Hg"), so titles with and without descenders or
/// diacritics line up; a title wider than its panel shrinks to fit, down to
/// `style.minimumPanelTitleSize`, and is clipped to the panel's width below that.
struct PanelTitles {
    /// Distance from the baseline up to the highest ink and down to the lowest, in points.
    var ascent: Double
    var descent: Double
    var isEmpty: Bool

    init(_ titles: [String], on canvas: Canvas, style: FigureStyle) {
        let extents = (titles + ["Hg"]).map { canvas.extents(of: $0, fontSize: style.panelTitleSize) }
        ascent = -(extents.map(\.top).min() ?? 0)
        descent = max(extents.map(\.bottom).max() ?? 0, 0)
        isEmpty = titles.allSatisfy(\.isEmpty)
    }

    /// The height of the block above each frame, gap included; 0 when no panel has a title.
    func height(style: FigureStyle) -> Double {
        isEmpty ? 0 : ascent + descent + style.panelTitleGap
    }

    /// Draws `title` centred above `panel`.
    func draw(_ title: String, above panel: Rect, on canvas: Canvas, style: FigureStyle) {
        guard !title.isEmpty else { return }
        var size = style.panelTitleSize
        let width = canvas.inkSize(of: title, fontSize: size).width
        if width > panel.width {
            // Unhinted text scales linearly with its size.
            size = max(size * panel.width / width, style.minimumPanelTitleSize)
        }
        let baseline = panel.minY - style.panelTitleGap - descent
        let block = Rect(
            x: panel.minX, y: panel.minY - height(style: style), width: panel.width, height: height(style: style))
        canvas.clipped(to: block) {
            canvas.draw(
                text: title, at: Point(x: panel.midX, y: baseline), fontSize: size, color: style.textColor,
                horizontal: .center, vertical: .baseline)
        }
    }
}
