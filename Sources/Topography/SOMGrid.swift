/// The geometry of a map's cells: planar coordinates, neighbours and MiniSom's cell order.
///
/// Coordinates are MiniSom's `get_euclidean_coordinates()` with `x` along a row (the column
/// index) and `y` across rows. Rectangular: `(column, row)`. Hexagonal: rows `sqrt(3) / 2`
/// apart and every second row shifted left by half a cell, counting from the last row
/// (MiniSom's `_xx[::-2] -= 0.5`), so which rows are shifted depends on whether `rows` is even.
struct SOMGrid: Sendable, Equatable {
    let rows: Int
    let columns: Int
    let topology: SOMConfiguration.Topology

    var cellCount: Int { rows * columns }

    /// MiniSom's `Y_HEX_CONV_FACTOR`, `(3 / 2) / sqrt(3)`, computed as it does.
    static let hexagonalRowSpacing = (3.0 / 2.0) / 3.0.squareRoot()

    /// Whether `row` is shifted left by half a cell (hexagonal only).
    func isShifted(row: Int) -> Bool { topology == .hexagonal && (rows - 1 - row) % 2 == 0 }

    /// The planar x of a cell in `row`, `column`.
    func x(row: Int, column: Int) -> Double { Double(column) - (isShifted(row: row) ? 0.5 : 0) }

    /// The planar y of `row`.
    func y(row: Int) -> Double { topology == .hexagonal ? Double(row) * Self.hexagonalRowSpacing : Double(row) }

    /// MiniSom's flat index of a cell (`x * y_size + y`, column-major in our layout): the order in
    /// which its `argmin` breaks exact ties, which we follow.
    func miniSomIndex(_ cell: Int) -> Int { (cell % columns) * rows + cell / columns }

    /// Whether two distinct cells are neighbours: the 8 around a cell on a rectangular grid
    /// (MiniSom's topographic error counts distance <= 1.42), the 6 at distance 1 on a hexagonal one.
    func areNeighbours(_ a: Int, _ b: Int) -> Bool {
        let (ra, ca) = (a / columns, a % columns)
        let (rb, cb) = (b / columns, b % columns)
        if a == b { return false }
        switch topology {
        case .rectangular:
            return abs(ra - rb) <= 1 && abs(ca - cb) <= 1
        case .hexagonal:
            if ra == rb { return abs(ca - cb) == 1 }
            guard abs(ra - rb) == 1 else { return false }
            // Adjacent rows alternate shifts: a shifted row sees columns c - 1 and c of its
            // neighbours, an unshifted one c and c + 1.
            let offset = cb - ca
            return isShifted(row: ra) ? (offset == -1 || offset == 0) : (offset == 0 || offset == 1)
        }
    }

    /// The neighbours of `cell` inside the grid (8 or 6 for inner cells, fewer at the edges).
    func neighbours(of cell: Int) -> [Int] {
        let (row, column) = (cell / columns, cell % columns)
        var result: [Int] = []
        for r in max(row - 1, 0)...min(row + 1, rows - 1) {
            for c in max(column - 1, 0)...min(column + 1, columns - 1) {
                let other = r * columns + c
                if areNeighbours(cell, other) { result.append(other) }
            }
        }
        return result
    }
}
