import Phonetics
import SpeechSynthesis
import Testing

@testable import Corpus

/// The true TextGrid from hand-made event lists: pauses, zero-length events, merged words.
struct EventAlignmentTests {
    func phone(_ label: String, _ sample: Int) -> SpeechEvent {
        SpeechEvent(kind: .phoneme, label: label, sample: sample)
    }
    func word(_ label: String, _ sample: Int, at offset: Int) -> SpeechEvent {
        SpeechEvent(kind: .word, label: label, sample: sample, textOffset: offset)
    }

    @Test func phonesWordsPausesAndZeroLengthEvents() throws {
        // "on the mat, ok" at 10 samples per second: "on the" spoken as one unit, a pause after
        // "mat" whose second event is zero-length, then "ok".
        let events = [
            word("on", 0, at: 0), phone("ɔ", 1), phone("n", 3), phone("ð", 4), phone("ə", 5),
            word("mat", 6, at: 7), phone("m", 7), phone("æ", 8), phone("t", 10), phone("", 12), phone("", 14),
            word("ok", 14, at: 12), phone("oʊ", 14), phone("k", 17), phone("", 19),
        ]
        let grid = EventAlignment.textGrid(text: "on the mat ok", events: events, sampleCount: 22, sampleRate: 10)
        try grid.validate()
        let phones = try grid.tier("phones")
        #expect(phones.intervals.map(\.label) == ["", "ɔ", "n", "ð", "ə", "m", "æ", "t", "", "oʊ", "k", ""])
        #expect(phones.intervals[7].start == 1.0 && phones.intervals[7].end == 1.2)
        #expect(phones.intervals[8].start == 1.2 && phones.intervals[8].end == 1.4)  // pause: one interval
        #expect(phones.intervals.last?.end == 2.2)
        let words = try grid.tier("words")
        #expect(words.intervals.map(\.label) == ["", "on the", "mat", "", "ok", ""])
        #expect(words.labelled.map(\.start) == [0.1, 0.7, 1.4])
        #expect(words.labelled.map(\.end) == [0.7, 1.2, 1.9])
    }

    @Test func aWordWithoutPhonesJoinsThePreviousWord() throws {
        let events = [
            word("a", 0, at: 0), phone("ə", 0), word("b", 5, at: 2), word("c", 5, at: 4), phone("s", 5), phone("iː", 7),
        ]
        let grid = EventAlignment.textGrid(text: "a b c", events: events, sampleCount: 10, sampleRate: 10)
        try grid.validate()
        #expect(try grid.tier("words").labelled.map(\.label) == ["a b", "c"])
    }
}
