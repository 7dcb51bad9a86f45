/// One labelled stretch of time in an annotation tier, e.g. a word or a phone.
///
/// Times are in seconds from the start of the audio; an empty `label` marks silence (or
/// anything unlabelled) and is drawn blank. Plots knows nothing about TextGrids or corpora:
/// callers convert their alignments into these plain values.
public struct FigureInterval: Sendable, Equatable {
    /// Start time in seconds.
    public var start: Double
    /// End time in seconds, after `start`.
    public var end: Double
    /// The text shown centred in the interval (UTF-8, IPA welcome); empty for silence.
    public var label: String

    public init(start: Double, end: Double, label: String) {
        self.start = start
        self.end = end
        self.label = label
    }
}

/// A named annotation tier: intervals in time order, e.g. "words" or "phones".
///
/// Intervals must not overlap and must be sorted by time; gaps between them are allowed and
/// drawn like silence.
public struct FigureTier: Sendable, Equatable {
    /// Shown at the left of the tier's strip, where the y-axis labels of the panels above go.
    public var name: String
    public var intervals: [FigureInterval]

    public init(name: String, intervals: [FigureInterval]) {
        self.name = name
        self.intervals = intervals
    }

    /// The times where an interval starts or ends, each once, in order.
    var boundaries: [Double] {
        var result: [Double] = []
        for interval in intervals {
            for time in [interval.start, interval.end] where result.last != time {
                result.append(time)
            }
        }
        return result
    }
}
