import Foundation
import Phonetics

/// Where a phoneme event sits among the events of its word, from the derived times alone (no
/// true times): its phoneme, and how long after the word's previous event and before its next
/// one it comes (nil at the word's first or last phoneme), in buckets of `gapEdges`.
///
/// CTC fires a letter somewhere inside or after the sound it spells, and where depends on the
/// context: a word-initial consonant after a pause is emitted later than one in a quick cluster,
/// and a phoneme whose neighbours fire close to it is short. The gaps to the neighbouring events
/// carry that information, so `LagCalibration` learns a lag per context.
public struct EventContext: Sendable, Equatable, Hashable {
    /// The phoneme without stress marks.
    public var phoneme: String
    /// Bucket of the time since the previous event of the same word (nil for the first).
    public var previousGap: Int?
    /// Bucket of the time to the next event of the same word (nil for the last).
    public var nextGap: Int?

    /// Bucket edges in seconds (one to four 16 ms CTC frames of the shipped models, then 96 ms).
    public static let gapEdges: [Double] = [0.016, 0.032, 0.048, 0.064, 0.096]

    public init(phoneme: String, previousGap: Int?, nextGap: Int?) {
        self.phoneme = EventScoring.normalized(phoneme)
        self.previousGap = previousGap
        self.nextGap = nextGap
    }

    /// The bucket of a gap of `seconds`: how many edges it exceeds (times on a frame grid
    /// compare with a microsecond of slack).
    public static func bucket(_ seconds: Double) -> Int { gapEdges.filter { seconds > $0 + 1e-6 }.count }

    /// The context of each event of one utterance (its events in order, words numbered).
    public static func contexts(of events: [PhonemeEvent]) -> [EventContext] {
        events.indices.map { i in
            let previous = i > 0 && events[i - 1].word == events[i].word ? events[i - 1].time : nil
            let next = i + 1 < events.count && events[i + 1].word == events[i].word ? events[i + 1].time : nil
            return EventContext(
                phoneme: events[i].phoneme, previousGap: previous.map { bucket(events[i].time - $0) },
                nextGap: next.map { bucket($0 - events[i].time) })
        }
    }

    /// "initial", "medial", "final", or "single" (a one-phoneme word).
    public var position: String {
        switch (previousGap, nextGap) {
        case (nil, nil): return "single"
        case (nil, _): return "initial"
        case (_, nil): return "final"
        default: return "medial"
        }
    }

    static func label(_ bucket: Int) -> String {
        let edges = Self.gapEdges
        if bucket < edges.count { return "<=\(Int((edges[bucket] * 1000).rounded()))ms" }
        return ">\(Int(((edges.last ?? 0) * 1000).rounded()))ms"
    }

    /// Keys from the most specific to the least, without repeats: phoneme, position and both
    /// gaps; phoneme, position and the previous gap; phoneme and position; phoneme alone
    /// (e.g. "n medial prev <=32ms next >96ms", ..., "n").
    public var keys: [String] {
        let previous = previousGap.map { " prev \(Self.label($0))" } ?? ""
        let next = nextGap.map { " next \(Self.label($0))" } ?? ""
        var keys: [String] = []
        for key in [
            "\(phoneme) \(position)\(previous)\(next)", "\(phoneme) \(position)\(previous)", "\(phoneme) \(position)",
            phoneme,
        ] where !keys.contains(key) {
            keys.append(key)
        }
        return keys
    }
}

/// The lag of a model's letter onsets behind the sounds: CTC emits a letter once it has heard
/// it, so onsets trail the phone they spell (by 35-40 ms median for the shipped models), by an
/// amount that depends on the phoneme and its context (`EventContext`).
///
/// Estimated on a calibration split with true segments: for every context key with at least
/// `minimumCount` same-label pairs, the lag that puts the most of those events inside their
/// true segments (the point covered by the most windows (time - end, time - start]); an event
/// takes the lag of its most specific estimated key, or `global` (the same estimate over all
/// pairs) when none was. `apply` subtracts each phoneme event's lag from its time and `global`
/// from letters and words (frames stay the onset frames).
public struct LagCalibration: Sendable, Codable, Equatable {
    public var global: Double
    /// Lag in seconds per context key (`EventContext.keys`).
    public var byContext: [String: Double]
    /// Calibration pairs per context key.
    public var counts: [String: Int]
    public var minimumCount: Int
    /// Where it was estimated (corpus and split), for the record.
    public var source: String

    /// One same-label pair of a calibration split: the event's context and time, and the true
    /// segment.
    public struct Pair: Sendable, Equatable {
        public var context: EventContext
        public var time: Double
        public var start: Double
        public var end: Double

        public init(context: EventContext, time: Double, start: Double, end: Double) {
            self.context = context
            self.time = time
            self.start = start
            self.end = end
        }
    }

