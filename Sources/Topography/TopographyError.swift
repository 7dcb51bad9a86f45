/// What can go wrong when training or initialising a self-organising map; each case names the
/// offending value.
public enum TopographyError: Error, CustomStringConvertible, Equatable {
    /// A configuration value out of range (the message names it and the valid range).
    case invalidConfiguration(String)
    /// No items, or a dimension below 1.
    case emptyData(count: Int, dimension: Int)
    /// `data.count` is not `count * dimension`.
    case dimensionMismatch(expected: Int, actual: Int, count: Int, dimension: Int)
    /// A NaN or infinity at `item`, `feature`.
    case nonFiniteData(item: Int, feature: Int, value: Double)
    /// PCA initialisation needs at least 2 items and 2 features.
    case pcaNeedsTwoItemsAndFeatures(count: Int, dimension: Int)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message):
            return "invalid SOM configuration: \(message)"
        case .emptyData(let count, let dimension):
            return "SOM data has \(count) items of dimension \(dimension): need at least 1 item of dimension >= 1"
        case .dimensionMismatch(let expected, let actual, let count, let dimension):
            return "SOM data has \(actual) values, expected \(expected) (\(count) items x \(dimension) features)"
        case .nonFiniteData(let item, let feature, let value):
            return "SOM data item \(item), feature \(feature) is \(value): all values must be finite"
        case .pcaNeedsTwoItemsAndFeatures(let count, let dimension):
            return "PCA initialisation needs at least 2 items and 2 features, got \(count) x \(dimension)"
        }
    }
}
