import Foundation
import Phonetics
import PhonoscopeIO

/// One event to epoch around: its group, time and duration, and the letter whose output the
/// gradient variants follow when it is known.
public struct ProfileEvent: Sendable, Equatable {
    public var group: String
    /// Seconds from the start of the audio.
    public var time: Double
    /// Seconds: the true phone's duration, or the time to the next derived event.
    public var duration: Double
    /// The letter `align` paired with the event (nil for true phones).
    public var letter: String?

    public init(group: String, time: Double, duration: Double, letter: String? = nil) {
        self.group = group
        self.time = time
        self.duration = duration
        self.letter = letter
    }
}

/// Where events come from: the corpus's true phone segments (the default) or `align`'s derived
/// events (`--alignments DIR`).
public enum ProfileEventSource {
    /// The group of phoneme `label` for `unit` (nil: not a phoneme, e.g. eSpeak's "(en)").
    static func group(ofPhoneme label: String, unit: ProfileOptions.Unit) -> String? {
        let phoneme = EventScoring.normalized(label)
        guard !phoneme.isEmpty, let known = PhonemeInventory.phoneme(phoneme) else { return nil }
        return unit == .phoneticClass ? known.phoneticClass.rawValue : known.ipa
    }

    /// Events of the non-silent intervals of a TextGrid's `phones` tier; letters need derived
    /// events and are refused.
    public static func events(
        trueAlignment grid: TextGrid, unit: ProfileOptions.Unit, anchor: ProfileOptions.Anchor, path: String
    ) throws -> [ProfileEvent] {
        guard unit != .letter else {
            throw ProfileError.needsAlignments(
                option: "--unit letter", reason: "the corpus's TextGrids have phones, not letter events")
        }
        let phones = try grid.tier("phones", path: path)
        return phones.intervals.compactMap { interval in
            guard let group = group(ofPhoneme: interval.label, unit: unit) else { return nil }
            let time = anchor == .onset ? interval.start : (interval.start + interval.end) / 2
            return ProfileEvent(group: group, time: time, duration: interval.duration)
        }
    }

    /// Events of one utterance of `align`'s output: its phoneme events (or letter events for
    /// `unit == .letter`), each lasting until the next event of the utterance (or the audio's end).
    public static func events(derived: UtteranceEvents, unit: ProfileOptions.Unit) -> [ProfileEvent] {
        var events: [ProfileEvent]
        switch unit {
        case .letter:
            events = derived.letters.map {
                ProfileEvent(group: $0.letter, time: $0.time, duration: 0, letter: $0.letter)
            }
        case .phoneme, .phoneticClass:
            events = derived.phonemes.compactMap { event in
                guard let group = group(ofPhoneme: event.phoneme, unit: unit) else { return nil }
                return ProfileEvent(
                    group: group, time: event.time, duration: 0, letter: event.letters.first.map(String.init))
            }
        }
        for i in events.indices {
            let next = i + 1 < events.count ? events[i + 1].time : derived.duration
            events[i].duration = max(0, next - events[i].time)
        }
        return events
    }

    /// `align`'s events.jsonl in `directory`, by utterance id.
    public static func readAlignments(directory: URL) throws -> [String: UtteranceEvents] {
        let url = directory.appendingPathComponent("events.jsonl")
        let text = try FileError.text(of: url)
        var result: [String: UtteranceEvents] = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            do {
                let events = try JSONDecoder().decode(UtteranceEvents.self, from: Data(line.utf8))
                result[events.id] = events
            } catch {
                throw ProfileError.invalidFile(
                    path: url.path, reason: "line \(number + 1) is not an utterance of phonoscope align (\(error))")
            }
        }
        return result
    }
}
