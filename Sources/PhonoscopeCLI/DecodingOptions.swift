import ArgumentParser
import Corpus
import Foundation
import Recognizer

/// How `transcribe` and `evaluate` decode: greedy (the default), prefix beam search, or beam
/// search with a character n-gram language model counted from a corpus's train transcripts.
struct DecodingOptions: ParsableArguments {
    @Option(help: "Prefix beam search with this beam width instead of greedy decoding (0: greedy).")
    var beam = 0

    @Option(help: "Fuse a character language model counted from this corpus's train split (needs --beam).")
    var lmCorpus: String?

    @Option(help: "The language model's order (letters of history + 1).")
    var lmOrder = 6

    @Option(help: "Weight of the language model's log-probability.")
    var lmWeight = 0.5

    @Option(help: "Score added per emitted letter (offsets the language model's cost per letter).")
    var letterBonus = 1.0

    func validate() throws {
        guard beam >= 0 else {
            throw ValidationError("--beam \(beam) is invalid; valid: 0 (greedy) or a width of 1 or more")
        }
        if lmCorpus != nil && beam == 0 {
            throw ValidationError("--lm-corpus needs --beam N (e.g. 16): greedy decoding has no language model")
        }
        guard lmWeight >= 0, lmWeight.isFinite else {
            throw ValidationError("--lm-weight \(lmWeight) is invalid; valid: 0 or more")
        }
    }

    /// What the command prints about the decoder, e.g. "beam 16 + 6-gram LM (weight 0.5, bonus 1)".
    var summary: String {
        guard beam > 0 else { return "greedy" }
        guard lmCorpus != nil else { return "beam \(beam)" }
        return "beam \(beam) + \(lmOrder)-gram letter LM (weight \(lmWeight), bonus \(letterBonus))"
    }

    func decoder(for recognizer: Recognizer) throws -> CTCDecoder {
        guard beam > 0 else { return .greedy }
        guard let lmCorpus else { return .beam(width: beam, fusion: nil) }
        let corpus = try SpeechCorpus(directory: URL(fileURLWithPath: lmCorpus))
        let alphabet = recognizer.alphabet
        // Transcripts with letters the model cannot write are left out (and counted).
        var transcripts: [[Int]] = []
        var skipped = 0
        for entry in corpus.entries(split: "train") {
            if let labels = try? alphabet.encode(alphabet.normalize(entry.text)) {
                transcripts.append(labels)
            } else {
                skipped += 1
            }
        }
        guard !transcripts.isEmpty else {
            throw ValidationError("--lm-corpus \(lmCorpus) has no train transcripts the model's alphabet can spell")
        }
        let model = try CharacterLanguageModel(
            transcripts: transcripts, classes: alphabet.count, blank: alphabet.blankIndex, order: lmOrder)
        Console.warn(
            "language model: \(lmOrder)-gram over \(transcripts.count) train transcripts of \(lmCorpus)"
                + (skipped > 0 ? " (\(skipped) with other letters left out)" : ""))
        return .beam(width: beam, fusion: LanguageModelFusion(model: model, weight: lmWeight, bonus: letterBonus))
    }
}
