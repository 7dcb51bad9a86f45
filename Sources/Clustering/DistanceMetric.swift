/// The distances between observations, spelled as in `scipy.spatial.distance.pdist`.
///
/// Concretely, for rows u and v:
/// - `euclidean`: sqrt(sum (u - v)^2);
/// - `cosine`: 1 - u.v / (|u| |v|), clipped to [0, 2];
/// - `correlation`: the cosine distance of the mean-centred rows u - mean(u), v - mean(v).
///
/// Zero vectors (for `correlation`: constant rows, zero once centred) have no direction; SciPy
/// returns NaN there. Here the distance between two zero vectors is 0 and between a zero vector
/// and any other vector is 1 (the distance of orthogonal vectors), so clustering never sees NaN.
public enum DistanceMetric: String, Sendable, CaseIterable {
    case euclidean
    case cosine
    case correlation
}
