import SeededRandom

/// UMAP's start for a fuzzy graph of several connected components, laid out as umap-learn's
/// `multi_component_layout` does: each component by its own spectral layout, around its own
/// place in the plane.
///
/// Concretely: the components' places ("meta embedding") are the unit vectors e_1 ... e_d,
/// -e_1 ... -e_d when there are at most 2 d components; with more, the first d principal
/// components of the components' centroids in the data, scaled to a largest coordinate of 1
/// (umap-learn uses a spectral embedding of the centroids' Gaussian affinities there; the
/// principal plane keeps the same idea, far centroids far apart, without another eigen
/// problem). Component c fills a box of half-width r_c = half the distance from its place to
/// the nearest other place: its spectral layout scaled to r_c, or, for components of fewer than
/// 2 d points (or whose solver fails), uniform random positions in the box.
enum ComponentLayout {
    static func layout(
        _ w: SparseSymmetricMatrix, points: PointSet, components d: Int, generator: inout SeededGenerator
    ) -> [Double] {
        let n = w.size
        let labels = SpectralLayout.componentLabels(w)
        let count = (labels.max() ?? 0) + 1
        let places = metaEmbedding(labels: labels, count: count, points: points, components: d)
        var layout = [Double](repeating: 0, count: n * d)
        for c in 0..<count {
            let members = (0..<n).filter { labels[$0] == c }
            var nearest = Double.infinity
            for other in 0..<count where other != c {
                let distance = (0..<d).reduce(0.0) {
                    $0 + (places[c * d + $1] - places[other * d + $1]) * (places[c * d + $1] - places[other * d + $1])
                }.squareRoot()
                if distance > 0 { nearest = min(nearest, distance) }
            }
            let radius = nearest.isFinite ? nearest / 2 : 1
            var own: [Double]?
            if members.count >= 2 * d && members.count > d + 1 {
                own = SpectralLayout.layout(subgraph(w, members: members), components: d, seed: generator.next())
            }
            for (local, i) in members.enumerated() {
                for k in 0..<d {
                    let offset: Double
                    if let own {
                        let largest = max(own.map(abs).max() ?? 1, 1e-300)
                        offset = own[local * d + k] * radius / largest
                    } else {
                        offset = -radius + 2 * radius * Gaussian.unit(&generator)
                    }
                    layout[i * d + k] = places[c * d + k] + offset
                }
            }
        }
        return layout
    }

    /// Where each component goes, count x d row-major.
    static func metaEmbedding(labels: [Int], count: Int, points: PointSet, components d: Int) -> [Double] {
        if count <= 2 * d {
            var units = [Double](repeating: 0, count: count * d)
            for c in 0..<count { units[c * d + c % d] = c < d ? 1 : -1 }
            return units
        }
        var centroids = [Double](repeating: 0, count: count * points.dimension)
        var sizes = [Double](repeating: 0, count: count)
        for (i, c) in labels.enumerated() {
            sizes[c] += 1
            for j in 0..<points.dimension { centroids[c * points.dimension + j] += points[i, j] }
        }
        for c in 0..<count { for j in 0..<points.dimension { centroids[c * points.dimension + j] /= sizes[c] } }
        guard points.dimension >= d,
            let set = try? PointSet(values: centroids, count: count, dimension: points.dimension),
            let pca = try? PrincipalComponents.fit(set, components: d), var places = try? pca.transform(set)
        else {
            // Too few dimensions for d components: the places on a grid, 8 to a row.
            var grid = [Double](repeating: 0, count: count * d)
            for c in 0..<count {
                grid[c * d] = Double(c % 8)
                if d > 1 { grid[c * d + 1] = Double(c / 8) }
            }
            return grid
        }
        let largest = places.map(abs).max() ?? 0
        if largest > 0 { places = places.map { $0 / largest } }
        return places
    }

    /// The graph restricted to `members` (increasing global indices), renumbered 0 ..< count.
    static func subgraph(_ w: SparseSymmetricMatrix, members: [Int]) -> SparseSymmetricMatrix {
        var local = [Int: Int]()
        for (index, i) in members.enumerated() { local[i] = index }
        var triplets: [(row: Int, column: Int, value: Double)] = []
        for (row, i) in members.enumerated() {
            for index in w.rowStart[i]..<w.rowStart[i + 1] {
                if let column = local[w.columns[index]] { triplets.append((row, column, w.values[index])) }
            }
        }
        return SparseSymmetricMatrix(size: members.count, triplets: triplets)
    }
}
