/// One tick on an axis: where it goes, in the axis's data coordinates, and what it says.
struct Tick: Equatable {
    var position: Double
    var label: String
}

/// An axis along one edge of a rectangle: outward tick marks, their labels and a title.
///
/// `range` gives the data coordinates at the rectangle's two ends (left to right for a
/// horizontal axis, bottom to top for a vertical one); the mapping in between is linear, so a
/// non-uniform axis (mel bins) is drawn by converting its tick values into the linear
/// coordinate first (see `BinFrequencyMapping`).
struct Axis {
    enum Edge { case bottom, left, right }

    var edge: Edge
    var range: ClosedRange<Double>
    var ticks: [Tick]
    var title: String
    /// Room kept for tick labels even when they are narrower (or shorter), so that the titles
    /// of axes stacked along one edge line up; 0 by default.
    var minimumLabelExtent = 0.0
    /// Tick labels turned `.upward` read from bottom to top, ending at their tick: crowded
    /// category labels along the bottom (phonemes per column). Only the bottom edge turns them.
    var labelRotation = Canvas.TextRotation.horizontal
    /// Horizontal labels along the bottom share one baseline, below the highest ascender,
    /// instead of each hanging from its own top, so that words and IPA ("p", "b", "ʃ") read
    /// level; numbers need not, their digits being one height.
    var sharesBaseline = false

    var isVertical: Bool { edge != .bottom }

    /// The rotation tick labels are drawn with: `labelRotation` on the bottom edge, else none.
    private var rotation: Canvas.TextRotation { edge == .bottom ? labelRotation : .horizontal }

    /// Where `position` falls along `rect`, as an x (bottom edge) or y (left and right edges).
    func coordinate(of position: Double, along rect: Rect) -> Double {
        let span = range.upperBound - range.lowerBound
        let fraction = span > 0 ? (position - range.lowerBound) / span : 0.5
        return isVertical ? rect.maxY - fraction * rect.height : rect.minX + fraction * rect.width
    }

    /// The size of the widest (vertical axes) or tallest (horizontal axis) tick label, or
    /// `minimumLabelExtent` if that is larger.
    func labelExtent(on canvas: Canvas, style: FigureStyle) -> Double {
        if let line = sharedBaseline(on: canvas, style: style) {
            return max(line.ascent + line.descent, minimumLabelExtent)
        }
        let rotation = self.rotation
        let measured = ticks.map { tick in
            let size = canvas.inkSize(of: tick.label, fontSize: style.tickLabelSize, rotation: rotation)
            return isVertical ? size.width : size.height
        }.max()
        return max(measured ?? 0, minimumLabelExtent)
    }

    /// With `sharesBaseline` on the bottom edge, unrotated: how far the labels' ink reaches
    /// above and below their common baseline; nil otherwise.
    private func sharedBaseline(on canvas: Canvas, style: FigureStyle) -> (ascent: Double, descent: Double)? {
        guard sharesBaseline, edge == .bottom, labelRotation == .horizontal, !ticks.isEmpty else { return nil }
        let extents = ticks.map { canvas.extents(of: $0.label, fontSize: style.tickLabelSize) }
        return (-(extents.map(\.top).min() ?? 0), max(extents.map(\.bottom).max() ?? 0, 0))
    }

    /// How far the axis reaches out from the rectangle's edge: ticks, labels and title.
    func thickness(on canvas: Canvas, style: FigureStyle) -> Double {
        var thickness = style.tickLength + style.tickLabelGap + labelExtent(on: canvas, style: style)
        if !title.isEmpty {
            let size = canvas.inkSize(
                of: title, fontSize: style.axisTitleSize, rotation: isVertical ? .upward : .horizontal)
            thickness += style.axisTitleGap + (isVertical ? size.width : size.height)
        }
        return thickness
    }

    /// Draws ticks, labels and title outside `rect` on this axis's edge. The frame line itself
    /// belongs to whatever draws the rectangle.
    func draw(on canvas: Canvas, along rect: Rect, style: FigureStyle) {
        let labelOffset = style.tickLength + style.tickLabelGap
        let baseline = sharedBaseline(on: canvas, style: style)
        for tick in ticks {
            let c = coordinate(of: tick.position, along: rect)
            let (start, end, labelPoint): (Point, Point, Point)
            let horizontal: Canvas.HorizontalAnchor
            let vertical: Canvas.VerticalAnchor
            switch edge {
            case .bottom:
                start = Point(x: c, y: rect.maxY)
                end = Point(x: c, y: rect.maxY + style.tickLength)
                labelPoint = Point(x: c, y: rect.maxY + labelOffset + (baseline?.ascent ?? 0))
                (horizontal, vertical) = (.center, baseline == nil ? .top : .baseline)
            case .left:
                start = Point(x: rect.minX, y: c)
                end = Point(x: rect.minX - style.tickLength, y: c)
                labelPoint = Point(x: rect.minX - labelOffset, y: c)
                (horizontal, vertical) = (.trailing, .center)
            case .right:
                start = Point(x: rect.maxX, y: c)
                end = Point(x: rect.maxX + style.tickLength, y: c)
                labelPoint = Point(x: rect.maxX + labelOffset, y: c)
                (horizontal, vertical) = (.leading, .center)
            }
            canvas.line(from: start, to: end, color: style.frameColor, lineWidth: style.lineWidth)
            canvas.draw(
                text: tick.label, at: labelPoint, fontSize: style.tickLabelSize, color: style.textColor,
                horizontal: horizontal, vertical: vertical, rotation: rotation)
        }
        guard !title.isEmpty else { return }
        let titleOffset = labelOffset + labelExtent(on: canvas, style: style) + style.axisTitleGap
        switch edge {
        case .bottom:
            canvas.draw(
                text: title, at: Point(x: rect.midX, y: rect.maxY + titleOffset), fontSize: style.axisTitleSize,
                color: style.textColor, horizontal: .center, vertical: .top)
        case .left:
            canvas.draw(
                text: title, at: Point(x: rect.minX - titleOffset, y: rect.midY), fontSize: style.axisTitleSize,
                color: style.textColor, horizontal: .trailing, vertical: .center, rotation: .upward)
        case .right:
            canvas.draw(
                text: title, at: Point(x: rect.maxX + titleOffset, y: rect.midY), fontSize: style.axisTitleSize,
                color: style.textColor, horizontal: .leading, vertical: .center, rotation: .upward)
        }
    }
}
