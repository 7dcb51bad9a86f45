import CSndFile
import Foundation
import PhonoscopeIO

/// Reads and writes audio files through libsndfile.
///
/// Reading accepts what libsndfile decodes: WAV (8/16/24/32-bit integer, 32/64-bit float),
/// FLAC, Ogg Vorbis, AIFF and others. Integer samples are scaled to [-1, 1) as libsndfile
/// and `soundfile` do (16-bit: divided by 32768).
public enum AudioFile {
    /// The decoded file before any channel selection or resampling.
    public struct Decoded: Sendable {
        /// Interleaved samples, `frameCount * channelCount` of them.
        public var interleaved: [Float]
        public var channelCount: Int
        public var sampleRate: Int
        public var frameCount: Int { channelCount == 0 ? 0 : interleaved.count / channelCount }
    }

    /// Decodes the whole file. Throws for missing files, directories, undecodable or truncated
    /// data and files with no samples.
    public static func decode(_ url: URL) throws -> Decoded {
        let (handle, info) = try openForReading(url)
        defer { sf_close(handle) }
        let channels = Int(info.channels)
        let declared = Int(info.frames)
        var read = 0
        let interleaved: [Float] = LargeArray.make(count: declared * channels) { buffer in
            read = Int(sf_readf_float(handle, buffer.baseAddress, sf_count_t(declared)))
            // Zero what could not be read; the shortfall is reported below.
            buffer.baseAddress.map {
                ($0 + max(0, read) * channels).initialize(repeating: 0, count: (declared - max(0, read)) * channels)
            }
        }
        let status = sf_error(handle)
        if status != 0 {
            throw AudioFeaturesError.undecodable(path: url.path, reason: String(cString: sf_error_number(status)))
        }
        if read < declared {
            throw AudioFeaturesError.undecodable(
                path: url.path, reason: "truncated: the header promises \(declared) frames, only \(read) could be read")
        }
        return Decoded(interleaved: interleaved, channelCount: channels, sampleRate: Int(info.samplerate))
    }

    /// Opens `url` with libsndfile and checks its header: a readable file, decodable, with
    /// samples, channels and a positive rate, and no data chunk cut short. The caller closes the
    /// handle.
    static func openForReading(_ url: URL) throws -> (handle: OpaquePointer, info: SF_INFO) {
        try FileError.checkReadableFile(url)
        var info = SF_INFO()
        guard let handle = sf_open(url.path, Int32(SFM_READ), &info) else {
            throw AudioFeaturesError.undecodable(path: url.path, reason: String(cString: sf_strerror(nil)))
        }
        do {
            guard info.frames > 0, info.channels > 0 else { throw AudioFeaturesError.empty(path: url.path) }
            if let shortfall = truncatedDataChunk(handle) {
                throw AudioFeaturesError.undecodable(path: url.path, reason: "truncated: \(shortfall)")
            }
            guard info.samplerate > 0 else {
                throw AudioFeaturesError.undecodable(
                    path: url.path, reason: "sample rate \(info.samplerate) in the header")
            }
        } catch {
            sf_close(handle)
            throw error
        }
        return (handle, info)
    }