    public init(
        global: Double, byContext: [String: Double], counts: [String: Int], minimumCount: Int, source: String
    ) {
        self.global = global
        self.byContext = byContext
        self.counts = counts
        self.minimumCount = minimumCount
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case global, byContext, counts, minimumCount, source
        /// The per-phoneme lags of earlier versions (phoneme keys, the least specific level).
        case byPhoneme
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        global = try c.decode(Double.self, forKey: .global)
        byContext =
            try c.decodeIfPresent([String: Double].self, forKey: .byContext)
            ?? c.decode([String: Double].self, forKey: .byPhoneme)
        counts = try c.decodeIfPresent([String: Int].self, forKey: .counts) ?? [:]
        minimumCount = try c.decodeIfPresent(Int.self, forKey: .minimumCount) ?? 1
        source = try c.decodeIfPresent(String.self, forKey: .source) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(global, forKey: .global)
        try c.encode(byContext, forKey: .byContext)
        try c.encode(counts, forKey: .counts)
        try c.encode(minimumCount, forKey: .minimumCount)
        try c.encode(source, forKey: .source)
    }

    /// Lags from the same-label pairs of a calibration split; nil without pairs.
    public static func estimate(from pairs: [Pair], minimumCount: Int = 10, source: String) -> LagCalibration? {
        guard !pairs.isEmpty else { return nil }
        var windows: [String: [(low: Double, high: Double)]] = [:]
        for pair in pairs {
            let window = (low: pair.time - pair.end, high: pair.time - pair.start)
            for key in pair.context.keys { windows[key, default: []].append(window) }
        }
        var byContext: [String: Double] = [:]
        for (key, values) in windows where values.count >= minimumCount { byContext[key] = bestLag(values) }
        return LagCalibration(
            global: bestLag(pairs.map { (low: $0.time - $0.end, high: $0.time - $0.start) }), byContext: byContext,
            counts: windows.mapValues(\.count), minimumCount: minimumCount, source: source)
    }

    /// The lag inside the most windows (low, high]: the middle of the first run of stretches
    /// between window ends covered by the most windows (ties go to the smaller lag).
    public static func bestLag(_ windows: [(low: Double, high: Double)]) -> Double {
        // Ends rounded to microseconds, so that ends equal but for rounding noise of frame
        // times meet instead of leaving slivers of a few ulps between them.
        func microseconds(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }
        var changes: [Double: Int] = [:]
        for w in windows {
            let low = microseconds(w.low)
            let high = microseconds(w.high)
            guard high > low else { continue }
            changes[low, default: 0] += 1
            changes[high, default: 0] -= 1
        }
        let points = changes.keys.sorted()
        guard points.count >= 2 else { return windows.first.map { ($0.low + $0.high) / 2 } ?? 0 }
        // Coverage on the open stretch (points[i], points[i + 1]).
        var coverage = 0
        var best = -1
        var bestRun = (start: points[0], end: points[1])
        var inBestRun = false
        for i in 0..<(points.count - 1) {
            coverage += changes[points[i], default: 0]
            if coverage > best {
                best = coverage
                bestRun = (points[i], points[i + 1])
                inBestRun = true
            } else if coverage == best && inBestRun {
                bestRun.end = points[i + 1]
            } else {
                inBestRun = false
            }
        }
        return (bestRun.start + bestRun.end) / 2
    }

    /// The lag of an event in `context`: its most specific estimated key, else `global`.
    public func lag(of context: EventContext) -> Double {
        for key in context.keys { if let lag = byContext[key] { return lag } }
        return global
    }

    /// Subtracts each phoneme event's lag (of its context among the uncalibrated events) from
    /// its time, and `global` from letters and words.
    public func apply(to events: inout UtteranceEvents) {
        let lags = EventContext.contexts(of: events.phonemes).map(lag(of:))
        for i in events.phonemes.indices { events.phonemes[i].time -= lags[i] }
        for i in events.letters.indices {
            events.letters[i].time -= global
            events.letters[i].end -= global
        }
        for i in events.words.indices {
            events.words[i].start -= global
            events.words[i].end -= global
        }
    }

    /// Same-label pairs of one utterance's uncalibrated events, for `estimate`.
    public static func pairs(events: [PhonemeEvent], truth: IntervalTier) -> [Pair] {
        let (pairs, phones) = EventScoring.pairs(events: events, truth: truth)
        let contexts = EventContext.contexts(of: events)
        return pairs.compactMap { pair in
            guard let e = pair.event, let p = pair.phone,
                EventScoring.normalized(events[e].phoneme) == EventScoring.normalized(phones[p].label)
            else { return nil }
            return Pair(context: contexts[e], time: events[e].time, start: phones[p].start, end: phones[p].end)
        }
    }
}
