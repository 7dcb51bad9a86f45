import Foundation
import Phonetics
import SpeechSynthesis

/// The true alignment of a synthetic utterance, from eSpeak NG's events: a TextGrid with tiers
/// `words` and `phones` (IPA).
///
/// Phones: each phoneme event starts an interval that ends where the next event starts; the
/// last ends with the audio. eSpeak reports pauses as phoneme events without a name: they become
/// silence (empty label), and adjacent silences merge. Zero-length events - an event at the same
/// sample as the next one, which eSpeak emits for example for a pause right before a word -
/// have no duration and are left out; the event that follows at that sample keeps the time.
/// eSpeak's pseudo-phonemes - language switches such as "(en)" when a German sentence holds an
/// English word, and "??" - are not sounds: they are skipped and the phone before them runs on.
///
/// These are eSpeak's own segment starts. Seen in `corpus show` figures: the event of a plosive
/// comes near its release, so the silent closure before it counts with the preceding phone.
///
/// Words: each word event names the character offset where its word starts in the text. eSpeak
/// sometimes speaks two words as one unit ("on the") and reports one event for both; such words
/// share one interval labelled with both ("on the"). A word's interval runs from the start of
/// its first phone to the end of its last phone, where its phones are those that start at or
/// after its event and before the next word's event; the stretches between words are silence.
public enum EventAlignment {
    public static func textGrid(
        text: String, events: [SpeechEvent], sampleCount: Int, sampleRate: Int
    ) -> TextGrid {
        let seconds = { (sample: Int) in Double(sample) / Double(sampleRate) }
        let duration = seconds(sampleCount)

        // Phones, in samples.
        let phonemes = events.filter { $0.kind == .phoneme && PhonemeInventory.isPhonemeLabel($0.label) }.map {
            (sample: min(max(0, $0.sample), sampleCount), label: $0.label)
        }
        var phones: [(start: Int, end: Int, label: String)] = []
        for (i, event) in phonemes.enumerated() {
            let end = i + 1 < phonemes.count ? phonemes[i + 1].sample : sampleCount
            guard end > event.sample else { continue }
            if event.label.isEmpty, let last = phones.last, last.label.isEmpty, last.end == event.sample {
                phones[phones.count - 1].end = end
            } else {
                phones.append((event.sample, end, event.label))
            }
        }
        let phoneTier = IntervalTier(
            name: "phones", xmin: 0, xmax: duration,
            filling: phones.filter { !$0.label.isEmpty }.map {
                Interval(start: seconds($0.start), end: seconds($0.end), label: $0.label)
            })

        // Words: each word event starts a group at the token where its character offset falls;
        // tokens up to the next event's token belong to the group.
        let tokens = wordTokens(text)
        var groups: [(sample: Int, firstToken: Int)] = []
        for event in events where event.kind == .word {
            guard let offset = event.textOffset,
                let token = tokens.lastIndex(where: { $0.offset <= offset }),
                token > (groups.last?.firstToken ?? -1)
            else { continue }
            groups.append((event.sample, token))
        }
        if let first = groups.first, first.firstToken > 0 {
            groups[0].firstToken = 0  // words before the first event join the first group
        }
        let spoken = phones.filter { !$0.label.isEmpty }
        var wordIntervals: [Interval] = []
        for (g, group) in groups.enumerated() {
            let nextSample = g + 1 < groups.count ? groups[g + 1].sample : Int.max
            let members = spoken.filter { $0.start >= group.sample && $0.start < nextSample }
            let lastToken = g + 1 < groups.count ? groups[g + 1].firstToken : tokens.count
            let label = tokens[group.firstToken..<lastToken].map(\.word).joined(separator: " ")
            let start = max(seconds(members.first?.start ?? 0), wordIntervals.last?.end ?? 0)
            guard let last = members.last, seconds(last.end) > start else {
                // A word with no phone of its own joins the word before it.
                if !wordIntervals.isEmpty { wordIntervals[wordIntervals.count - 1].label += " " + label }
                continue
            }
            wordIntervals.append(Interval(start: start, end: seconds(last.end), label: label))
        }
        let wordTier = IntervalTier(name: "words", xmin: 0, xmax: duration, filling: wordIntervals)
        return TextGrid(xmin: 0, xmax: duration, tiers: [wordTier, phoneTier])
    }

    /// The words of a transcript with their offsets in Unicode scalars (as eSpeak counts).
    static func wordTokens(_ text: String) -> [(word: String, offset: Int)] {
        var tokens: [(word: String, offset: Int)] = []
        var current = ""
        var start = 0
        for (offset, character) in text.unicodeScalars.enumerated() {
            if character == " " {
                if !current.isEmpty { tokens.append((current, start)) }
                current = ""
            } else {
                if current.isEmpty { start = offset }
                current.unicodeScalars.append(character)
            }
        }
        if !current.isEmpty { tokens.append((current, start)) }
        return tokens
    }
}
