import Foundation
import Phonetics
import SeededRandom
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

        // Calibration: per context, the lag that puts the most events in their segments.
        let pairs = LagCalibration.pairs(events: events, truth: truth)
        #expect(pairs.count == 3)
        // Windows (time - end, time - start]: n (-0.05, 0.05], ɪ (0.01, 0.11], t (-0.08, 0.02].
        let lags = LagCalibration.estimate(from: pairs, minimumCount: 1, source: "test")!
        // Alone, each phoneme's best lag is the middle of its window; together the three
        // windows overlap on (0.01, 0.02], whose middle is the global lag.
        #expect(abs(lags.lag(of: pairs[1].context) - 0.06) < 1e-12)
        #expect(abs(lags.lag(of: pairs[2].context) + 0.03) < 1e-12)
        #expect(abs(lags.global - 0.015) < 1e-12)
        let unseen = EventContext(phoneme: "ʃ", previousGap: nil, nextGap: nil)
        #expect(abs(lags.lag(of: unseen) - 0.015) < 1e-12)
        var utterance = UtteranceEvents(id: "u", words: [], letters: [], phonemes: events, duration: 1)
        lags.apply(to: &utterance)
        #expect(abs(utterance.phonemes[1].time - 0.15) < 1e-12)
    }

    @Test func contextsBucketTheGapsToTheNeighbouringEventsOfTheWord() {
        let events = [
            PhonemeEvent(phoneme: "ˈd", word: 0, letters: "d", frame: 0, time: 0.100),
            PhonemeEvent(phoneme: "a", word: 0, letters: "a", frame: 2, time: 0.132),
            PhonemeEvent(phoneme: "s", word: 0, letters: "s", frame: 9, time: 0.244),
            PhonemeEvent(phoneme: "n", word: 1, letters: "n", frame: 20, time: 0.420),
        ]
        let contexts = EventContext.contexts(of: events)
        #expect(contexts.map(\.position) == ["initial", "medial", "final", "single"])
        #expect(contexts.map(\.previousGap) == [nil, 1, 5, nil])
        #expect(contexts.map(\.nextGap) == [1, 5, nil, nil])
        #expect(contexts[0].keys == ["d initial next <=32ms", "d initial", "d"])
        #expect(contexts[1].keys == ["a medial prev <=32ms next >96ms", "a medial prev <=32ms", "a medial", "a"])
        #expect(contexts[3].keys == ["n single", "n"])
    }

    @Test func calibrationBacksOffToLessSpecificContexts() {
        let specific = EventContext(phoneme: "t", previousGap: 2, nextGap: 0)
        let calibration = LagCalibration(
            global: 0.04, byContext: ["t medial prev <=48ms": 0.02, "t": 0.03], counts: [:], minimumCount: 10,
            source: "test")
        #expect(calibration.lag(of: specific) == 0.02)
        #expect(calibration.lag(of: EventContext(phoneme: "t", previousGap: nil, nextGap: 1)) == 0.03)
        #expect(calibration.lag(of: EventContext(phoneme: "k", previousGap: nil, nextGap: nil)) == 0.04)
        // An earlier version's calibration.json (per-phoneme lags) reads as phoneme keys.
        let old = #"{"global": 0.04, "byPhoneme": {"t": 0.03}, "counts": {"t": 12}, "minimumCount": 10, "source": "x"}"#
        let decoded = try? JSONDecoder().decode(LagCalibration.self, from: Data(old.utf8))
        #expect(decoded?.lag(of: specific) == 0.03)
    }

    @Test func bestLagIsInsideTheMostWindowsAsBruteForceFinds() {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            let windows: [(low: Double, high: Double)] = (0..<Int.random(in: 1...12, using: &generator)).map { _ in
                let low = Int.random(in: -20...20, using: &generator)
                return (Double(low) / 100, Double(low + Int.random(in: 1...15, using: &generator)) / 100)
            }
            func covered(_ lag: Double) -> Int { windows.filter { $0.low < lag && lag <= $0.high }.count }
            // The windows' ends lie on a 0.01 grid, so a 0.001 grid visits every stretch.
            let most = stride(from: -0.3, through: 0.4, by: 0.001).map(covered).max()!
            #expect(covered(LagCalibration.bestLag(windows)) == most)
        }
    }
}
