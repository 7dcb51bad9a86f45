import ArgumentParser
import AudioFeatures
import Foundation
import PhonoscopeIO

/// `phonoscope convert AUDIO -o OUT.wav|flac`: read, pick or mix channels, resample, write.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert an audio file to mono WAV (float) or FLAC (16-bit), optionally resampled.",
        discussion: """
            Examples:
              phonoscope convert interview.ogg -o interview.flac --sample-rate 16000
              phonoscope convert stereo.wav -o left.wav --channel 0
            """)

    @Argument(help: "Audio file (WAV, FLAC, Ogg Vorbis, or anything libsndfile reads).")
    var audio: String

    @Option(name: [.customShort("o"), .long], help: "Output audio file (.wav or .flac).")
    var output: String

    @Option(help: "Sample rate of the output in Hz (default: the input's).")
    var sampleRate: Int?

    @OptionGroup var channel: ChannelOption

    func run() throws {
        let url = URL(fileURLWithPath: output)
        _ = try AudioFile.OutputFormat(for: url)
        try AtomicFile.checkDestination(url)
        let signal = try AudioFile.read(URL(fileURLWithPath: audio), sampleRate: sampleRate, channel: channel.selection)
        try AudioFile.write(signal, to: url)
        print(
            String(
                format: "%@: %d samples, %.2f s at %d Hz", output, signal.samples.count, signal.duration,
                signal.sampleRate))
    }
}
