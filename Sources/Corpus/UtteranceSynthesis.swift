import AudioFeatures
import Foundation
import Phonetics
import PhonoscopeIO
import SpeechSynthesis

/// Synthesises one utterance into a corpus directory: 16 kHz FLAC and its true TextGrid.
///
/// The TextGrid is written last, so an utterance whose TextGrid exists is complete (both files
/// are written atomically); that is how an interrupted run knows what to skip.
public enum UtteranceSynthesis {
    /// The rate corpora are written at.
    public static let sampleRate = 16000

    public static func synthesize(_ job: UtteranceJob, into directory: URL) throws {
        let utterance: Synthesizer.Utterance
        do {
            utterance = try Synthesizer.speak(
                job.text, voice: .init(name: job.voice, wordsPerMinute: job.wordsPerMinute, pitch: job.pitch),
                sampleRate: sampleRate)
        } catch {
            throw CorpusError.synthesisFailed(id: job.id, reason: String(describing: error))
        }
        let grid = EventAlignment.textGrid(
            text: job.text, events: utterance.events, sampleCount: utterance.signal.samples.count,
            sampleRate: sampleRate)
        let fileManager = FileManager.default
        for folder in ["audio", "alignments"] {
            try fileManager.createDirectory(
                at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try AudioFile.write(utterance.signal, to: directory.appendingPathComponent(job.audioPath))
        try grid.write(to: directory.appendingPathComponent(job.alignmentPath))
    }

    /// True when both of the job's files exist.
    public static func isComplete(_ job: UtteranceJob, in directory: URL) -> Bool {
        let fileManager = FileManager.default
        return fileManager.fileExists(atPath: directory.appendingPathComponent(job.alignmentPath).path)
            && fileManager.fileExists(atPath: directory.appendingPathComponent(job.audioPath).path)
    }
}
