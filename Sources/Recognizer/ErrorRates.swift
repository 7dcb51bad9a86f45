/// The edits that turn a reference into a hypothesis (Levenshtein), counted by kind.
public struct EditCounts: Sendable, Equatable {
    public var substitutions = 0
    /// Reference tokens missing from the hypothesis.
    public var deletions = 0
    /// Hypothesis tokens not in the reference.
    public var insertions = 0

    public init(substitutions: Int = 0, deletions: Int = 0, insertions: Int = 0) {
        self.substitutions = substitutions
        self.deletions = deletions
        self.insertions = insertions
    }

    /// The Levenshtein distance: substitutions + deletions + insertions, each costing one.
    public var total: Int { substitutions + deletions + insertions }

    public static func + (lhs: Self, rhs: Self) -> Self {
        Self(
            substitutions: lhs.substitutions + rhs.substitutions, deletions: lhs.deletions + rhs.deletions,
            insertions: lhs.insertions + rhs.insertions)
    }
}

/// What an error rate counts: characters (CER) or words (WER).
///
/// Normalisation: none beyond what the caller gives. Text is compared as it is - no case
/// folding, no punctuation removal, no Unicode normalisation beyond Swift's `Character`
/// equality (which is canonical equivalence, so a precomposed "ä" equals "a" + combining
/// diaeresis). Characters are extended grapheme clusters and include spaces; words are the
/// maximal runs of non-whitespace characters (`Character.isWhitespace`: spaces, tabs, newlines,
/// no-break spaces), so leading, trailing and repeated whitespace never makes an empty word.
public enum TextUnit: String, Sendable, CaseIterable {
    case characters
    case words

    /// The edits between two texts in this unit, and the reference's length in this unit.
    public func edits(reference: String, hypothesis: String) -> (edits: EditCounts, referenceLength: Int) {
        switch self {
        case .characters:
            let (reference, hypothesis) = (Array(reference), Array(hypothesis))
            return (ErrorRate.editCounts(reference: reference, hypothesis: hypothesis), reference.count)
        case .words:
            let (reference, hypothesis) = (ErrorRate.words(reference), ErrorRate.words(hypothesis))
            return (ErrorRate.editCounts(reference: reference, hypothesis: hypothesis), reference.count)
        }
    }
}

/// Edit distances and error rates of recognised text against a reference.
///
/// Concretely: rate = (substitutions + deletions + insertions) / reference length, so it can
/// exceed 1 when the hypothesis has many insertions. An empty reference gives 0 when the
/// hypothesis is empty too and +infinity otherwise (there is nothing to divide by; report the
/// corpus-level rate of `ErrorRateAccumulator`, whose denominator is the whole corpus).
public enum ErrorRate {
    /// The fewest single-token substitutions, deletions and insertions that turn `reference`
    /// into `hypothesis`, counted by kind.
    ///
    /// Dynamic programming over two rows, O(n m) time and O(m) memory. Among alignments with
    /// the fewest edits the counts follow a fixed preference - match or substitution, then
    /// deletion, then insertion - so they are reproducible; the total never depends on it.
    public static func editCounts<Token: Equatable>(reference: [Token], hypothesis: [Token]) -> EditCounts {
        // previous[j]: counts for reference[..<i-1] against hypothesis[..<j]; current: for ..<i.
        var previous = (0...hypothesis.count).map { EditCounts(insertions: $0) }
        var current = previous
        for (i, referenceToken) in reference.enumerated() {
            current[0] = EditCounts(deletions: i + 1)
            for (j, hypothesisToken) in hypothesis.enumerated() {
                var diagonal = previous[j]
                if referenceToken != hypothesisToken { diagonal.substitutions += 1 }
                var deletion = previous[j + 1]
                deletion.deletions += 1
                var insertion = current[j]
                insertion.insertions += 1
                var best = diagonal
                if deletion.total < best.total { best = deletion }
                if insertion.total < best.total { best = insertion }
                current[j + 1] = best
            }
            swap(&previous, &current)
        }
        return previous[hypothesis.count]
    }

    /// The Levenshtein distance between two token sequences.
    public static func editDistance<Token: Equatable>(_ reference: [Token], _ hypothesis: [Token]) -> Int {
        editCounts(reference: reference, hypothesis: hypothesis).total
    }

    /// The words of a text: maximal runs of non-whitespace characters.
    public static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: \.isWhitespace)
    }

    /// Character error rate: character edits / reference characters (see `TextUnit`).
    public static func characterErrorRate(reference: String, hypothesis: String) -> Double {
        rate(of: .characters, reference: reference, hypothesis: hypothesis)
    }

    /// Word error rate: word edits / reference words, words split on whitespace (see `TextUnit`).
    public static func wordErrorRate(reference: String, hypothesis: String) -> Double {
        rate(of: .words, reference: reference, hypothesis: hypothesis)
    }

    /// The error rate of one utterance in `unit`.
    public static func rate(of unit: TextUnit, reference: String, hypothesis: String) -> Double {
        let (edits, length) = unit.edits(reference: reference, hypothesis: hypothesis)
        return ratio(edits.total, length)
    }

    /// edits / length, with the empty-reference rule: 0 / 0 = 0, n / 0 = +infinity.
    static func ratio(_ edits: Int, _ length: Int) -> Double {
        if length == 0 { return edits == 0 ? 0 : .infinity }
        return Double(edits) / Double(length)
    }
}

/// A corpus-level error rate: the sum of edits over the sum of reference lengths, so long
/// utterances weigh more than short ones (as the usual WER and CER scorers do), rather than a
/// mean of per-utterance rates.
public struct ErrorRateAccumulator: Sendable, Equatable {
    public let unit: TextUnit
    public private(set) var edits = EditCounts()
    public private(set) var referenceLength = 0
    public private(set) var utterances = 0

    public init(unit: TextUnit) {
        self.unit = unit
    }

    /// Adds one utterance.
    public mutating func add(reference: String, hypothesis: String) {
        let (utteranceEdits, length) = unit.edits(reference: reference, hypothesis: hypothesis)
        edits = edits + utteranceEdits
        referenceLength += length
        utterances += 1
    }

    /// Sum of edits / sum of reference lengths; 0 before any edit, +infinity when every
    /// reference was empty but some hypothesis was not.
    public var rate: Double { ErrorRate.ratio(edits.total, referenceLength) }
}
