import Phonetics

/// The recogniser's output symbols in index order, one character each, with the CTC blank.
///
/// The symbol stored at `blankIndex` only labels the blank in files and plots; it never
/// appears in transcripts.
public struct Alphabet: Sendable, Equatable {
    public let labels: [Character]
    public let blankIndex: Int
    private let indices: [Character: Int]

    /// Throws when a label is repeated or the blank index lies outside the labels.
    public init(labels: [Character], blankIndex: Int) throws {
        guard labels.count >= 2 else {
            throw RecognizerError.invalidAlphabet(
                reason: "it has \(labels.count) symbol(s); a CTC alphabet needs at least one letter and a blank")
        }
        guard labels.indices.contains(blankIndex) else {
            throw RecognizerError.invalidAlphabet(
                reason:
                    "blank index \(blankIndex) is outside the \(labels.count) labels; valid: 0...\(labels.count - 1)"
            )
        }
        var indices: [Character: Int] = [:]
        for (index, label) in labels.enumerated() where index != blankIndex {
            if let earlier = indices[label] {
                throw RecognizerError.invalidAlphabet(
                    reason: "label \"\(label)\" appears at indices \(earlier) and \(index); each symbol must be unique")
            }
            indices[label] = index
        }
        self.labels = labels
        self.blankIndex = blankIndex
        self.indices = indices
    }

    /// SCIENCE.md's alphabets: a-z, space, apostrophe (German adds ä ö ü ß), blank last
    /// (29 outputs for English, 33 for German). German keeps English's first 28 indices, so an
    /// English model's output layer maps onto it letter by letter.
    public static func standard(for language: Language) -> Alphabet {
        var letters = Array("abcdefghijklmnopqrstuvwxyz '")
        if language == .de { letters += Array("äöüß") }
        // Distinct letters and the blank in range: the checks of `init(labels:blankIndex:)` hold.
        return Alphabet(checkedLabels: letters + ["_"], blankIndex: letters.count)
    }

    private init(checkedLabels: [Character], blankIndex: Int) {
        labels = checkedLabels
        self.blankIndex = blankIndex
        var indices: [Character: Int] = [:]
        for (index, label) in checkedLabels.enumerated() where index != blankIndex { indices[label] = index }
        self.indices = indices
    }

    public var count: Int { labels.count }

    /// The characters a transcript may use (every label but the blank).
    public var letters: String { String(labels.enumerated().filter { $0.offset != blankIndex }.map(\.element)) }

    /// The label indices of `text`; throws naming the first character outside the alphabet.
    public func encode(_ text: String, source: String = "transcript") throws -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(text.count)
        for (offset, character) in text.enumerated() {
            guard let index = indices[character] else {
                throw RecognizerError.characterOutsideAlphabet(
                    source: source, character: character, offset: offset, valid: letters)
            }
            result.append(index)
        }
        return result
    }

    /// The text of a label sequence (blanks dropped; no collapsing of repeats).
    public func decode(_ labels: [Int]) -> String {
        String(labels.compactMap { $0 == blankIndex || !self.labels.indices.contains($0) ? nil : self.labels[$0] })
    }

    /// Lower-cases `text` and maps characters the alphabet lacks but has a close form of
    /// (typographic apostrophes) - what a user would expect of a transcript typed by hand.
    public func normalize(_ text: String) -> String {
        text.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
    }
}
