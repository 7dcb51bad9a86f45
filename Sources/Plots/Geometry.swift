/// A point on a canvas, in points (1/72 inch), y growing downward as in cairo.
struct Point: Equatable {
    var x: Double
    var y: Double
}

/// An axis-aligned rectangle on a canvas, in points, y growing downward as in cairo.
struct Rect: Equatable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    var minX: Double { x }
    var maxX: Double { x + width }
    var minY: Double { y }
    var maxY: Double { y + height }
    var midX: Double { x + width / 2 }
    var midY: Double { y + height / 2 }
}
