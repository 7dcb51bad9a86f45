/// Errors of the recogniser layer; each names the file or value and what would be valid.
public enum RecognizerError: Error, CustomStringConvertible, Equatable {
    case invalidAlphabet(reason: String)
    case characterOutsideAlphabet(source: String, character: Character, offset: Int, valid: String)
    case invalidConfig(path: String, reason: String)
    case unknownLayerType(path: String, layer: Int, type: String, valid: [String])
    case missingTensor(path: String, name: String)
    case unexpectedTensor(path: String, name: String, expected: [String])
    case tensorShapeMismatch(path: String, name: String, config: [Int], weights: [Int])
    case inputTooShort(source: String, frames: Int, required: Int, seconds: Double)
    case featureMismatch(source: String, got: Int, expected: Int)
    case noFeaturePreset(source: String)
    case noUtterances(corpus: String, split: String, reason: String)
    case invalidOption(name: String, value: String, valid: String)
    case checkpoint(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidAlphabet(let reason):
            return "invalid alphabet: \(reason)"
        case .characterOutsideAlphabet(let source, let character, let offset, let valid):
            let scalars = character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }
            return
                "\(source): character \"\(character)\" (\(scalars.joined(separator: " "))) at offset \(offset) is not in "
                + "the model's alphabet; valid: \"\(valid)\""
        case .invalidConfig(let path, let reason):
            return "\(path): \(reason)"
        case .unknownLayerType(let path, let layer, let type, let valid):
            return "\(path): layer \(layer) has unknown type \"\(type)\"; valid: \(valid.joined(separator: ", "))"
        case .missingTensor(let path, let name):
            return "\(path): tensor \"\(name)\" that config.json needs is missing"
        case .unexpectedTensor(let path, let name, let expected):
            return "\(path): tensor \"\(name)\" has no place in config.json's layers; expected only: "
                + expected.joined(separator: ", ")
        case .tensorShapeMismatch(let path, let name, let config, let weights):
            return "\(path): tensor \"\(name)\" has shape \(weights), but config.json needs \(config)"
        case .inputTooShort(let source, let frames, let required, let seconds):
            return
                "\(source): \(frames) feature frames are fewer than the model's receptive field of \(required) frames "
                + "(\(String(format: "%.2f", seconds)) s); give at least that much audio"
        case .featureMismatch(let source, let got, let expected):
            return "\(source): \(got) features per frame, but the model takes \(expected)"
        case .noFeaturePreset(let source):
            return "\(source): the model has no feature preset (imported with --num-features only), so it cannot "
                + "read audio; give a features .npy (frames x features) instead"
        case .noUtterances(let corpus, let split, let reason):
            return "\(corpus): no usable utterances in split \"\(split)\": \(reason)"
        case .invalidOption(let name, let value, let valid):
            return "\(name) \(value) is invalid; valid: \(valid)"
        case .checkpoint(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
