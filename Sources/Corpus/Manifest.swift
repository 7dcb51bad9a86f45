import Foundation
import Phonetics
import PhonoscopeIO

/// One utterance of a corpus: a line of `manifest.jsonl`.
///
/// `audio` and `alignment` are paths relative to the corpus directory; `text` is the normalised
/// transcript in the language's alphabet; `duration` is in seconds.
public struct CorpusEntry: Sendable, Equatable, Codable {
    public var id: String
    public var audio: String
    /// A Praat TextGrid with tiers `words` and `phones`; nil when the corpus has no alignments.
    public var alignment: String?
    public var text: String
    public var language: String
    /// The speaker: an eSpeak NG voice (`en-us+f3`) or a LibriSpeech speaker id.
    public var voice: String
    /// `train`, `dev`, `test` or `test-voices`.
    public var split: String
    public var duration: Double

    public init(
        id: String, audio: String, alignment: String?, text: String, language: String, voice: String, split: String,
        duration: Double
    ) {
        self.id = id
        self.audio = audio
        self.alignment = alignment
        self.text = text
        self.language = language
        self.voice = voice
        self.split = split
        self.duration = duration
    }
}

/// `manifest.jsonl`: one JSON object per line, keys sorted, so the same corpus gives the same bytes.
public enum Manifest {
    public static let fileName = "manifest.jsonl"

    /// Parses every line; errors name the line. Blank lines are skipped. Checks that ids are
    /// unique, transcripts use the language's alphabet, and (when `checkFiles`) that the audio
    /// and alignment files exist.
    public static func read(_ url: URL, checkFiles: Bool = true) throws -> [CorpusEntry] {
        let text = try FileError.text(of: url)
        let directory = url.deletingLastPathComponent()
        let decoder = JSONDecoder()
        var entries: [CorpusEntry] = []
        var seen: Set<String> = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            if line.allSatisfy(\.isWhitespace) { continue }
            let entry: CorpusEntry
            do {
                entry = try decoder.decode(CorpusEntry.self, from: Data(line.utf8))
            } catch {
                throw CorpusError.manifestLine(path: url.path, line: number, reason: describe(error))
            }
            guard seen.insert(entry.id).inserted else {
                throw CorpusError.duplicateID(path: url.path, line: number, id: entry.id)
            }
            guard let language = Language(rawValue: entry.language) else {
                throw CorpusError.manifestLine(
                    path: url.path, line: number,
                    reason:
                        "language \"\(entry.language)\" (valid: \(Language.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            if let bad = language.firstInvalidCharacter(in: entry.text) {
                throw CorpusError.invalidTranscript(
                    path: url.path, line: number, id: entry.id, character: String(bad.character), offset: bad.offset,
                    language: language.rawValue)
            }
            if checkFiles {
                for file in [entry.audio] + (entry.alignment.map { [$0] } ?? []) {
                    let path = directory.appendingPathComponent(file).path
                    if !FileManager.default.fileExists(atPath: path) {
                        throw CorpusError.missingFile(path: url.path, line: number, id: entry.id, file: path)
                    }
                }
            }
            entries.append(entry)
        }
        return entries
    }

    /// The manifest's bytes: one sorted-key JSON object per line.
    public static func encoded(_ entries: [CorpusEntry]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for entry in entries {
            data.append(try encoder.encode(entry))
            data.append(0x0A)
        }
        return data
    }

    /// Writes the manifest atomically.
    public static func write(_ entries: [CorpusEntry], to url: URL) throws {
        try AtomicFile.write(try encoded(entries), to: url)
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _):
            return
                "missing key \"\(key.stringValue)\" (each line needs id, audio, text, language, voice, split, duration)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "wrong type for \"\(key)\": \(context.debugDescription)"
        case DecodingError.dataCorrupted:
            return "not a JSON object"
        default:
            return "\(error)"
        }
    }
}
