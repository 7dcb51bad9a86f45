import ArgumentParser
import Corpus
import Foundation
import Recognizer

/// How `transcribe` and `evaluate` decode: greedy (the default), prefix beam search, or beam
/// search with a character n-gram language model counted from a corpus's train transcripts,
/// optionally with a word list whose outside words pay a penalty.
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

    @Option(
        help: ArgumentHelp(
            "Word list (one word per line, e.g. /usr/share/dict/ngerman) for lexicon fusion (needs --lm-corpus).",
            discussion: "The --lm-corpus train words join the list; words the alphabet cannot spell are left out."))
    var lexicon: String?

    @Option(help: "Score subtracted for each word outside the --lexicon list.")
    var oovPenalty = 4.0

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
        if lexicon != nil && lmCorpus == nil {
            throw ValidationError("--lexicon needs --lm-corpus DIR and --beam N: it is fused with the language model")
        }
        guard oovPenalty >= 0, oovPenalty.isFinite else {
            throw ValidationError("--oov-penalty \(oovPenalty) is invalid; valid: 0 or more")
        }
    }

    /// What the command prints about the decoder, e.g. "beam 16 + 6-gram LM (weight 0.5, bonus 1)".
    var summary: String {
        guard beam > 0 else { return "greedy" }
        guard lmCorpus != nil else { return "beam \(beam)" }
        let lm = "beam \(beam) + \(lmOrder)-gram letter LM (weight \(lmWeight), bonus \(letterBonus))"
        guard let lexicon else { return lm }
        return lm + " + lexicon \(URL(fileURLWithPath: lexicon).lastPathComponent) (OOV penalty \(oovPenalty))"
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
        var fusion = LanguageModelFusion(model: model, weight: lmWeight, bonus: letterBonus, oovPenalty: oovPenalty)
        if let lexicon {
            fusion.lexicon = try Self.lexicon(lexicon, alphabet: alphabet, transcripts: transcripts)
        }
        return .beam(width: beam, fusion: fusion)
    }

    /// The words of `path` (one per line, normalised as transcripts are) and of `transcripts`
    /// as a `Lexicon`; words the alphabet cannot spell are left out and counted.
    static func lexicon(_ path: String, alphabet: Alphabet, transcripts: [[Int]]) throws -> Lexicon {
        guard let space = alphabet.labels.firstIndex(of: " ") else {
            throw ValidationError("--lexicon \(path): the model's alphabet has no space to separate words")
        }
        let text: String
        do {
            text = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
        } catch {
            throw ValidationError(
                "--lexicon \(path) cannot be read as UTF-8 text (\(error.localizedDescription)); valid: a word list, "
                    + "one word per line")
        }
        var words: [[Int]] = []
        var skipped = 0
        for line in text.split(whereSeparator: \.isNewline) {
            let word = alphabet.normalize(line.trimmingCharacters(in: .whitespaces))
            guard !word.isEmpty else { continue }
            if !word.contains(" "), let labels = try? alphabet.encode(word) {
                words.append(labels)
            } else {
                skipped += 1
            }
        }
        for transcript in transcripts {
            words += transcript.split(separator: space).map(Array.init)
        }
        guard !words.isEmpty else {
            throw ValidationError("--lexicon \(path) has no words the model's alphabet can spell")
        }
        let lexicon = try Lexicon(words: words, classes: alphabet.count, separator: space)
        Console.warn(
            "lexicon: \(lexicon.wordCount) words from \(path) and the train transcripts"
                + (skipped > 0 ? " (\(skipped) lines with other letters left out)" : ""))
        return lexicon
    }
}
