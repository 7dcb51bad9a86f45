import Foundation
import Phonetics
import Testing

@testable import Introspection

/// Letters to phoneme events and their scores, on hand-made spans where every number is known.
struct EventDerivationTests {
    /// Hand-set scores: letters with their sounds 0, silent k, g, h -1, the s or k of x without
    /// a letter -2, everything else far lower.
    static let scores = LetterPhonemeScores(
        pairs: [
            "k": ["k": 0], "n": ["n": 0], "i": ["ɪ": 0, "aɪ": 0], "t": ["t": 0], "x": ["k": 0, "s": 0], "s": ["s": 0],
            "g": ["ɡ": 0], "h": ["h": 0],
        ],
        silentLetters: ["k": -1, "g": -1, "h": -1], unspelledPhonemes: ["k": -2, "s": -2], unseen: -10, words: 0,
        iterations: 0)

    /// "knit x": each letter on its own frames, 10 frames apart; frame t at t * 0.01 s.
    func spans(_ text: String) -> [EventDerivation.LetterSpan] {
        Array(text).enumerated().map { ($0.element, $0.element == " " ? nil : (10 * $0.offset)...(10 * $0.offset + 1)) }
    }

    func derive(_ text: String, _ pronunciations: [[String]], options: EventOptions = EventOptions()) -> UtteranceEvents
    {
        EventDerivation.derive(
            id: "u", letterSpans: spans(text), pronunciations: pronunciations, scores: Self.scores, options: options,
            frameTime: { Double($0) / 100 }, frameDuration: 0.01, duration: 2)
    }

    @Test func phonemesTakeTheirLettersOnsets() {
        let events = derive("knit nix", [["n", "ɪ", "t"], ["n", "ɪ", "k", "s"]])
        #expect(events.words.map(\.word) == ["knit", "nix"])
        #expect(events.words[0].start == 0 && abs(events.words[0].end - 0.315) < 1e-12)
        #expect(events.letters.map(\.letter) == ["k", "n", "i", "t", "n", "i", "x"])
        // k is silent: n at n's onset (frame 10), ɪ at i's (20), t at t's (30).
        #expect(events.phonemes.map(\.phoneme) == ["n", "ɪ", "t", "n", "ɪ", "k", "s"])
        #expect(events.phonemes.prefix(3).map(\.frame) == [10, 20, 30])
        // x = k s: one of them has x's onset (frame 70), the other (no letter) inherits it.
        #expect(events.phonemes.suffix(2).map(\.frame) == [70, 70])
        #expect(events.phonemes.map(\.word) == [0, 0, 0, 1, 1, 1, 1])
    }

    @Test func optionsChangeTheTimes() {
        var options = EventOptions()
        options.gapPhonemes = .drop
        let dropped = derive("nix", [["n", "ɪ", "k", "s"]], options: options)
        #expect(dropped.phonemes.count == 3)
        options = EventOptions()
        options.phonemeTime = .mean
        // "night": i owns the silent g and h after it: mean onset of frames 10, 20, 30 = 20.
        let mean = derive("night", [["n", "aɪ", "t"]], options: options)
        #expect(mean.phonemes.map(\.frame) == [0, 20, 40])
        options.shift = -0.005
        let shifted = derive("night", [["n", "aɪ", "t"]], options: options)
        #expect(zip(shifted.phonemes, mean.phonemes).allSatisfy { abs($0.time - ($1.time - 0.005)) < 1e-12 })
    }

    @Test func greedyLettersAreMatchedToTheTranscript() {
        // The greedy path read "nit" for "knit": k gets no frames, the rest their runs.
        let spans = EventDerivation.greedySpans(
            transcript: Array("knit"), greedyLetters: Array("nit"), greedyRuns: [3...4, 8...8, 12...13])
        #expect(spans.map(\.letter) == Array("knit"))
        #expect(spans.map(\.frames) == [nil, 3...4, 8...8, 12...13])
    }

    @Test func textGridHasThreeValidTiers() throws {
        let events = derive("knit nix", [["n", "ɪ", "t"], ["n", "ɪ", "k", "s"]])
        let grid = EventDerivation.textGrid(events)
        try grid.validate()
        #expect(grid.tiers.map(\.name) == ["words", "letters", "phones"])
        let phones = try grid.tier("phones").labelled
        #expect(phones.map(\.label) == ["n", "ɪ", "t", "n", "ɪ", "k", "s"])
        // "nix": events at 0.50, 0.60, 0.70 (k and s share x's onset): boundaries halfway
        // (0.55, 0.65), the ends mirrored (0.45, 0.75); k and s split 0.65-0.75 evenly.
        #expect(phones.suffix(4).map { ($0.start * 1000).rounded() } == [450, 550, 650, 700])
        #expect(abs(phones[6].end - 0.75) < 1e-12)
    }

    @Test func scoresCountEventsInTheirSegments() {
        let truth = IntervalTier(
            name: "phones", xmin: 0, xmax: 1,
            filling: [
                Interval(start: 0.0, end: 0.1, label: "n"), Interval(start: 0.1, end: 0.2, label: "ˈɪ"),
                Interval(start: 0.2, end: 0.3, label: "t"), Interval(start: 0.3, end: 0.4, label: "s"),
            ])
        let events = [
            PhonemeEvent(phoneme: "n", word: 0, letters: "n", frame: 0, time: 0.05),  // centre: offset 0
            PhonemeEvent(phoneme: "ɪ", word: 0, letters: "i", frame: 0, time: 0.21),  // late: outside, offset 0.06
            PhonemeEvent(phoneme: "t", word: 0, letters: "t", frame: 0, time: 0.22),  // inside, offset 0.03
            PhonemeEvent(phoneme: "z", word: 0, letters: "s", frame: 0, time: 0.35),  // wrong label
        ]
        let (all, byClass) = EventScoring.score(events: events, truth: truth)
        #expect(all.events == 4 && all.inSegment == 2 && all.truePhones == 4 && all.covered == 3)
        #expect(all.offsets.map { ($0 * 1000).rounded() } == [0, 60, 30])
        // Derived starts: -0.03 (mirrored), 0.13, 0.215 (halfway between events).
        #expect(all.boundaryErrors.map { ($0 * 1000).rounded() } == [30, 30, 15])
        let summary = all.summary
        #expect(summary["events_in_segment"] == 0.5)
        #expect(summary["coverage"] == 0.75)
        #expect(abs((summary["median_offset_ms"] ?? nil)! - 30) < 1e-9)
        #expect(abs((summary["boundaries_within_20ms"] ?? nil)! - 1.0 / 3) < 1e-9)
        #expect(byClass["vowel"]?.events == 1 && byClass["fricative"]?.events == 1)

        // Calibration: the per-phoneme median lag, subtracted.
        let pairs = LagCalibration.pairs(events: events, truth: truth)
        #expect(pairs.count == 3)
        let lags = LagCalibration.estimate(from: pairs, minimumCount: 1, source: "test")!
        // Lags: n 0, ɪ +0.06, t -0.03; their median 0 stands in for phonemes not seen.
        #expect(abs(lags.lag(of: "ɪ") - 0.06) < 1e-12 && abs(lags.lag(of: "t") + 0.03) < 1e-12)
        #expect(abs(lags.global) < 1e-12 && abs(lags.lag(of: "ʃ")) < 1e-12)
        var utterance = UtteranceEvents(id: "u", words: [], letters: [], phonemes: events, duration: 1)
        lags.apply(to: &utterance)
        #expect(abs(utterance.phonemes[1].time - 0.15) < 1e-12)
    }
}
