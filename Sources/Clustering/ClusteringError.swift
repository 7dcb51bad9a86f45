/// What went wrong in the Clustering target; each case names the bad value and what is valid.
public enum ClusteringError: Error, CustomStringConvertible, Equatable {
    /// The data do not hold `rows` x `dimension` values, or a size is not positive.
    case invalidShape(rows: Int, dimension: Int, valueCount: Int)
    /// A data value is NaN or infinite (row and column of the value, 0-based).
    case nonFiniteValue(row: Int, column: Int, value: Double)
    /// A distance is NaN or infinite (the pair of items, 0-based, i < j).
    case nonFiniteDistance(first: Int, second: Int, value: Double)
    /// A condensed matrix of `count` items needs count (count - 1) / 2 values.
    case condensedLength(count: Int, valueCount: Int)
    /// Clustering needs at least two items.
    case tooFewItems(count: Int)
    /// Ward, centroid and median linkage are defined on Euclidean distances only (as in SciPy).
    case requiresEuclidean(method: LinkageMethod, metric: DistanceMetric)
    /// Two inputs that must describe the same items have different lengths.
    case countMismatch(what: String, expected: Int, actual: Int)
    /// A flat clustering needs at least one cluster.
    case invalidClusterCount(Int)
    /// The silhouette needs between 2 and n - 1 distinct labels (as in scikit-learn).
    case invalidLabelCount(labels: Int, items: Int)
    /// A linkage matrix whose rows do not describe a binary tree over its leaves.
    case invalidLinkage(row: Int, reason: String)

    public var description: String {
        switch self {
        case .invalidShape(let rows, let dimension, let valueCount):
            return "data of \(rows) rows x \(dimension) columns needs rows >= 1, dimension >= 1 and "
                + "rows * dimension values, got \(valueCount) values"
        case .nonFiniteValue(let row, let column, let value):
            return "data value at row \(row), column \(column) is \(value); only finite values are valid"
        case .nonFiniteDistance(let first, let second, let value):
            return "distance between items \(first) and \(second) is \(value); only finite distances are valid"
        case .condensedLength(let count, let valueCount):
            return "a condensed distance matrix of \(count) items needs \(count) * (\(count) - 1) / 2 values "
                + "(count >= 0), got \(valueCount)"
        case .tooFewItems(let count):
            return "clustering needs at least 2 items, got \(count)"
        case .requiresEuclidean(let method, let metric):
            return "method '\(method.rawValue)' requires the distance metric to be Euclidean, got '\(metric.rawValue)'"
        case .countMismatch(let what, let expected, let actual):
            return "\(what): expected \(expected), got \(actual)"
        case .invalidClusterCount(let count):
            return "the number of clusters must be at least 1, got \(count)"
        case .invalidLabelCount(let labels, let items):
            return "the silhouette needs 2 to n - 1 = \(items - 1) distinct labels, got \(labels)"
        case .invalidLinkage(let row, let reason):
            return "linkage row \(row) is invalid: \(reason)"
        }
    }

    /// Equal when the descriptions are equal, so that a NaN payload equals itself.
    public static func == (lhs: ClusteringError, rhs: ClusteringError) -> Bool {
        lhs.description == rhs.description
    }
}
