import Foundation

/// Errors reading, writing or making corpora; each names the file, line or value and what
/// would be valid.
public enum CorpusError: Error, CustomStringConvertible, Equatable {
    case manifestLine(path: String, line: Int, reason: String)
    case duplicateID(path: String, line: Int, id: String)
    case invalidTranscript(path: String, line: Int, id: String, character: String, offset: Int, language: String)
    case missingFile(path: String, line: Int, id: String, file: String)
    case invalidParameter(name: String, value: String, valid: String)
    case foreignDirectory(path: String, reason: String)
    case synthesisFailed(id: String, reason: String)
    case librispeech(path: String, reason: String)
    case unknownUtterance(id: String, corpus: String)

    public var description: String {
        switch self {
        case .manifestLine(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        case .duplicateID(let path, let line, let id):
            return "\(path):\(line): the id \"\(id)\" appears twice; ids must be unique"
        case .invalidTranscript(let path, let line, let id, let character, let offset, let language):
            return
                "\(path):\(line): utterance \(id): character \"\(character)\" at offset \(offset) is outside the \(language) alphabet (valid: lower-case a-z, space, apostrophe\(language == "de" ? ", ä ö ü ß" : ""))"
        case .missingFile(let path, let line, let id, let file):
            return "\(path):\(line): utterance \(id): \(file) does not exist"
        case .invalidParameter(let name, let value, let valid):
            return "\(name) \(value) is invalid; valid: \(valid)"
        case .foreignDirectory(let path, let reason):
            return "\(path): \(reason); choose another directory or pass --force to replace its corpus"
        case .synthesisFailed(let id, let reason):
            return "utterance \(id): synthesis failed: \(reason)"
        case .librispeech(let path, let reason):
            return "\(path): \(reason)"
        case .unknownUtterance(let id, let corpus):
            return "\(corpus): no utterance with id \"\(id)\""
        }
    }
}
