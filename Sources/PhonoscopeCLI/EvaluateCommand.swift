import ArgumentParser
import AudioFeatures
import Corpus
import Foundation
import Recognizer

/// `phonoscope evaluate`: CER, WER and CTC loss of a model on a corpus split.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a model on a corpus split: CER, WER (greedy or beam decoding) and mean CTC loss.",
        discussion: """
            CER and WER are pooled over the split: the sum of edit distances over the sum
            of reference lengths (characters, or words split on spaces). ctc_loss is the
            mean over utterances of each transcript's negative log-likelihood (a sum over
            its frames); it is infinite when some transcript is too long for its audio,
            printed by --json as the string "Infinity". Decoding is greedy unless --beam N
            (prefix beam search), optionally with --lm-corpus DIR: a character n-gram
            language model counted from DIR's train transcripts (see phonoscope transcribe
            --help); --json names the decoder.

            Examples:
              phonoscope evaluate --model Corpora/models/en-small --corpus corpora/en \\
                --split test --json
              phonoscope evaluate --model Corpora/models/en-small --corpus corpora/en \\
                --beam 16 --lm-corpus corpora/en --json
              phonoscope evaluate --model Corpora/models/de-small --corpus corpora/de \\
                --split test-voices
            """)

    @Option(help: "Model directory (config.json + model.safetensors).")
    var model: String

    @Option(help: "Corpus directory (manifest.jsonl).")
    var corpus: String

    @Option(help: "Split to score: train, dev, test or test-voices.")
    var split: String = "test"

    @Option(help: "Score only the first N utterances by id (0: all).")
    var limit: Int = 0

    @Flag(help: "Print {\"cer\", \"wer\", \"ctc_loss\", \"utterances\", \"sentence_accuracy\", ...} as JSON.")
    var json = false

    @Flag(help: "Print every utterance's reference and hypothesis.")
    var verbose = false

    @OptionGroup var decoding: DecodingOptions

    func run() throws {
        let recognizer = try ModelInput.recognizer(model)
        let speechCorpus = try SpeechCorpus(directory: URL(fileURLWithPath: corpus))
        var entries = speechCorpus.entries(split: split).sorted { $0.id < $1.id }
        if limit > 0 { entries = Array(entries.prefix(limit)) }
        guard !entries.isEmpty else {
            let splits = Set(speechCorpus.entries.map(\.split)).sorted().joined(separator: ", ")
            throw RecognizerError.noUtterances(
                corpus: corpus, split: split, reason: "the manifest has none; its splits: \(splits)")
        }
        let decoder = try decoding.decoder(for: recognizer)
        let bar = ProgressBar(label: "evaluate \(split)", unit: "utt")
        var items: [(source: String, features: FeatureMatrix, reference: String)] = []
        var done = 0
        var skipped: [String] = []
        var pooled = Evaluation(cer: 0, wer: 0, ctcLoss: 0, utterances: 0)
        // Features in chunks, so memory stays small on large corpora.
        for chunk in stride(from: 0, to: entries.count, by: 64) {
            items = []
            for entry in entries[chunk..<min(chunk + 64, entries.count)] {
                let url = speechCorpus.audioURL(for: entry)
                let features = try recognizer.features(ofFile: url)
                // The model refuses inputs shorter than its receptive field; count them instead.
                guard features.frameCount >= recognizer.receptiveField else {
                    skipped.append(entry.id)
                    done += 1
                    continue
                }
                items.append((url.path, features, entry.text))
            }
            let part = try Evaluation.run(recognizer: recognizer, items: items, decoder: decoder) {
                source, reference, result in
                done += 1
                bar.update(done: done, total: entries.count)
                if verbose {
                    Console.warn(
                        "\(source)\(result.text == reference ? " (exact)" : "")\n  ref: \(reference)\n  hyp: \(result.text)"
                    )
                }
            }
            pooled = pooled.merged(with: part)
        }
        guard pooled.utterances > 0 else {
            throw RecognizerError.noUtterances(
                corpus: corpus, split: split,
                reason:
                    "all \(skipped.count) are shorter than the receptive field (\(recognizer.receptiveField) frames)")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            // An utterance whose transcript no path fits makes ctc_loss infinite; JSON has no infinity.
            encoder.nonConformingFloatEncodingStrategy = .convertToString(
                positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
            let report = Report(
                cer: pooled.cer, wer: pooled.wer, ctcLoss: pooled.ctcLoss, utterances: pooled.utterances,
                exact: pooled.exact, sentenceAccuracy: pooled.sentenceAccuracy, skippedTooShort: skipped.count,
                split: split, decoder: decoding.summary)
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(
                String(
                    format: "%@ %@: CER %.2f%%, WER %.2f%%, CTC loss %.3f, %d utterances, %d exactly right (%.1f%%)",
                    model, split, pooled.cer * 100, pooled.wer * 100, pooled.ctcLoss, pooled.utterances, pooled.exact,
                    pooled.sentenceAccuracy * 100))
        }
        if !skipped.isEmpty {
            Console.warn(
                "skipped \(skipped.count) utterance(s) shorter than the receptive field (\(recognizer.receptiveField) "
                    + "frames): " + skipped.prefix(5).joined(separator: ", ") + (skipped.count > 5 ? ", ..." : ""))
        }
    }

    /// What --json prints.
    struct Report: Encodable {
        let cer: Double
        let wer: Double
        let ctcLoss: Double
        let utterances: Int
        let exact: Int
        let sentenceAccuracy: Double
        let skippedTooShort: Int
        let split: String
        let decoder: String

        enum CodingKeys: String, CodingKey {
            case cer, wer, utterances, split, decoder, exact
            case ctcLoss = "ctc_loss"
            case sentenceAccuracy = "sentence_accuracy"
            case skippedTooShort = "skipped_too_short"
        }
    }
}
