/// Errors of activation profiles; each names the file, layer or value and says what is valid.
public enum ProfileError: Error, CustomStringConvertible, Equatable {
    case unknownLayer(value: String, valid: String)
    case invalidOption(name: String, value: String, valid: String)
    case nonFiniteActivation(utterance: String, layer: String, frame: Int, channel: Int)
    case incompatible(first: String, second: String, field: String, firstValue: String, secondValue: String)
    case invalidFile(path: String, reason: String)
    case noEvents(reason: String)
    case needsAlignments(option: String, reason: String)
    case exactStorageOverflow(layer: String, group: String)

    public var description: String {
        switch self {
        case .unknownLayer(let value, let valid):
            return "no layer \"\(value)\"; valid: \(valid)"
        case .invalidOption(let name, let value, let valid):
            return "\(name) \(value) is invalid; valid: \(valid)"
        case .nonFiniteActivation(let utterance, let layer, let frame, let channel):
            return
                "utterance \(utterance): layer \(layer) has a NaN or infinite activation (frame \(frame), channel \(channel)); the utterance is left out"
        case .incompatible(let first, let second, let field, let firstValue, let secondValue):
            return
                "\(first) and \(second) were made with different \(field) (\(firstValue) vs \(secondValue)); only profiles of the same model, corpus and options merge"
        case .invalidFile(let path, let reason):
            return "\(path): not a Phonoscope NAP file (\(reason))"
        case .noEvents(let reason):
            return "no events to profile: \(reason)"
        case .needsAlignments(let option, let reason):
            return "\(option) needs --alignments (the output of phonoscope align): \(reason)"
        case .exactStorageOverflow(let layer, let group):
            return
                "layer \(layer), group \(group): a sum is too large to store exactly (over 2^50); profile fewer utterances per file and merge"
        }
    }
}
