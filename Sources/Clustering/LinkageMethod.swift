/// How the distance between two clusters follows from the distances of their members, spelled
/// as in `scipy.cluster.hierarchy.linkage`.
///
/// Concretely, when clusters x and y (sizes n_x, n_y) merge, the distance to another cluster i
/// (size n_i) becomes (Lance-Williams updates, d_xy the merge height):
/// - `single`: min(d_xi, d_yi); `complete`: max(d_xi, d_yi);
/// - `average` (UPGMA): (n_x d_xi + n_y d_yi) / (n_x + n_y); `weighted` (WPGMA): (d_xi + d_yi) / 2;
/// - `centroid` (UPGMC): sqrt((n_x d_xi^2 + n_y d_yi^2 - n_x n_y d_xy^2 / (n_x + n_y)) / (n_x + n_y));
/// - `median` (WPGMC): sqrt(d_xi^2 / 2 + d_yi^2 / 2 - d_xy^2 / 4);
/// - `ward`: sqrt(((n_i + n_x) d_xi^2 + (n_i + n_y) d_yi^2 - n_i d_xy^2) / (n_x + n_y + n_i)).
///
/// `centroid`, `median` and `ward` are meaningful for Euclidean distances only.
public enum LinkageMethod: String, Sendable, CaseIterable {
    case single
    case complete
    case average
    case weighted
    case centroid
    case median
    case ward

    /// Whether the method is defined on Euclidean distances only (SciPy refuses other metrics).
    public var requiresEuclidean: Bool {
        switch self {
        case .centroid, .median, .ward: return true
        case .single, .complete, .average, .weighted: return false
        }
    }

    /// The distance from the merge of x and y to cluster i, in SciPy's order of operations so that
    /// ties break as SciPy breaks them.
    @inline(__always)
    func updated(xi: Double, yi: Double, xy: Double, sizeX: Double, sizeY: Double, sizeI: Double) -> Double {
        switch self {
        case .single:
            return min(xi, yi)
        case .complete:
            return max(xi, yi)
        case .average:
            return (sizeX * xi + sizeY * yi) / (sizeX + sizeY)
        case .weighted:
            return 0.5 * (xi + yi)
        case .centroid:
            return
                ((((sizeX * xi * xi) + (sizeY * yi * yi)) - (sizeX * sizeY * xy * xy) / (sizeX + sizeY))
                / (sizeX + sizeY)).squareRoot()
        case .median:
            return (0.5 * (xi * xi + yi * yi) - 0.25 * xy * xy).squareRoot()
        case .ward:
            let t = 1.0 / (sizeX + sizeY + sizeI)
            return ((sizeI + sizeX) * t * xi * xi + (sizeI + sizeY) * t * yi * yi - sizeI * t * xy * xy).squareRoot()
        }
    }
}
