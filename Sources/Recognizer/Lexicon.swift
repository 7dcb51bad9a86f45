import Foundation

/// A word list for lexicon fusion in CTC prefix beam search: the words as a trie over the
/// recogniser's labels, so that the decoder can tell after every letter whether the word it is
/// spelling can still become a word of the list.
///
/// Concretely: a prefix of the beam carries a state, the trie node of its current (last,
/// unfinished) word, or `outside` once that word has left every word of the list. A label that
/// leaves the list, and a separator or the end of the sentence that closes a word that is only a
/// prefix of listed words, costs the fusion's `oovPenalty` once per word; words of the list cost
/// nothing. So a labelling's lexicon score is -penalty x (its words not in the list), which the
/// tests check by brute force. The penalty is soft: words outside the list can still win when the
/// acoustics insist, as names and new compounds must.
public struct Lexicon: Sendable {
    /// The label that separates words (the alphabet's space).
    public let separator: Int
    public let classes: Int
    /// Distinct words in the list.
    public private(set) var wordCount = 0
    /// node * classes + label -> child node; node 0 is the empty word.
    private var children: [Int: Int32] = [:]
    private var isWord: [Bool] = [false]

    /// The state of a prefix whose last word is no longer in the list.
    public static let outside = -1
    /// The state at the start of a word.
    public static let wordStart = 0

    /// The trie of `words` (label sequences without the separator or blank).
    ///
    /// - Throws: `RecognizerError.invalidConfig` for an empty list or a word with the separator
    ///   or a label out of range.
    public init(words: [[Int]], classes: Int, separator: Int) throws {
        guard separator >= 0 && separator < classes else {
            throw RecognizerError.invalidConfig(
                path: "lexicon", reason: "separator \(separator) is invalid; valid: a label below \(classes)")
        }
        self.separator = separator
        self.classes = classes
        for word in words where !word.isEmpty {
            var node = Self.wordStart
            for label in word {
                guard label >= 0 && label < classes && label != separator else {
                    throw RecognizerError.invalidConfig(
                        path: "lexicon",
                        reason: "word \(word) has label \(label); valid: labels below \(classes) other than the "
                            + "separator \(separator)")
                }
                let key = node * classes + label
                if let child = children[key] {
                    node = Int(child)
                } else {
                    children[key] = Int32(isWord.count)
                    node = isWord.count
                    isWord.append(false)
                }
            }
            if !isWord[node] {
                isWord[node] = true
                wordCount += 1
            }
        }
        guard wordCount > 0 else {
            throw RecognizerError.invalidConfig(path: "lexicon", reason: "no words; give at least one")
        }
    }

    /// Trie nodes (prefixes of listed words, the empty one included).
    public var nodeCount: Int { isWord.count }

    /// Whether `word` (labels) is in the list.
    public func contains(_ word: [Int]) -> Bool {
        var state = Self.wordStart
        for label in word {
            guard let child = children[state * classes + label] else { return false }
            state = Int(child)
        }
        return !word.isEmpty && isWord[state]
    }

    /// The state after `label` from `state`, and whether this step puts a word outside the list
    /// (the step that pays the penalty).
    public func step(_ state: Int, _ label: Int) -> (state: Int, leaves: Bool) {
        if label == separator { return (Self.wordStart, closesOutside(state)) }
        guard state != Self.outside else { return (Self.outside, false) }
        guard let child = children[state * classes + label] else { return (Self.outside, true) }
        return (Int(child), false)
    }

    /// Whether ending the current word in `state` (by a separator or the end of the sentence)
    /// leaves a word that is only a prefix of listed words. Empty words (the sentence's start,
    /// double separators) and words already outside cost nothing more.
    public func closesOutside(_ state: Int) -> Bool { state > Self.wordStart && !isWord[state] }
}
