import Foundation
import Phonetics

/// The choices SCIENCE.md ("Events") leaves open, each with its default.
public struct EventOptions: Sendable, Codable, Equatable {
    /// Where letter onsets come from: the forced (Viterbi) path of the transcript, or the greedy
    /// path, whose letters are matched to the transcript's by Needleman-Wunsch.
    public enum Path: String, Sendable, Codable, CaseIterable { case forced, greedy }
    /// A phoneme's time: the onset of its aligned letter, or the mean onset of that letter and
    /// the silent letters after it ("gh" of "night" goes with i).
    public enum PhonemeTime: String, Sendable, Codable, CaseIterable { case first, mean }
    /// A phoneme aligned to no letter (one of k s for "x"): it takes the time of the next
    /// phoneme in the word that has a letter (the previous one at a word's end), or it is
    /// dropped. Needleman-Wunsch here breaks ties towards the gap first, (-, k)(x, s), so the
    /// next phoneme's letter is usually the one that spells it.
    public enum GapPhonemes: String, Sendable, Codable, CaseIterable { case inherit, drop }

    public var path: Path = .forced
    public var phonemeTime: PhonemeTime = .first
    public var gapPhonemes: GapPhonemes = .inherit
    /// Seconds added to every event time (0: the centre of the onset frame's receptive field).
    public var shift: Double = 0

    public init() {}
}

/// A letter of the transcript at its onset: the first output frame of its run on the path.
public struct LetterEvent: Sendable, Codable, Equatable {
    public var letter: String
    /// Index of the word in the transcript.
    public var word: Int
    /// First and last output frame of the letter's run.
    public var frame: Int
    public var lastFrame: Int
    /// Seconds: the onset frame's time, and the end of the last frame.
    public var time: Double
    public var end: Double
}

/// A phoneme at the time derived from its letter(s).
public struct PhonemeEvent: Sendable, Codable, Equatable {
    public var phoneme: String
    public var word: Int
    /// The letters it was aligned with ("" for a phoneme aligned to a gap).
    public var letters: String
    public var frame: Int
    public var time: Double
}

/// A word of the transcript: its first letter's onset to its last letter's end.
public struct WordSpan: Sendable, Codable, Equatable {
    public var word: String
    public var start: Double
    public var end: Double
}

/// Everything derived for one utterance.
public struct UtteranceEvents: Sendable, Codable, Equatable {
    public var id: String
    public var words: [WordSpan]
    public var letters: [LetterEvent]
    public var phonemes: [PhonemeEvent]
    /// The audio's duration in seconds.
    public var duration: Double
}

/// Letters -> phonemes -> events (SCIENCE.md, "Events"), given where each letter of the
/// transcript sits on a CTC path.
public enum EventDerivation {
    /// One letter of the transcript with its run of output frames (nil: no frames, e.g. a
    /// letter the greedy path skipped).
    public typealias LetterSpan = (letter: Character, frames: ClosedRange<Int>?)

