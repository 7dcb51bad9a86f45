/// The line of text above a figure's plots, e.g. the audio file's name.
enum FigureTitle {
    /// The height the title takes at the top, its gap below included; 0 for no title.
    static func height(of title: String, on canvas: Canvas, style: FigureStyle) -> Double {
        title.isEmpty ? 0 : canvas.inkSize(of: title, fontSize: style.titleSize).height + style.titleGap
    }

    /// Draws `title` with its ink's top at the outer padding, centred on `x` (the plots' middle).
    static func draw(_ title: String, centeredAt x: Double, on canvas: Canvas, style: FigureStyle) {
        canvas.draw(
            text: title, at: Point(x: x, y: style.outerPadding), fontSize: style.titleSize, color: style.textColor,
            horizontal: .center, vertical: .top)
    }
}
