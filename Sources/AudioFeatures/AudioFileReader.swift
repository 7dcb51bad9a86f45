import CSndFile
import CSpectralKernels
import Foundation

/// Reads an audio file block by block as one channel at the file's own rate (the mono
/// down-mix or one channel, as `AudioFile.read` makes it), so that long recordings need not
/// be decoded whole. Checks what `AudioFile.read` checks: the header when opened; NaN or Inf
/// samples and truncated data as the blocks are read.
///
/// Ownership: the reader owns the libsndfile handle and closes it in `deinit`.
public final class AudioFileReader {
    public let url: URL
    public let sampleRate: Int
    public let channelCount: Int
    /// Frames (samples per channel) the header declares.
    public let frameCount: Int
    /// Frames read so far.
    public private(set) var position = 0
    private let channel: ChannelSelection
    private let handle: OpaquePointer
    private var interleaved: [Float] = []
    /// Mono 16-bit PCM is read as integers and scaled here (the same x / 32768 libsndfile
    /// applies), which skips libsndfile's conversion buffer and the finite check.
    private let integers: Bool
    private var shorts: [Int16] = []

    public init(_ url: URL, channel: ChannelSelection = .mixDown) throws {
        let (handle, info) = try AudioFile.openForReading(url)
        self.url = url
        self.handle = handle
        self.channel = channel
        sampleRate = Int(info.samplerate)
        channelCount = Int(info.channels)
        frameCount = Int(info.frames)
        integers = info.channels == 1 && (info.format & Int32(SF_FORMAT_SUBMASK)) == Int32(SF_FORMAT_PCM_16)
        if case .channel(let index) = channel, index < 0 || index >= channelCount {
            sf_close(handle)
            throw AudioFeaturesError.noSuchChannel(path: url.path, channel: index, channelCount: channelCount)
        }
    }

    deinit { sf_close(handle) }

    /// Whether `read(into:)` also takes 16-bit integers: mono 16-bit PCM, read as it is stored.
    public var readsSixteenBitIntegers: Bool { integers }

    /// Fills `buffer` with the next samples (fewer only at the end of the file) and returns how
    /// many it wrote.
    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws -> Int {
        let wanted = min(buffer.count, frameCount - position)
        guard wanted > 0, let output = buffer.baseAddress else { return 0 }
        let got: Int
        if integers {
            if shorts.count < wanted { shorts = [Int16](repeating: 0, count: wanted) }
            got = shorts.withUnsafeMutableBufferPointer { values -> Int in
                let n = max(0, Int(sf_readf_short(handle, values.baseAddress, sf_count_t(wanted))))
                if let source = values.baseAddress { psk_int16_to_float(source, output, n) }
                return n
            }
        } else if channelCount == 1 {
            got = Int(sf_readf_float(handle, output, sf_count_t(wanted)))
        } else {
            if interleaved.count < wanted * channelCount {
                interleaved = [Float](repeating: 0, count: wanted * channelCount)
            }
            let channels = channelCount
            got = interleaved.withUnsafeMutableBufferPointer { frames -> Int in
                let n = max(0, Int(sf_readf_float(handle, frames.baseAddress, sf_count_t(wanted))))
                AudioFile.mono(
                    UnsafeBufferPointer(frames), frames: n, channels: channels, channel: channel, into: output)
                return n
            }
        }
        try check(got: got, wanted: wanted)
        // x * 0 is 0 for finite x and NaN otherwise: one vectorisable pass, then a search only
        // when something is not finite. Integers are always finite.
        var probe: Float = 0
        if !integers { for i in 0..<got { probe += output[i] * 0 } }
        if !probe.isFinite, let bad = (0..<got).first(where: { !output[$0].isFinite }) {
            throw AudioFeaturesError.nonFinite(path: url.path, sampleIndex: position + bad, value: output[bad])
        }
        position += got
        return got
    }

    /// The same as 16-bit integers as the file stores them (x / 32768 is the float sample);
    /// only when `readsSixteenBitIntegers`.
    public func read(into buffer: UnsafeMutableBufferPointer<Int16>) throws -> Int {
        precondition(integers, "\(url.path) is not mono 16-bit PCM; read it as Float")
        let wanted = min(buffer.count, frameCount - position)
        guard wanted > 0, let output = buffer.baseAddress else { return 0 }
        let got = max(0, Int(sf_readf_short(handle, output, sf_count_t(wanted))))
        try check(got: got, wanted: wanted)
        position += got
        return got
    }

    /// Throws for a decoding error or a file that ends before its header says.
    private func check(got: Int, wanted: Int) throws {
        let status = sf_error(handle)
        if status != 0 {
            throw AudioFeaturesError.undecodable(path: url.path, reason: String(cString: sf_error_number(status)))
        }
        if got < wanted {
            throw AudioFeaturesError.undecodable(
                path: url.path,
                reason:
                    "truncated: the header promises \(frameCount) frames, only \(position + max(0, got)) could be read"
            )
        }
    }
}