    /// Derives word, letter and phoneme events of utterance `id`: `letterSpans` are the
    /// transcript's characters in order (spaces included) with their frames, `pronunciations`
    /// the phonemes of each word (the transcript split at spaces), `frameTime` the seconds at
    /// the centre of an output frame, `frameDuration` the seconds per frame and `duration` the
    /// audio's length.
    public static func derive(
        id: String, letterSpans: [LetterSpan], pronunciations: [[String]], scores: LetterPhonemeScores,
        options: EventOptions, frameTime: (Int) -> Double, frameDuration: Double, duration: Double
    ) -> UtteranceEvents {
        // Words: runs of non-space characters.
        var wordLetters: [[(letter: Character, frames: ClosedRange<Int>?)]] = []
        var current: [(letter: Character, frames: ClosedRange<Int>?)] = []
        for span in letterSpans {
            if span.letter == " " {
                if !current.isEmpty { wordLetters.append(current) }
                current = []
            } else {
                current.append(span)
            }
        }
        if !current.isEmpty { wordLetters.append(current) }

        var result = UtteranceEvents(id: id, words: [], letters: [], phonemes: [], duration: duration)
        func time(_ frame: Int) -> Double { frameTime(frame) + options.shift }
        for (w, letters) in wordLetters.enumerated() {
            let word = String(letters.map(\.letter))
            let framed = letters.compactMap(\.frames)
            if let first = framed.first, let last = framed.last {
                result.words.append(
                    WordSpan(word: word, start: time(first.lowerBound), end: time(last.upperBound) + frameDuration / 2))
            }
            for (letter, frames) in letters {
                guard let frames else { continue }
                result.letters.append(
                    LetterEvent(
                        letter: String(letter), word: w, frame: frames.lowerBound, lastFrame: frames.upperBound,
                        time: time(frames.lowerBound), end: time(frames.upperBound) + frameDuration / 2))
            }
            guard w < pronunciations.count else { continue }
            result.phonemes += phonemeEvents(
                word: w, letters: letters, phonemes: pronunciations[w], scores: scores, options: options, time: time)
        }
        return result
    }

    /// The phoneme events of one word.
    static func phonemeEvents(
        word w: Int, letters: [(letter: Character, frames: ClosedRange<Int>?)], phonemes: [String],
        scores: LetterPhonemeScores, options: EventOptions, time: (Int) -> Double
    ) -> [PhonemeEvent] {
        let alignment = scores.align(word: String(letters.map(\.letter)), phonemes: phonemes)
        // For each phoneme: the indices of its letters (aligned one first, then silent ones after).
        var owned: [(phoneme: String, letters: [Int])] = []
        var letterIndex = 0
        var lastOwner: Int? = nil
        for pair in alignment.pairs {
            switch (pair.a, pair.b) {
            case (_?, let phoneme?):
                owned.append((phoneme, [letterIndex]))
                lastOwner = owned.count - 1
                letterIndex += 1
            case (_?, nil):
                if let lastOwner { owned[lastOwner].letters.append(letterIndex) }
                letterIndex += 1
            case (nil, let phoneme?):
                owned.append((phoneme, []))
            case (nil, nil):
                continue
            }
        }
        // Frames of each phoneme from its letters.
        var frames: [Int?] = owned.map { entry in
            let onsets = entry.letters.compactMap { letters[$0].frames?.lowerBound }
            guard let first = onsets.first else { return nil }
            switch options.phonemeTime {
            case .first: return first
            case .mean: return Int((Double(onsets.reduce(0, +)) / Double(onsets.count)).rounded())
            }
        }
        if options.gapPhonemes == .inherit {
            for i in frames.indices where frames[i] == nil && owned[i].letters.isEmpty {
                frames[i] = frames[(i + 1)...].first { $0 != nil } ?? frames[..<i].last { $0 != nil } ?? nil
            }
        }
        var events: [PhonemeEvent] = []
        for (i, entry) in owned.enumerated() {
            guard let frame = frames[i] else { continue }
            events.append(
                PhonemeEvent(
                    phoneme: entry.phoneme, word: w, letters: String(entry.letters.map { letters[$0].letter }),
                    frame: frame, time: time(frame)))
        }
        return events
    }

    /// Letter spans from a greedy path: the greedy letters are aligned to the transcript's with
    /// Needleman-Wunsch (equal letters 1, others -1, gaps -1); each transcript letter takes the
    /// run of the greedy letter it is paired with, even if that letter differs.
    public static func greedySpans(
        transcript: [Character], greedyLetters: [Character], greedyRuns: [ClosedRange<Int>]
    ) -> [LetterSpan] {
        let indices = Array(greedyLetters.indices)
        let alignment = NeedlemanWunsch.align(
            transcript, indices, gap: .linear(-1), score: { $0 == greedyLetters[$1] ? 1 : -1 })
        var spans: [LetterSpan] = []
        for pair in alignment.pairs {
            guard let letter = pair.a else { continue }
            spans.append((letter, pair.b.map { greedyRuns[$0] }))
        }
        return spans
    }