    /// libsndfile quietly shortens a WAV/AIFF whose data chunk runs past the end of the file and
    /// notes it in its log as "data : N (should be M)". A declared length larger than what is
    /// there means the file was cut short; 0 and 0xFFFFFFFF are streaming writers' placeholders.
    static func truncatedDataChunk(_ handle: OpaquePointer) -> String? {
        var log = [CChar](repeating: 0, count: 8192)
        sf_command(handle, Int32(SFC_GET_LOG_INFO), &log, Int32(log.count))
        let text = String(decoding: log.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("data") && line.contains("should be") {
            let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            if numbers.count >= 2, numbers[0] > numbers[1], numbers[0] != 0xFFFF_FFFF {
                return "the data chunk declares \(numbers[0]) bytes, the file holds \(numbers[1])"
            }
        }
        return nil
    }

    /// What a file's header says, without decoding it.
    public struct Info: Sendable, Equatable {
        public var frameCount: Int
        public var sampleRate: Int
        public var channelCount: Int
    }

    /// The header of an audio file: frames, rate, channels.
    public static func info(_ url: URL) throws -> Info {
        try FileError.checkReadableFile(url)
        var info = SF_INFO()
        guard let handle = sf_open(url.path, Int32(SFM_READ), &info) else {
            throw AudioFeaturesError.undecodable(path: url.path, reason: String(cString: sf_strerror(nil)))
        }
        sf_close(handle)
        return Info(frameCount: Int(info.frames), sampleRate: Int(info.samplerate), channelCount: Int(info.channels))
    }

    /// Reads a file as one channel at `sampleRate` (resampled with libsoxr, high quality, when
    /// the file's rate differs; `nil` keeps the file's rate). Throws for NaN or Inf samples.
    public static func read(
        _ url: URL, sampleRate: Int? = nil, channel: ChannelSelection = .mixDown
    ) throws -> AudioSignal {
        if let sampleRate, sampleRate <= 0 {
            throw AudioFeaturesError.invalidParameter(
                name: "--sample-rate", value: String(sampleRate), valid: "a positive rate in Hz, e.g. 16000")
        }
        let decoded = try decode(url)
        let mono = try monoSamples(decoded, channel: channel, path: url.path)
        if let bad = mono.firstIndex(where: { !$0.isFinite }) {
            throw AudioFeaturesError.nonFinite(path: url.path, sampleIndex: bad, value: mono[bad])
        }
        var signal = AudioSignal(samples: mono, sampleRate: decoded.sampleRate)
        if let sampleRate, sampleRate != decoded.sampleRate {
            signal = try Resampler.resample(signal, to: sampleRate)
        }
        return signal
    }

    static func monoSamples(_ decoded: Decoded, channel: ChannelSelection, path: String) throws -> [Float] {
        let channels = decoded.channelCount
        if case .channel(let index) = channel, index < 0 || index >= channels {
            throw AudioFeaturesError.noSuchChannel(path: path, channel: index, channelCount: channels)
        }
        if channels == 1 { return decoded.interleaved }
        let frames = decoded.frameCount
        return decoded.interleaved.withUnsafeBufferPointer { interleaved in
            [Float](unsafeUninitializedCapacity: frames) { output, initialized in
                if let base = output.baseAddress {
                    mono(interleaved, frames: frames, channels: channels, channel: channel, into: base)
                }
                initialized = frames
            }
        }
    }

    /// One channel of `frames` interleaved frames, or their down-mix (the mean of the channels,
    /// summed in channel order), into `output`. The channel index must be valid.
    static func mono(
        _ interleaved: UnsafeBufferPointer<Float>, frames: Int, channels: Int, channel: ChannelSelection,
        into output: UnsafeMutablePointer<Float>
    ) {
        switch channel {
        case .channel(let index):
            for i in 0..<frames { output[i] = interleaved[i * channels + index] }
        case .mixDown:
            let scale = 1 / Float(channels)
            for i in 0..<frames {
                var sum: Float = 0
                for c in 0..<channels { sum += interleaved[i * channels + c] }
                output[i] = sum * scale
            }
        }
    }

    /// Audio formats Phonoscope writes, chosen by the file's extension.
    public enum OutputFormat: String, Sendable, CaseIterable {
        /// WAV, 32-bit float: keeps every sample exactly.
        case wav
        /// FLAC, 16-bit: lossless for 16-bit audio, about half the size; samples are clipped to [-1, 1).
        case flac

        var sndfileFormat: Int32 {
            switch self {
            case .wav: return Int32(SF_FORMAT_WAV) | Int32(SF_FORMAT_FLOAT)
            case .flac: return Int32(SF_FORMAT_FLAC) | Int32(SF_FORMAT_PCM_16)
            }
        }

        /// The format for `url`'s extension (case-insensitive), or an error naming the valid ones.
        public init(for url: URL) throws {
            guard let format = OutputFormat(rawValue: url.pathExtension.lowercased()) else {
                throw AudioFeaturesError.unsupportedOutput(path: url.path, valid: ".wav, .flac")
            }
            self = format
        }
    }

    /// Writes a mono signal atomically, as WAV (float) or FLAC (16-bit) by extension.
    public static func write(_ signal: AudioSignal, to url: URL) throws {
        let format = try OutputFormat(for: url)
        guard signal.sampleRate > 0 else {
            throw AudioFeaturesError.invalidParameter(
                name: "sample rate", value: String(signal.sampleRate), valid: "a positive rate in Hz")
        }
        try AtomicFile.withTemporaryURL(for: url) { temporary in
            var info = SF_INFO()
            info.samplerate = Int32(signal.sampleRate)
            info.channels = 1
            info.format = format.sndfileFormat
            guard let handle = sf_open(temporary.path, Int32(SFM_WRITE), &info) else {
                throw FileError.unwritable(path: url.path, reason: String(cString: sf_strerror(nil)))
            }
            if format == .flac {
                // Clip rather than wrap: libsndfile otherwise wraps float samples beyond full scale.
                sf_command(handle, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
            }
            let written = signal.samples.withUnsafeBufferPointer {
                Int(sf_writef_float(handle, $0.baseAddress, sf_count_t(signal.samples.count)))
            }
            let closed = sf_close(handle)
            guard written == signal.samples.count, closed == 0 else {
                throw FileError.unwritable(
                    path: url.path, reason: "libsndfile wrote \(written) of \(signal.samples.count) samples")
            }
        }
    }
}
