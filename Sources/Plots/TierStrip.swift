/// One annotation tier drawn as a strip below a figure's plots, Praat-style: a thin vertical
/// line at every interval boundary, each label centred in its interval, the tier's name at the
/// left where the panels above have their tick labels.
///
/// Labels that do not fit their interval (with `labelMargin` clear of each boundary) are drawn
/// smaller, down to `style.minimumTierLabelSize`, and left out below it; silent intervals
/// (empty labels) are left blank. All labels of one size share a baseline, so a row of phones
/// reads level whatever their ascenders and descenders.
struct TierStrip {
    var tier: FigureTier
    /// Space kept clear between a label's ink and its interval's boundaries, in points.
    static let labelMargin = 2.0

    /// The font size for `label` in an interval `width` points wide in a strip `height`
    /// points tall: `style.tierLabelSize` (scaled down with strips lower than
    /// `style.tierHeight`), shrunk to fit the width; nil when that is below the minimum.
    static func labelSize(
        for label: String, width: Double, height: Double, on canvas: Canvas, style: FigureStyle
    ) -> Double? {
        guard !label.isEmpty else { return nil }
        var size = style.tierLabelSize * min(1, height / style.tierHeight)
        let available = width - 2 * labelMargin - style.boundaryWidth
        let inkWidth = canvas.inkSize(of: label, fontSize: size).width
        if inkWidth > available {
            // Unhinted text scales linearly with its size.
            size *= max(available, 0) / inkWidth
        }
        return size >= style.minimumTierLabelSize ? size : nil
    }

    /// The width the tier's name takes left of the strip, drawn like a tick label.
    func nameWidth(on canvas: Canvas, style: FigureStyle) -> Double {
        canvas.inkSize(of: tier.name, fontSize: style.axisTitleSize).width
    }

    /// Draws the strip in `rect`, placing times with `timeAxis` (the figure's shared axis).
    func draw(on canvas: Canvas, in rect: Rect, timeAxis: Axis, style: FigureStyle) {
        canvas.clipped(to: rect) {
            for time in tier.boundaries {
                let x = timeAxis.coordinate(of: time, along: rect)
                canvas.line(
                    from: Point(x: x, y: rect.minY), to: Point(x: x, y: rect.maxY), color: style.boundaryColor,
                    lineWidth: style.boundaryWidth)
            }
            for interval in tier.intervals {
                let left = timeAxis.coordinate(of: interval.start, along: rect)
                let right = timeAxis.coordinate(of: interval.end, along: rect)
                guard
                    let size = TierStrip.labelSize(
                        for: interval.label, width: right - left, height: rect.height, on: canvas, style: style)
                else { continue }
                // A baseline that centres "Hg" (cap height to descender) in the strip puts
                // lower-case letters, most of IPA, in the middle.
                let reference = canvas.extents(of: "Hg", fontSize: size)
                let baseline = rect.midY - (reference.top + reference.bottom) / 2
                canvas.draw(
                    text: interval.label, at: Point(x: (left + right) / 2, y: baseline), fontSize: size,
                    color: style.textColor, horizontal: .center, vertical: .baseline)
            }
        }
        canvas.stroke(rect, color: style.frameColor, lineWidth: style.lineWidth)
        canvas.draw(
            text: tier.name, at: Point(x: rect.minX - style.tickLength - style.tickLabelGap, y: rect.midY),
            fontSize: style.axisTitleSize, color: style.textColor, horizontal: .trailing, vertical: .center)
    }
}
