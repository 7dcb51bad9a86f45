import Foundation

/// What goes wrong with image models, data and explanations; each message names the file or
/// value and what would be valid.
public enum ExplainerError: Error, CustomStringConvertible, Equatable {
    case invalidModel(path: String, reason: String)
    case invalidDataset(path: String, reason: String)
    case wrongImageShape(path: String, shape: [Int], expected: String)
    case targetOutOfRange(target: Int, classes: Int)
    case unknownLayer(name: String, valid: [String])
    case invalidOption(name: String, value: String, valid: String)
    case baselineEqualsInput

    public var description: String {
        switch self {
        case .invalidModel(let path, let reason): return "\(path): \(reason)"
        case .invalidDataset(let path, let reason): return "\(path): \(reason)"
        case .wrongImageShape(let path, let shape, let expected):
            return
                "\(path): an image of shape \(shape.map(String.init).joined(separator: " x ")); the model takes \(expected)"
        case .targetOutOfRange(let target, let classes):
            return "target class \(target) is out of range; valid: 0 to \(classes - 1)"
        case .unknownLayer(let name, let valid):
            return "no layer \"\(name)\"; valid: \(valid.joined(separator: ", "))"
        case .invalidOption(let name, let value, let valid):
            return "\(name) \(value) is invalid; valid: \(valid)"
        case .baselineEqualsInput:
            return "the baseline equals the input, so integrated gradients are zero by construction; "
                + "valid: a baseline that differs from the input (e.g. --baseline zeros for a non-blank image)"
        }
    }
}
