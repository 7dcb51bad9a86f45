/// A point in the plane of a self-organising map, in cell units: x grows to the right and y
/// down the page, as columns and rows do.
public struct GridPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// The centres of a SOM's cells as `SOMGridFigure` draws them, cell `row * columns +
    /// column` at index `row * columns + column`: for `TopographicMapFigure.cellPositions`.
    ///
    /// Concretely: rectangular cells at (column, row); hexagonal ones at (column + 0.5 for
    /// odd rows, row x sqrt(3) / 2), so that every cell is 1 from its six neighbours.
    public static func cellCenters(rows: Int, columns: Int, topology: SOMGridFigure.Topology) -> [GridPoint] {
        let geometry = SOMCellGeometry(rows: rows, columns: columns, topology: topology)
        return (0..<max(rows, 0) * max(columns, 0)).map { cell in
            let center = geometry.center(row: cell / columns, column: cell % columns)
            return GridPoint(x: center.x - 0.5, y: center.y - geometry.firstRowCenterY)
        }
    }
}

/// Where the cells of a SOM grid lie, in cell units with the grid's top-left corner at (0, 0)
/// and y growing down: unit squares, or pointy-topped hexagons one unit across their flat
/// sides with odd rows shifted right by half a cell and rows sqrt(3) / 2 apart (the layout of
/// MiniSom's and the SOM Toolbox's hexagonal maps).
struct SOMCellGeometry {
    var rows: Int
    var columns: Int
    var topology: SOMGridFigure.Topology

    /// A hexagon's circumradius: 1 / sqrt(3), so that it is 1 across its flat sides.
    static let hexagonRadius = 1 / 3.0.squareRoot()
    /// The distance between hexagonal rows: 1.5 circumradii, sqrt(3) / 2.
    static let hexagonRowStep = 3.0.squareRoot() / 2

    private var isHexagonal: Bool { topology == .hexagonal }

    /// The grid's extent in cell units.
    var width: Double { Double(columns) + (isHexagonal && rows > 1 ? 0.5 : 0) }
    var height: Double {
        isHexagonal
            ? Double(rows - 1) * SOMCellGeometry.hexagonRowStep + 2 * SOMCellGeometry.hexagonRadius
            : Double(rows)
    }

    /// The y of row 0's centres.
    var firstRowCenterY: Double { isHexagonal ? SOMCellGeometry.hexagonRadius : 0.5 }

    func center(row: Int, column: Int) -> (x: Double, y: Double) {
        guard isHexagonal else { return (Double(column) + 0.5, Double(row) + 0.5) }
        let shift = row % 2 == 1 ? 0.5 : 0
        return (Double(column) + 0.5 + shift, Double(row) * SOMCellGeometry.hexagonRowStep + firstRowCenterY)
    }

    /// The cell's outline, clockwise from its top (hexagons) or top-left corner (squares).
    func outline(row: Int, column: Int) -> [(x: Double, y: Double)] {
        let (x, y) = center(row: row, column: column)
        guard isHexagonal else {
            return [(x - 0.5, y - 0.5), (x + 0.5, y - 0.5), (x + 0.5, y + 0.5), (x - 0.5, y + 0.5)]
        }
        let r = SOMCellGeometry.hexagonRadius
        return [
            (x, y - r), (x + 0.5, y - r / 2), (x + 0.5, y + r / 2), (x, y + r), (x - 0.5, y + r / 2),
            (x - 0.5, y - r / 2),
        ]
    }

    /// Half the width of the patch drawn in a hexagon; its half height follows (see `patchBox`).
    static let hexagonPatchHalfWidth = 0.4

    /// The rectangle a cell's patch fills, as (minX, minY, width, height) in cell units: a
    /// square cell inset by `inset` on each side, with `topStrip` more kept at the top (for
    /// the count); in a hexagon the largest centred rectangle 0.8 units wide (half height
    /// r (1 - 0.4), r the circumradius) inset by `inset` above and below, the count going in the cap above it.
    func patchBox(row: Int, column: Int, inset: Double, topStrip: Double) -> (
        x: Double, y: Double, width: Double, height: Double
    ) {
        let (x, y) = center(row: row, column: column)
        guard isHexagonal else {
            return (x - 0.5 + inset, y - 0.5 + inset + topStrip, 1 - 2 * inset, max(1 - 2 * inset - topStrip, 0))
        }
        let halfWidth = SOMCellGeometry.hexagonPatchHalfWidth
        let halfHeight = SOMCellGeometry.hexagonRadius * (1 - halfWidth) - inset
        return (x - halfWidth, y - halfHeight, 2 * halfWidth, 2 * halfHeight)
    }
}