    /// Half the span given to a word whose events all share one time.
    public static let loneEventHalfWidth = 0.03

    /// The stretch of time each event stands for, from the events of each word: boundaries lie
    /// halfway between consecutive event times (events are taken as segment centres, which
    /// calibrated events approximate); a word's first segment starts as far before its event as
    /// the second boundary lies after it, the last ends likewise; events sharing a time split
    /// their stretch evenly, in order. Times within a word are made non-decreasing first.
    public static func segments(_ points: [(word: Int, time: Double)]) -> [(start: Double, end: Double)] {
        var result = [(start: Double, end: Double)](repeating: (0, 0), count: points.count)
        var i = 0
        while i < points.count {
            var j = i
            while j + 1 < points.count && points[j + 1].word == points[i].word { j += 1 }
            // Groups of equal (non-decreasing) times within the word i...j.
            var times: [Double] = []
            var members: [[Int]] = []
            for k in i...j {
                let time = max(points[k].time, times.last ?? -Double.infinity)
                if let last = times.last, time == last {
                    members[members.count - 1].append(k)
                } else {
                    times.append(time)
                    members.append([k])
                }
            }
            var bounds = [Double](repeating: 0, count: times.count + 1)
            for g in 1..<max(times.count, 1) { bounds[g] = (times[g - 1] + times[g]) / 2 }
            if times.count == 1 {
                bounds[0] = times[0] - loneEventHalfWidth
                bounds[1] = times[0] + loneEventHalfWidth
            } else {
                bounds[0] = times[0] - (bounds[1] - times[0])
                bounds[times.count] = times[times.count - 1] + (times[times.count - 1] - bounds[times.count - 1])
            }
            for (g, group) in members.enumerated() {
                let share = (bounds[g + 1] - bounds[g]) / Double(group.count)
                for (n, k) in group.enumerated() {
                    result[k] = (bounds[g] + share * Double(n), bounds[g] + share * Double(n + 1))
                }
            }
            i = j + 1
        }
        return result
    }

    /// A TextGrid with tiers `words`, `letters` and `phones` from derived events; letters and
    /// phones cover the `segments` of their events.
    public static func textGrid(_ events: UtteranceEvents) -> TextGrid {
        let duration = max(events.duration, events.words.map(\.end).max() ?? 0)
        let words = events.words.map { Interval(start: $0.start, end: $0.end, label: $0.word) }
        func tier(_ name: String, _ points: [(word: Int, time: Double, label: String)]) -> IntervalTier {
            let spans = segments(points.map { ($0.word, $0.time) })
            let intervals = zip(points, spans).map {
                Interval(start: min(max(0, $1.start), duration), end: min(max(0, $1.end), duration), label: $0.label)
            }
            return IntervalTier(name: name, xmin: 0, xmax: duration, filling: removeOverlaps(intervals))
        }
        let letterPoints = events.letters.map { (word: $0.word, time: $0.time, label: $0.letter) }
        let phonePoints = events.phonemes.map { (word: $0.word, time: $0.time, label: $0.phoneme) }
        return TextGrid(
            xmin: 0, xmax: duration,
            tiers: [
                IntervalTier(name: "words", xmin: 0, xmax: duration, filling: removeOverlaps(words)),
                tier("letters", letterPoints), tier("phones", phonePoints),
            ])
    }

    /// Clips each interval to start no earlier than the previous one ends and to lie in time order.
    static func removeOverlaps(_ intervals: [Interval]) -> [Interval] {
        var result: [Interval] = []
        for interval in intervals.sorted(by: { $0.start < $1.start }) {
            var clipped = interval
            if let last = result.last { clipped.start = max(clipped.start, last.end) }
            clipped.start = max(0, clipped.start)
            if clipped.end > clipped.start { result.append(clipped) }
        }
        return result
    }
}
