import Foundation

/// Errors of the audio front end. Each names the file or the parameter, the bad value and what
/// would be valid.
public enum AudioFeaturesError: Error, CustomStringConvertible, Equatable {
    /// libsndfile could not open or decode the file (unknown format, truncated, unreadable).
    case undecodable(path: String, reason: String)
    /// The file decodes to no samples at all.
    case empty(path: String)
    /// The signal holds NaN or infinity.
    case nonFinite(path: String, sampleIndex: Int, value: Float)
    /// Fewer samples than one analysis frame.
    case tooShort(path: String, sampleCount: Int, required: Int, sampleRate: Int)
    /// A channel that the file does not have.
    case noSuchChannel(path: String, channel: Int, channelCount: Int)
    /// A parameter outside its valid range.
    case invalidParameter(name: String, value: String, valid: String)
    /// An audio output format we cannot write.
    case unsupportedOutput(path: String, valid: String)
    /// The resampler failed.
    case resampling(reason: String)

    public var description: String {
        switch self {
        case .undecodable(let path, let reason):
            return
                "\(path): cannot decode audio: \(reason) (readable: WAV, FLAC, Ogg Vorbis and the other formats libsndfile knows)"
        case .empty(let path):
            return "\(path): the audio has 0 samples; a file with at least one frame of audio is needed"
        case .nonFinite(let path, let index, let value):
            return "\(path): sample \(index) is \(value); audio must be finite (no NaN or Inf)"
        case .tooShort(let path, let count, let required, let rate):
            let milliseconds = Double(required) * 1000 / Double(rate)
            return
                "\(path): \(count) samples is shorter than one frame; at least \(required) samples (n_fft, \(String(format: "%.1f", milliseconds)) ms at \(rate) Hz) are needed"
        case .noSuchChannel(let path, let channel, let count):
            return
                "\(path): --channel \(channel) does not exist; the file has \(count) channel(s), valid: 0...\(count - 1)"
        case .invalidParameter(let name, let value, let valid):
            return "\(name) \(value) is invalid; valid: \(valid)"
        case .unsupportedOutput(let path, let valid):
            return "\(path): cannot write this audio format; valid extensions: \(valid)"
        case .resampling(let reason):
            return "resampling failed: \(reason)"
        }
    }
}
