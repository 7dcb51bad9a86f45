import ArgumentParser
import AudioFeatures
import Corpus
import Foundation
import Phonetics
import PhonoscopeIO
import Plots

/// `phonoscope corpus show ID --corpus DIR -o FIG`: one utterance, Praat-style.
struct CorpusShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Draw an utterance: waveform, log-mel spectrogram and its word and phone tiers (PNG, SVG or PDF).",
        discussion: """
            Phone boundaries are drawn across the waveform and the spectrogram, so you can
            see whether they fall where the sound changes.

            Examples:
              phonoscope corpus show en-00042 --corpus corpora/en -o en-00042.png
              phonoscope corpus show 84-121123-0000 --corpus corpora/dev-clean -o \\
                utterance.pdf
            """)

    @Argument(help: "Utterance id (as in manifest.jsonl).")
    var id: String

    @Option(help: "Corpus directory.")
    var corpus: String

    @Option(name: [.customShort("o"), .long], help: "Figure file (.png, .svg or .pdf).")
    var output: String

    func run() throws {
        let url = URL(fileURLWithPath: output)
        _ = try OutputFormat(url: url)
        try AtomicFile.checkDestination(url)
        let speechCorpus = try SpeechCorpus(directory: URL(fileURLWithPath: corpus))
        let figure = try Self.figure(of: try speechCorpus.entry(id: id), in: speechCorpus)
        try figure.write(to: url)
    }

    /// The figure of one utterance: waveform, log-mel spectrogram, the corpus's tiers (if it
    /// has a TextGrid), then `extraTiers` (e.g. derived ones, drawn under the true ones).
    static func figure(of entry: CorpusEntry, in speechCorpus: SpeechCorpus, extraTiers: [IntervalTier] = [])
        throws -> UtteranceFigure
    {
        let signal = try speechCorpus.signal(for: entry)
        let extractor = try FeatureExtractor(.logmel)
        let features = try extractor.features(of: signal, source: speechCorpus.audioURL(for: entry).path)
        let tiers = ((try speechCorpus.alignment(for: entry)?.tiers) ?? []) + extraTiers
        let figureTiers = tiers.map { tier in
            FigureTier(
                name: tier.name,
                // Aligners may end a tier a little after the audio; clip to the audio.
                intervals: tier.intervals.filter { $0.start < signal.duration }.map {
                    FigureInterval(start: $0.start, end: min($0.end, signal.duration), label: $0.label)
                })
        }
        let configuration = extractor.configuration
        var figure = UtteranceFigure(
            samples: signal.samples, sampleRate: signal.sampleRate, spectrogram: features.values,
            frameCount: features.frameCount, binCount: features.binCount,
            secondsPerFrame: Double(configuration.stft.hopLength) / Double(configuration.sampleRate),
            binFrequencies: extractor.filterbank.centerFrequencies, tiers: figureTiers,
            title: "\(entry.id) (\(entry.voice), \(entry.split)): \(entry.text)")
        // About 300 points per second keeps phone labels legible in long utterances.
        figure.size.width = min(4000, max(1000, 300 * signal.duration))
        return figure
    }
}
