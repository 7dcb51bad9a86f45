import Foundation
import Phonetics

/// Scores derived phoneme events against true phone segments (a TextGrid's `phones` tier).
///
/// Matching: the utterance's derived phonemes and its true (non-silent) phones are aligned as
/// sequences by Needleman-Wunsch (equal labels 1, others -1, gaps -1; stress marks ignored),
/// so each event is compared with the true segment of its place in the sequence. An event
/// counts as "in its segment" when it is paired with a true phone of the same label and its
/// time lies in [start, end) of that phone. Offsets and boundaries are measured on those
/// same-label pairs: offset = |event - segment centre|, boundary = |derived start - true start|,
/// where a derived phone covers its event's `EventDerivation.segments` stretch (boundaries
/// halfway between consecutive events of a word). Coverage is the share of true phones paired
/// with a derived event of the same label.
public struct EventScore: Sendable, Codable, Equatable {
    /// Derived events, and how many lie in the true segment of the same phoneme.
    public var events = 0
    public var inSegment = 0
    /// True phones, and how many got a same-label event.
    public var truePhones = 0
    public var covered = 0
    /// |event - true centre| and |event - true start| of same-label pairs, in seconds.
    public var offsets: [Double] = []
    public var boundaryErrors: [Double] = []

    public init() {}

    public mutating func add(_ other: EventScore) {
        events += other.events
        inSegment += other.inSegment
        truePhones += other.truePhones
        covered += other.covered
        offsets += other.offsets
        boundaryErrors += other.boundaryErrors
    }

    /// The summary numbers of the issue, with ms for times (nil where nothing was measured).
    public var summary: [String: Double?] {
        [
            "events": Double(events), "true_phones": Double(truePhones),
            "events_in_segment": events > 0 ? Double(inSegment) / Double(events) : nil,
            "coverage": truePhones > 0 ? Double(covered) / Double(truePhones) : nil,
            "median_offset_ms": Self.quantile(offsets, 0.5).map { $0 * 1000 },
            "p90_offset_ms": Self.quantile(offsets, 0.9).map { $0 * 1000 },
            "boundaries_within_20ms": share(boundaryErrors, within: 0.020),
            "boundaries_within_40ms": share(boundaryErrors, within: 0.040),
        ]
    }

    func share(_ values: [Double], within limit: Double) -> Double? {
        values.isEmpty ? nil : Double(values.filter { $0 <= limit + 1e-12 }.count) / Double(values.count)
    }

    /// Linear interpolation between order statistics (NumPy's default quantile).
    static func quantile(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
}

public enum EventScoring {
    /// A phoneme label without stress marks.
    public static func normalized(_ label: String) -> String { label.filter { $0 != "ˈ" && $0 != "ˌ" } }

    /// The derived events paired with true phones (indices into `events` and into the
    /// non-silent intervals of `truth`; nil for an unpaired one).
    public static func pairs(events: [PhonemeEvent], truth: IntervalTier) -> (
        pairs: [(event: Int?, phone: Int?)], phones: [Interval]
    ) {
        let phones = truth.intervals.filter { !normalized($0.label).isEmpty }
        let derived = events.map { normalized($0.phoneme) }
        let alignment = NeedlemanWunsch.align(
            Array(derived.indices), Array(phones.indices), gap: .linear(-1),
            score: { derived[$0] == normalized(phones[$1].label) ? 1 : -1 })
        return (alignment.pairs.map { ($0.a, $0.b) }, phones)
    }

    /// Scores one utterance, overall and per phonetic class (of the true phone for paired
    /// events and true phones, of the derived label for unpaired events).
    public static func score(events: [PhonemeEvent], truth: IntervalTier) -> (
        all: EventScore, byClass: [String: EventScore]
    ) {
        let (pairs, phones) = self.pairs(events: events, truth: truth)
        let derived = events.map { normalized($0.phoneme) }
        let segments = EventDerivation.segments(events.map { ($0.word, $0.time) })
        var all = EventScore()
        var byClass: [String: EventScore] = [:]
        func className(_ label: String) -> String { PhonemeInventory.phoneme(label)?.phoneticClass.rawValue ?? "other" }
        for pair in pairs {
            var score = EventScore()
            var label = ""
            if let e = pair.event {
                score.events = 1
                label = derived[e]
            }
            if let p = pair.phone {
                score.truePhones = 1
                label = normalized(phones[p].label)
            }
            if let e = pair.event, let p = pair.phone, derived[e] == normalized(phones[p].label) {
                let phone = phones[p]
                let time = events[e].time
                score.covered = 1
                if time >= phone.start && time < phone.end { score.inSegment = 1 }
                score.offsets = [abs(time - (phone.start + phone.end) / 2)]
                score.boundaryErrors = [abs(segments[e].start - phone.start)]
            }
            all.add(score)
            byClass[className(label), default: EventScore()].add(score)
        }
        return (all, byClass)
    }
}
