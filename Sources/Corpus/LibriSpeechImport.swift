import AudioFeatures
import Foundation
import Phonetics
import PhonoscopeIO

/// Imports a LibriSpeech tree (speaker/chapter/*.flac with speaker-chapter.trans.txt) as a
/// corpus, optionally with Montreal-Forced-Aligner TextGrids.
///
/// - The audio stays where it is; the manifest points to it with paths relative to the corpus.
/// - Transcripts are lower-cased and must then use the English alphabet.
/// - The split comes from the subset folder name: dev-* -> dev, test-* -> test, otherwise train.
/// - With `textGrids`, each utterance's `ID.TextGrid` (found anywhere below that folder) is
///   converted: its `words` and `phones` tiers are kept, ARPAbet phones become IPA (`ARPAbet`),
///   other labels (MFA's IPA models) are kept, and silence labels become empty. Utterances
///   without a TextGrid get no alignment.
public enum LibriSpeechImport {
    public static func run(root: URL, into directory: URL, textGrids: URL?) throws -> [CorpusEntry] {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CorpusError.librispeech(path: root.path, reason: "not a directory; expected a LibriSpeech tree")
        }
        let transcripts = files(under: root, suffix: ".trans.txt")
        guard !transcripts.isEmpty else {
            throw CorpusError.librispeech(
                path: root.path,
                reason: "no *.trans.txt transcripts found (expected SPEAKER/CHAPTER/SPEAKER-CHAPTER.trans.txt)")
        }
        var gridIndex: [String: URL] = [:]
        if let textGrids {
            for url in files(under: textGrids, suffix: ".TextGrid") {
                gridIndex[url.deletingPathExtension().lastPathComponent] = url
            }
        }
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        var entries: [CorpusEntry] = []
        for transcript in transcripts {
            let text = try FileError.text(of: transcript)
            for (index, line) in text.split(separator: "\n").enumerated() {
                let parts = line.split(separator: " ", maxSplits: 1)
                guard parts.count == 2 else {
                    throw CorpusError.manifestLine(
                        path: transcript.path, line: index + 1, reason: "expected \"UTTERANCE-ID TRANSCRIPT\"")
                }
                let id = String(parts[0])
                let words = parts[1].lowercased().split(separator: " ").joined(separator: " ")
                if let bad = Language.en.firstInvalidCharacter(in: words) {
                    throw CorpusError.invalidTranscript(
                        path: transcript.path, line: index + 1, id: id, character: String(bad.character),
                        offset: bad.offset, language: "en")
                }
                let audio = transcript.deletingLastPathComponent().appendingPathComponent("\(id).flac")
                guard fileManager.fileExists(atPath: audio.path) else {
                    throw CorpusError.missingFile(path: transcript.path, line: index + 1, id: id, file: audio.path)
                }
                let info = try AudioFile.info(audio)
                var alignment: String?
                if let source = gridIndex[id] {
                    let converted = try convert(TextGrid(contentsOf: source), path: source.path)
                    alignment = "alignments/\(id).TextGrid"
                    try fileManager.createDirectory(
                        at: directory.appendingPathComponent("alignments"), withIntermediateDirectories: true)
                    try converted.write(to: directory.appendingPathComponent(alignment ?? ""))
                }
                entries.append(
                    CorpusEntry(
                        id: id, audio: relativePath(from: directory, to: audio), alignment: alignment, text: words,
                        language: "en", voice: String(id.split(separator: "-").first ?? ""),
                        split: split(of: transcript, below: root),
                        duration: Double(info.frameCount) / Double(info.sampleRate)))
            }
        }
        entries.sort { $0.id < $1.id }
        try Manifest.write(entries, to: directory.appendingPathComponent(Manifest.fileName))
        return entries
    }

    /// MFA's tiers as Phonoscope's: `words` and `phones`, phones in IPA, silences empty.
    static func convert(_ grid: TextGrid, path: String) throws -> TextGrid {
        func tier(_ name: String) throws -> IntervalTier {
            var tier = try grid.tier(name, path: path)
            tier.intervals = tier.intervals.map { interval in
                var converted = interval
                if ARPAbet.silences.contains(interval.label) {
                    converted.label = ""
                } else if name == "phones" {
                    converted.label = ARPAbet.ipa(interval.label) ?? interval.label
                } else {
                    converted.label = interval.label.lowercased()
                }
                return converted
            }
            return tier
        }
        return TextGrid(xmin: grid.xmin, xmax: grid.xmax, tiers: [try tier("words"), try tier("phones")])
    }

    static func split(of transcript: URL, below root: URL) -> String {
        let components = transcript.standardizedFileURL.pathComponents.dropLast()
        for name in components.reversed() {
            if name.hasPrefix("dev-") { return "dev" }
            if name.hasPrefix("test-") { return "test" }
            if name.hasPrefix("train-") { return "train" }
        }
        return "train"
    }

    static func files(under root: URL, suffix: String) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            return []
        }
        var found: [URL] = []
        for case let url as URL in enumerator where url.lastPathComponent.hasSuffix(suffix) { found.append(url) }
        return found.sorted { $0.path < $1.path }
    }

    /// `target` relative to `base` (a directory), with ".." where needed.
    static func relativePath(from base: URL, to target: URL) -> String {
        let from = base.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        let to = target.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var common = 0
        while common < from.count, common < to.count, from[common] == to[common] { common += 1 }
        return (Array(repeating: "..", count: from.count - common) + to[common...]).joined(separator: "/")
    }
}
