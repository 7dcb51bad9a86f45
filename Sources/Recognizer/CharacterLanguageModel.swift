import Foundation

/// A character n-gram language model over a recogniser's labels, for shallow fusion in CTC
/// prefix beam search: P(next label | the previous n - 1 labels), with an end-of-sentence symbol.
///
/// Concretely: interpolated Witten-Bell smoothing (Witten & Bell 1991; Chen & Goodman 1998,
/// section 2.5). For a history h with count C(h) and T(h) distinct labels seen after it,
/// P(c | h) = (C(h c) + T(h) P(c | h')) / (C(h) + T(h)), h' being h without its oldest label;
/// a history never seen falls back to h'; the empty history interpolates with the uniform
/// distribution over the V symbols (the labels without the blank, plus the end). Sentences are
/// padded at the start with a begin symbol that is never predicted. Every distribution sums to 1
/// (tested by brute force).
///
/// The model is counted from transcripts (a corpus's train split) when a command needs it: a
/// few hundred thousand letters take well under a second, so no file format is needed.
public struct CharacterLanguageModel: Sendable {
    public let order: Int
    /// Symbols: the alphabet's classes (the blank is never predicted), `end` = classes, and
    /// `begin` = classes + 1 (history padding only).
    public let classes: Int
    public let blank: Int
    public var end: Int { classes }
    var begin: Int { classes + 1 }
    /// Per history (packed, see `key`): the total count, the count of each next symbol.
    private var totals: [UInt64: Int] = [:]
    private var next: [UInt64: [Int: Int]] = [:]

    /// Counts every transcript (label sequences without blanks), `order` >= 1 (1: unigram).
    public init(transcripts: [[Int]], classes: Int, blank: Int, order: Int = 6) throws {
        guard (1...10).contains(order) else {
            throw RecognizerError.invalidConfig(
                path: "language model", reason: "order \(order) is invalid; valid: 1 to 10")
        }
        guard !transcripts.isEmpty else {
            throw RecognizerError.invalidConfig(
                path: "language model", reason: "no transcripts to count; give at least one")
        }
        self.order = order
        self.classes = classes
        self.blank = blank
        for transcript in transcripts {
            var history = [Int](repeating: classes + 1, count: order - 1)
            for symbol in transcript + [classes] {
                precondition(symbol >= 0 && symbol <= classes && symbol != blank, "label \(symbol) out of range")
                for length in 0..<order {
                    let key = Self.key(history.suffix(length))
                    totals[key, default: 0] += 1
                    next[key, default: [:]][symbol, default: 0] += 1
                }
                if order > 1 {
                    history.removeFirst()
                    history.append(symbol)
                }
            }
        }
    }

    /// A history of at most 9 symbols (5 bits each, below 31 classes + 2) and its length, as one key.
    static func key(_ history: ArraySlice<Int>) -> UInt64 {
        var key = UInt64(history.count) << 56
        for (i, symbol) in history.enumerated() { key |= UInt64(symbol & 63) << (6 * UInt64(i)) }
        return key
    }

    /// The symbols the model predicts: every class but the blank, then the end.
    public var symbols: [Int] { (0..<classes).filter { $0 != blank } + [end] }

    /// P(`symbol` | `history`), the history's last `order - 1` labels used (fewer at the
    /// start of a sentence: pad with nothing, the begin symbol is added here).
    public func probability(of symbol: Int, after history: [Int]) -> Double {
        let padded = [Int](repeating: begin, count: max(0, order - 1 - history.count)) + history.suffix(order - 1)
        return probability(symbol, padded[...])
    }

    private func probability(_ symbol: Int, _ history: ArraySlice<Int>) -> Double {
        let lower = history.isEmpty ? 1 / Double(classes) : probability(symbol, history.dropFirst())
        let key = Self.key(history)
        guard let total = totals[key], let seen = next[key] else { return lower }
        let types = Double(seen.count)
        return (Double(seen[symbol] ?? 0) + types * lower) / (Double(total) + types)
    }

    /// log P of every class (the blank gets -infinity) and of the end, after `history`.
    public func logDistribution(after history: [Int]) -> (labels: [Double], end: Double) {
        var labels = [Double](repeating: -.infinity, count: classes)
        for c in 0..<classes where c != blank { labels[c] = Foundation.log(probability(of: c, after: history)) }
        return (labels, Foundation.log(probability(of: end, after: history)))
    }
}

/// Shallow fusion: a prefix's beam score is log p_CTC + `weight` log P_LM + `bonus` x its length
/// (the bonus offsets the LM's per-letter cost, which would otherwise favour short outputs),
/// minus `oovPenalty` for each of its words outside `lexicon` when there is one.
public struct LanguageModelFusion: Sendable {
    public var model: CharacterLanguageModel
    public var weight: Double
    public var bonus: Double
    public var lexicon: Lexicon?
    public var oovPenalty: Double

    public init(
        model: CharacterLanguageModel, weight: Double = 0.5, bonus: Double = 1, lexicon: Lexicon? = nil,
        oovPenalty: Double = 4
    ) {
        self.model = model
        self.weight = weight
        self.bonus = bonus
        self.lexicon = lexicon
        self.oovPenalty = oovPenalty
    }
}
