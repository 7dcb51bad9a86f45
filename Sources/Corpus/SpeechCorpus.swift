import AudioFeatures
import Foundation
import Phonetics

/// A corpus directory: `manifest.jsonl` plus the audio and TextGrid files it names.
///
/// Any corpus in this layout plugs in, whatever its audio format (WAV, FLAC, Ogg, ...) or
/// rate: `signal(for:)` decodes and resamples on reading.
public struct SpeechCorpus: Sendable {
    public let directory: URL
    public let entries: [CorpusEntry]

    /// Reads and checks the manifest (see `Manifest.read`).
    public init(directory: URL, checkFiles: Bool = true) throws {
        self.directory = directory
        self.entries = try Manifest.read(directory.appendingPathComponent(Manifest.fileName), checkFiles: checkFiles)
    }

    public func entries(split: String) -> [CorpusEntry] { entries.filter { $0.split == split } }

    public func entry(id: String) throws -> CorpusEntry {
        guard let entry = entries.first(where: { $0.id == id }) else {
            throw CorpusError.unknownUtterance(id: id, corpus: directory.path)
        }
        return entry
    }

    public func audioURL(for entry: CorpusEntry) -> URL { directory.appendingPathComponent(entry.audio) }

    /// The utterance's audio as one channel at `sampleRate` (resampled with libsoxr if needed).
    public func signal(for entry: CorpusEntry, sampleRate: Int = 16000) throws -> AudioSignal {
        try AudioFile.read(audioURL(for: entry), sampleRate: sampleRate)
    }

    /// The utterance's TextGrid (validated), or nil when the corpus has none for it.
    public func alignment(for entry: CorpusEntry) throws -> TextGrid? {
        guard let alignment = entry.alignment else { return nil }
        return try TextGrid(contentsOf: directory.appendingPathComponent(alignment))
    }
}
