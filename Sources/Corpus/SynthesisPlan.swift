import Foundation
import Phonetics
import PhonoscopeIO
import SeededRandom

/// One utterance to synthesise: everything that determines its audio.
public struct UtteranceJob: Sendable, Codable, Equatable {
    public var id: String
    public var text: String
    public var language: Language
    /// eSpeak NG voice with its variant, e.g. `en-us+f3`.
    public var voice: String
    public var wordsPerMinute: Int
    public var pitch: Int
    public var split: String

    /// Where the job's files go, relative to the corpus directory.
    public var audioPath: String { "audio/\(id).flac" }
    public var alignmentPath: String { "alignments/\(id).TextGrid" }
}

/// How a synthetic corpus is drawn from a seed: which sentences, voices, rates and pitches, and
/// which split each utterance belongs to.
///
/// - Sentences: the list is shuffled with the seed and the first `count` are used, each once.
/// - Splits are by sentence, so no sentence is in two splits: 6 % `test-voices`, 6 % `test`,
///   8 % `dev`, the rest `train` (at least one utterance in each split when count >= 4).
/// - Voices: eSpeak NG's male and female variants; `test-voices` uses only variants that no other
///   split uses, to measure how a model copes with voices it was not trained on.
/// - Speaking rate 140...200 words per minute and pitch 35...65, uniform.
public enum SynthesisPlan {
    /// Bumped whenever the drawing rules change, so an old corpus is not resumed with new rules.
    public static let version = 1

    /// Variants for train/dev/test: five male, three female.
    public static let trainingVariants = ["m1", "m2", "m3", "m4", "m5", "f1", "f2", "f3"]
    /// Variants only `test-voices` uses: two male, two female.
    public static let heldOutVariants = ["m6", "m7", "f4", "f5"]
    public static let splits = ["train", "dev", "test", "test-voices"]
    public static let wordsPerMinute = 140...200
    public static let pitch = 35...65

    /// The jobs for `count` utterances of `language` from `sentences` with `seed`.
    public static func jobs(language: Language, sentences: [String], count: Int, seed: UInt64) throws -> [UtteranceJob]
    {
        guard count >= 1 else {
            throw CorpusError.invalidParameter(name: "--count", value: String(count), valid: "1 or more utterances")
        }
        guard count <= sentences.count else {
            throw CorpusError.invalidParameter(
                name: "--count", value: String(count),
                valid: "at most \(sentences.count), the number of distinct \(language.name) sentences available")
        }
        var generator = SeededGenerator(seed: seed)
        let chosen = Array(generator.shuffled(sentences).prefix(count))
        let heldOut = count >= 4 ? max(1, Int((0.06 * Double(count)).rounded())) : 0
        let test = count >= 4 ? max(1, Int((0.06 * Double(count)).rounded())) : 0
        let dev = count >= 4 ? max(1, Int((0.08 * Double(count)).rounded())) : 0
        let width = max(5, String(count - 1).count)
        return chosen.enumerated().map { index, sentence in
            let split: String
            switch index {
            case ..<heldOut: split = "test-voices"
            case ..<(heldOut + test): split = "test"
            case ..<(heldOut + test + dev): split = "dev"
            default: split = "train"
            }
            let variants = split == "test-voices" ? heldOutVariants : trainingVariants
            let variant = variants[generator.integer(below: variants.count)]
            let number = String(index)
            return UtteranceJob(
                id: "\(language.rawValue)-" + String(repeating: "0", count: max(0, width - number.count)) + number,
                text: sentence, language: language, voice: "\(language.espeakVoice)+\(variant)",
                wordsPerMinute: generator.integer(in: wordsPerMinute), pitch: generator.integer(in: pitch), split: split
            )
        }
    }

    /// Reads a sentence list (one normalised sentence per line); errors name the line.
    public static func sentences(from url: URL, language: Language) throws -> [String] {
        let text = try FileError.text(of: url)
        var seen: Set<String> = []
        var sentences: [String] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let sentence = line.trimmingCharacters(in: .whitespaces)
            if sentence.isEmpty { continue }
            if let bad = language.firstInvalidCharacter(in: sentence) {
                throw CorpusError.invalidTranscript(
                    path: url.path, line: index + 1, id: "sentence", character: String(bad.character),
                    offset: bad.offset, language: language.rawValue)
            }
            if seen.insert(sentence).inserted { sentences.append(sentence) }
        }
        return sentences
    }
}
