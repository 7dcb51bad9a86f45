import ArgumentParser
import Foundation
import Phonetics
import SpeechSynthesis

/// `phonoscope g2p`: the phonemes of each word of a text.
struct G2PCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "g2p",
        abstract: "Print the phonemes (IPA) of each word: CMUdict, then eSpeak NG, for English; eSpeak NG for German.",
        discussion: """
            Words are split at spaces and lower-cased; a word may contain only the
            language's letters (and the apostrophe). Phonemes are IPA in eSpeak NG's
            symbols, without stress marks. English words come from CMUdict
            (Corpora/dictionaries/cmudict, ARPAbet mapped to IPA) and, when CMUdict lacks
            them, from eSpeak NG's en-us rules; --source espeak uses eSpeak NG only.

            Examples:
              phonoscope g2p --language en "the knight thought"
              phonoscope g2p --language de "über die straße" --json
              phonoscope g2p --language en --source espeak "phonemes"
            """)

    enum Source: String, ExpressibleByArgument, CaseIterable {
        case auto
        case cmudict
        case espeak
    }

    @Option(help: "Language of the text.")
    var language: Language

    @Option(help: "auto (English: CMUdict, then eSpeak NG; German: eSpeak NG), cmudict or espeak.")
    var source: Source = .auto

    @Option(help: "A pronouncing dictionary in CMUdict's format (default: the shipped CMUdict).")
    var dictionary: String?

    @Flag(help: "Print a JSON array of {\"word\", \"phonemes\", \"source\"}.")
    var json = false

    @Argument(help: "The text.")
    var text: String

    func validate() throws {
        if source == .cmudict && language != .en {
            throw ValidationError(
                "--source cmudict is English only; valid for --language \(language.rawValue): auto or espeak")
        }
    }

    func run() throws {
        let words = try WordSplitter.words(of: text, language: language)
        guard !words.isEmpty else { throw G2PError.emptyText }
        let g2p = try Self.g2p(language: language, source: source, dictionary: dictionary)
        var results: [(word: String, pronunciation: Pronunciation?)] = []
        for word in words { results.append((word, try g2p.pronunciation(of: word))) }
        if json {
            let objects: [[String: Any]] = results.map {
                [
                    "word": $0.word, "phonemes": $0.pronunciation?.phonemes ?? [],
                    "source": $0.pronunciation?.source ?? NSNull(),
                ]
            }
            let data = try JSONSerialization.data(
                withJSONObject: objects, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for (word, pronunciation) in results {
                print(
                    "\(word)\t\(pronunciation.map { $0.phonemes.joined(separator: " ") + "\t(\($0.source))" } ?? "?\t(unknown)")"
                )
            }
        }
        if let unknown = results.first(where: { $0.pronunciation == nil }) {
            throw ValidationError("no pronunciation for \"\(unknown.word)\" in \(source.rawValue)")
        }
    }

    static let cmudictPath = "Corpora/dictionaries/cmudict/cmudict.dict"

    /// The G2P for `language` and `source`.
    static func g2p(language: Language, source: Source, dictionary: String?) throws -> any GraphemeToPhoneme {
        let espeak = ESpeakG2P(language: language)
        guard language == .en, source != .espeak else { return espeak }
        guard let url = dictionary.map({ URL(fileURLWithPath: $0) }) ?? ProjectFiles.locate(Self.cmudictPath) else {
            throw ValidationError(
                "cannot find \(Self.cmudictPath) (set PHONOSCOPE_HOME to the repository, or pass --dictionary FILE)")
        }
        let cmudict = try CMUDict(contentsOf: url)
        return source == .cmudict ? cmudict : FallbackG2P([cmudict, espeak])
    }
}
