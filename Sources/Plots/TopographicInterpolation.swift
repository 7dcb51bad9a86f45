/// Values known at scattered points (SOM cell centres) spread over a regular grid of samples,
/// the way EEG scalp maps spread electrode values over the head.
///
/// Concretely (modified Shepard interpolation, Franke and Nielson 1980): with d the smallest
/// distance between two points and R = 1.5 d, a sample at distance r_i < R from point i gets
/// sum(w_i v_i) / sum(w_i) over the points with finite values, w_i = ((R - r_i) / (R r_i))^2;
/// the weights fall to 0 at R, so the map is continuous, and a sample on a point takes that
/// point's value exactly. On a grid of cells every sample has its nearest cells within R.
/// Samples farther than 1.15 d from every point are outside the map (on a regular grid, square or
/// hexagonal, none of the box below is: the map is a clean rectangle; scattered points get a
/// ragged edge); samples inside with no finite value within R are NaN.
///
/// The samples are square pixels on a lattice `step` apart, `resolution` along the longer
/// side of the points' bounding box grown by d / 2 on every side, the first and last samples
/// on the box's edges (as `numpy.linspace`): so evenly spaced points land on samples when
/// the spacing is a multiple of `step`.
struct TopographicInterpolation {
    /// Samples across and down; sample (column, row) is at `origin` + (column, row) x `step`.
    var columns: Int
    var rows: Int
    var origin: GridPoint
    var step: Double
    /// Per sample, row-major from the top: whether it lies on the map.
    var inside: [Bool]
    /// Per sample: the points within R and their weights; a weight of +infinity marks the
    /// point the sample lies on.
    var neighbours: [[(point: Int, weight: Double)]]
    /// The smallest distance between two distinct points (1 for a single point).
    var spacing: Double

    /// The radius of influence and the edge of the map, in units of `spacing`.
    static let radius = 1.5
    /// Just over sqrt(5) / 2: the box's corner beyond the end of a hexagonal grid's unshifted
    /// row is that far from its nearest centre, and stays inside.
    static let edge = 1.15

    init(points: [GridPoint], resolution: Int) {
        precondition(!points.isEmpty && resolution >= 2, "interpolation needs a point and two samples a side")
        var spacing = Double.infinity
        for i in points.indices {
            for j in points.indices where j > i {
                let distance = TopographicInterpolation.distance(points[i], points[j])
                if distance > 0 { spacing = min(spacing, distance) }
            }
        }
        if !spacing.isFinite { spacing = 1 }
        self.spacing = spacing
        let margin = spacing / 2
        let minX = (points.map(\.x).min() ?? 0) - margin
        let maxX = (points.map(\.x).max() ?? 0) + margin
        let minY = (points.map(\.y).min() ?? 0) - margin
        let maxY = (points.map(\.y).max() ?? 0) + margin
        let long = max(maxX - minX, maxY - minY)
        let step = long / Double(resolution - 1)
        let columns = Int(((maxX - minX) / step).rounded()) + 1
        let rows = Int(((maxY - minY) / step).rounded()) + 1
        self.columns = columns
        self.rows = rows
        self.step = step
        // The shorter side is centred on the box.
        origin = GridPoint(
            x: (minX + maxX) / 2 - Double(columns - 1) * step / 2, y: (minY + maxY) / 2 - Double(rows - 1) * step / 2)
        let radius = TopographicInterpolation.radius * spacing
        let edge = TopographicInterpolation.edge * spacing
        var inside = [Bool](repeating: false, count: columns * rows)
        var neighbours = [[(point: Int, weight: Double)]](repeating: [], count: columns * rows)
        for row in 0..<rows {
            for column in 0..<columns {
                let sample = GridPoint(x: origin.x + Double(column) * step, y: origin.y + Double(row) * step)
                let index = row * columns + column
                var nearest = Double.infinity
                for (point, position) in points.enumerated() {
                    let distance = TopographicInterpolation.distance(sample, position)
                    nearest = min(nearest, distance)
                    guard distance < radius else { continue }
                    let weight: Double
                    if distance <= 1e-9 * spacing {
                        weight = .infinity
                    } else {
                        let w = (radius - distance) / (radius * distance)
                        weight = w * w
                    }
                    neighbours[index].append((point, weight))
                }
                inside[index] = nearest <= edge
            }
        }
        self.inside = inside
        self.neighbours = neighbours
    }

    static func distance(_ a: GridPoint, _ b: GridPoint) -> Double {
        ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }

    /// The samples of `values` (one per point, NaN for none), row-major from the top.
    func samples(of values: [Double]) -> [Float] {
        neighbours.map { list in
            if let exact = list.first(where: { $0.weight.isInfinite }), values[exact.point].isFinite {
                return Float(values[exact.point])
            }
            var sum = 0.0
            var total = 0.0
            for (point, weight) in list where weight.isFinite && values[point].isFinite {
                sum += weight * values[point]
                total += weight
            }
            return total > 0 ? Float(sum / total) : .nan
        }
    }
}
