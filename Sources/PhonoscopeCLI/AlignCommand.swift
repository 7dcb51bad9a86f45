import ArgumentParser
import Corpus
import Foundation
import Introspection
import Phonetics
import PhonoscopeIO
import Plots
import Recognizer
import SpeechSynthesis

extension EventOptions.Path: ExpressibleByArgument {}
extension EventOptions.PhonemeTime: ExpressibleByArgument {}
extension EventOptions.GapPhonemes: ExpressibleByArgument {}

/// `phonoscope align`: phoneme events of a corpus split from a recogniser, and their score
/// against the corpus's true phone segments.
struct AlignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "align",
        abstract: "Derive letter and phoneme events of a corpus split from a model (CTC path, G2P, Needleman-Wunsch).",
        discussion: """
            For each utterance: the model's outputs give each transcript letter a run of
            frames (--path forced: the most probable path that spells the transcript;
            greedy: the arg-max path, its letters matched to the transcript's); a letter's
            event is the first frame of its run, at the centre of that frame's receptive
            field. The G2P gives each word's phonemes; Needleman-Wunsch with
            letter-phoneme scores learned by EM from the G2P's pronunciations of the
            corpus vocabulary (or --scores) pairs them with letters; each phoneme takes
            its letter's time (--phoneme-time), a phoneme without a letter its neighbour's
            or none (--gap-phonemes).

            Writes OUT/textgrids/ID.TextGrid (tiers words, letters, phones),
            OUT/events.jsonl (one utterance a line), OUT/letter-phoneme-scores.json and
            OUT/summary.json. Utterances that cannot be aligned (transcript too long for
            the audio, letters outside the model's alphabet, words the G2P cannot read,
            empty transcripts) are reported, counted and skipped. --evaluate scores the
            events against the corpus's TextGrids (tier phones):
            events_in_segment, median_offset_ms, p90_offset_ms, boundaries_within_20ms and
            _40ms, coverage, overall and by phonetic class.

            Examples:
              phonoscope align --model Corpora/models/en-small --corpus corpora/en -o \\
                align-en --evaluate --json
              phonoscope align --model Corpora/models/de-small --corpus corpora/de -o \\
                align-de --path greedy --evaluate
            """)

    @Option(help: "Model directory (config.json + model.safetensors).")
    var model: String

    @Option(help: "Corpus directory (manifest.jsonl, audio, TextGrids).")
    var corpus: String

    @Option(name: [.short, .customLong("output")], help: "Output directory (created if missing).")
    var output: String

    @Option(help: "Split to align.")
    var split: String = "test"

    @Option(help: "Align only the first N utterances by id (0: all).")
    var limit: Int = 0

    @Option(
        help:
            "G2P: espeak (eSpeak NG, the synthetic corpora's own phonemes); auto or cmudict (English: CMUdict, then eSpeak NG; German: eSpeak NG)."
    )
    var g2p: G2PCommand.Source = .espeak

    @Option(help: "Letter onsets from the forced path of the transcript or from the greedy path.")
    var path: EventOptions.Path = .forced

    @Option(
        help:
            "A phoneme's time: its letter's onset (first) or the mean onset of its letter and the silent letters after it (mean)."
    )
    var phonemeTime: EventOptions.PhonemeTime = .first

    @Option(help: "A phoneme aligned to no letter: inherit its neighbour's time, or drop it.")
    var gapPhonemes: EventOptions.GapPhonemes = .inherit

    @Option(help: "Milliseconds added to every event time.")
    var shiftMs: Double = 0

    @Option(help: "Letter-phoneme scores (a letter-phoneme-scores.json of an earlier run) instead of learning them.")
    var scores: String?

    @Option(
        help:
            "Learn each phoneme's lag on this split (needs its TextGrids), per context (word position, gaps to the neighbouring events), as the lag that puts the most events in their true segments, and subtract it (default: no calibration)."
    )
    var calibrate: String?

    @Option(help: "Utterances of the calibration split to use (the first N by id; 0: all).")
    var calibrationLimit: Int = 0

    @Option(help: "Apply the lags of an earlier run's calibration.json instead of estimating them.")
    var calibration: String?

    @Option(
        help:
            "Draw OUT/figures/ID.png for the first N aligned utterances (\"all\" for every one, 0 for none): waveform, spectrogram, the true tiers and the derived ones under them."
    )
    var figures: String = "10"

    @Flag(help: "Score the events against the corpus's TextGrids (tier phones).")
    var evaluate = false

    @Flag(help: "Print the summary as JSON (with --evaluate, the scores are top-level keys).")
    var json = false

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit \(limit) is invalid; valid: 0 (all) or more") }
        if !shiftMs.isFinite { throw ValidationError("--shift-ms \(shiftMs) is invalid; valid: a finite number") }
        if figures != "all" && (Int(figures) ?? -1) < 0 {
            throw ValidationError("--figures \(figures) is invalid; valid: a count of 0 or more, or all")
        }
        if calibrationLimit < 0 {
            throw ValidationError("--calibration-limit \(calibrationLimit) is invalid; valid: 0 (all) or more")
        }
        if calibrate != nil && calibration != nil {
            throw ValidationError("--calibrate and --calibration exclude each other; valid: one of them")
        }
    }

    func run() throws {
        let recognizer = try ModelInput.recognizer(model)
        let speechCorpus = try SpeechCorpus(directory: URL(fileURLWithPath: corpus))
        var entries = speechCorpus.entries(split: split).sorted { $0.id < $1.id }
        if limit > 0 { entries = Array(entries.prefix(limit)) }
        guard let first = entries.first else {
            let splits = Set(speechCorpus.entries.map(\.split)).sorted().joined(separator: ", ")
            throw ValidationError("corpus \(corpus) has no utterances in split \"\(split)\"; its splits: \(splits)")
        }
        guard let language = Language(rawValue: first.language) else {
            throw ValidationError(
                "corpus \(corpus): language \"\(first.language)\" of \(first.id) is not supported; valid: en, de")
        }
        if g2p == .cmudict && language != .en {
            throw ValidationError("--g2p cmudict is English only; valid for \(language.name): espeak or auto")
        }
        let outputURL = URL(fileURLWithPath: output)
        let textGrids = outputURL.appendingPathComponent("textgrids")
        try FileManager.default.createDirectory(at: textGrids, withIntermediateDirectories: true)
        let converter = try G2PCommand.g2p(
            language: language, source: g2p == .espeak ? .espeak : .auto, dictionary: nil)

        let letterScores = try loadOrLearnScores(
            g2p: converter, language: language, corpus: speechCorpus, output: outputURL)
        var options = EventOptions()
        options.path = path
        options.phonemeTime = phonemeTime
        options.gapPhonemes = gapPhonemes
        options.shift = shiftMs / 1000
        let aligner = EventAligner(
            recognizer: recognizer, g2p: converter, scores: letterScores, options: options, language: language)

        let lags = try calibrationLags(aligner: aligner, corpus: speechCorpus, output: outputURL)

        var failures: [AlignmentFailure] = []
        var evaluationFailures: [AlignmentFailure] = []
        var score = EventScore()
        var byClass: [String: EventScore] = [:]
        var lines: [String] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bar = ProgressBar(label: "align \(split)", unit: "utt")
        for (index, entry) in entries.enumerated() {
            defer { bar.update(done: index + 1, total: entries.count, detail: "\(failures.count) failed") }
            var events: UtteranceEvents
            do {
                let features = try recognizer.features(ofFile: speechCorpus.audioURL(for: entry))
                events = try aligner.events(
                    id: entry.id, features: features, transcript: entry.text, duration: entry.duration)
                lags?.apply(to: &events)
            } catch let failure as AlignmentFailure {
                failures.append(failure)
                continue
            } catch {
                failures.append(AlignmentFailure(id: entry.id, reason: "\(error)"))
                continue
            }
            let derived = EventDerivation.textGrid(events)
            try derived.write(to: textGrids.appendingPathComponent("\(entry.id).TextGrid"))
            if figures == "all" || lines.count < Int(figures) ?? 0 {
                let renamed = derived.tiers.map { tier in
                    var tier = tier
                    tier.name = "\(tier.name) (derived)"
                    return tier
                }
                let figureDirectory = outputURL.appendingPathComponent("figures")
                try FileManager.default.createDirectory(at: figureDirectory, withIntermediateDirectories: true)
                try CorpusShowCommand.figure(of: entry, in: speechCorpus, extraTiers: renamed)
                    .write(to: figureDirectory.appendingPathComponent("\(entry.id).png"))
            }
            lines.append(String(decoding: try encoder.encode(events), as: UTF8.self))
            guard evaluate else { continue }
            do {
                guard let truth = try speechCorpus.alignment(for: entry) else {
                    throw AlignmentFailure(id: entry.id, reason: "the manifest names no TextGrid for it")
                }
                let phones = try truth.tier("phones", path: entry.alignment ?? entry.id)
                let result = EventScoring.score(events: events.phonemes, truth: phones)
                score.add(result.all)
                for (name, part) in result.byClass { byClass[name, default: EventScore()].add(part) }
            } catch let failure as AlignmentFailure {
                evaluationFailures.append(failure)
            } catch {
                evaluationFailures.append(AlignmentFailure(id: entry.id, reason: "\(error)"))
            }
        }
        try AtomicFile.write(
            Data((lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")).utf8),
            to: outputURL.appendingPathComponent("events.jsonl"))

        var summary: [String: Any] = [
            "model": model, "corpus": corpus, "split": split, "language": language.rawValue,
            "utterances": entries.count, "aligned": entries.count - failures.count, "failed": failures.count,
            "failures": failures.map { ["id": $0.id, "reason": $0.reason] },
            "options": [
                "path": path.rawValue, "phoneme_time": phonemeTime.rawValue, "gap_phonemes": gapPhonemes.rawValue,
                "shift_ms": shiftMs, "g2p": g2p.rawValue,
                "letter_phoneme_scores": scores ?? "learned (letter-phoneme-scores.json)",
                "calibration": calibration ?? calibrate.map { "estimated on split \($0) (calibration.json)" } ?? "none",
            ],
        ]
        if evaluate {
            for (key, value) in score.summary { summary[key] = value ?? NSNull() }
            summary["by_class"] = byClass.mapValues { $0.summary.mapValues { $0 ?? NSNull() as Any } }
            summary["evaluation_failures"] = evaluationFailures.map { ["id": $0.id, "reason": $0.reason] }
        }
        let data = try JSONSerialization.data(
            withJSONObject: summary, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        try AtomicFile.write(data, to: outputURL.appendingPathComponent("summary.json"))
        for failure in failures.prefix(10) { Console.warn("not aligned: \(failure)") }
        if failures.count > 10 { Console.warn("... and \(failures.count - 10) more (see summary.json)") }
        for failure in evaluationFailures.prefix(10) { Console.warn("not scored: \(failure)") }
        if json {
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("aligned \(entries.count - failures.count) of \(entries.count) utterances into \(output)")
            if evaluate {
                let s = score.summary
                func format(_ key: String, _ scale: Double = 1, _ digits: Int = 3) -> String {
                    (s[key] ?? nil).map { String(format: "%.\(digits)f", $0 * scale) } ?? "-"
                }
                print("events in their true segment: \(format("events_in_segment"))")
                print(
                    "offset from the segment centre: median \(format("median_offset_ms", 1, 1)) ms, 90th percentile \(format("p90_offset_ms", 1, 1)) ms"
                )
                print(
                    "boundaries within 20 ms: \(format("boundaries_within_20ms")), within 40 ms: \(format("boundaries_within_40ms"))"
                )
                print("coverage of true phonemes: \(format("coverage"))")
            }
        }
    }

    /// The lags from --calibration, or estimated on the --calibrate split and written to
    /// OUT/calibration.json; nil without either.
    func calibrationLags(aligner: EventAligner, corpus: SpeechCorpus, output: URL) throws -> LagCalibration? {
        if let calibration {
            return try Self.read(
                LagCalibration.self, from: calibration, option: "--calibration", kind: "calibration.json")
        }
        guard let calibrate else { return nil }
        var entries = corpus.entries(split: calibrate).sorted { $0.id < $1.id }
        if calibrationLimit > 0 { entries = Array(entries.prefix(calibrationLimit)) }
        guard !entries.isEmpty else {
            throw ValidationError("--calibrate \(calibrate): corpus \(self.corpus) has no utterances in that split")
        }
        var pairs: [LagCalibration.Pair] = []
        let bar = ProgressBar(label: "calibrate on \(calibrate)", unit: "utt")
        for (index, entry) in entries.enumerated() {
            bar.update(done: index + 1, total: entries.count)
            guard let features = try? aligner.recognizer.features(ofFile: corpus.audioURL(for: entry)),
                let events = try? aligner.events(
                    id: entry.id, features: features, transcript: entry.text, duration: entry.duration),
                let truth = try? corpus.alignment(for: entry), let phones = try? truth.tier("phones")
            else { continue }
            pairs += LagCalibration.pairs(events: events.phonemes, truth: phones)
        }
        guard
            let lags = LagCalibration.estimate(
                from: pairs, source: "\(self.corpus), split \(calibrate), \(entries.count) utterances")
        else {
            throw ValidationError("--calibrate \(calibrate): no utterance of that split could be aligned and scored")
        }
        try Self.write(lags, to: output.appendingPathComponent("calibration.json"))
        return lags
    }

    /// The letter-phoneme scores from --scores, or learned from the G2P's pronunciations of
    /// every word in the corpus's transcripts (all splits; no timing is used), written to
    /// OUT/letter-phoneme-scores.json.
    func loadOrLearnScores(
        g2p: any GraphemeToPhoneme, language: Language, corpus: SpeechCorpus, output: URL
    ) throws -> LetterPhonemeScores {
        if let scores {
            return try Self.read(
                LetterPhonemeScores.self, from: scores, option: "--scores", kind: "letter-phoneme-scores.json")
        }
        var vocabulary: Set<String> = []
        for entry in corpus.entries {
            guard let words = try? WordSplitter.words(of: entry.text, language: language) else { continue }
            vocabulary.formUnion(words)
        }
        var dictionary: [(word: String, phonemes: [String])] = []
        for word in vocabulary.sorted() {
            if let pronunciation = try? g2p.pronunciation(of: word) {
                dictionary.append((word, pronunciation.phonemes.map(EventScoring.normalized)))
            }
        }
        let learned = LetterPhonemeScores.learn(from: dictionary)
        try Self.write(learned, to: output.appendingPathComponent("letter-phoneme-scores.json"))
        return learned
    }

    /// A JSON file an earlier run wrote, or an error naming the option and the file.
    static func read<T: Decodable>(_ type: T.Type, from path: String, option: String, kind: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ValidationError("\(option) \(path): not a \(kind) (\(error))")
        }
    }

    /// Pretty, sorted JSON, written atomically.
    static func write<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(value), to: url)
    }
}
