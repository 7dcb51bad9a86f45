import Foundation

/// The mel scale, in its two common forms.
public enum MelScale: String, Sendable, Codable, CaseIterable {
    /// Slaney's Auditory Toolbox scale (librosa's default, `htk=False`): linear below 1 kHz
    /// (200/3 Hz per mel), logarithmic above (a factor 6.4 per 27 mels).
    case slaney
    /// HTK's scale (`htk=True`): mel = 2595 log10(1 + f / 700).
    case htk

    private static let linearStep = 200.0 / 3  // Hz per mel below the break
    private static let breakFrequency = 1000.0  // Hz
    private static let breakMel = breakFrequency / linearStep  // 15 mels
    private static let logStep = log(6.4) / 27  // natural log per mel above the break

    /// Hz -> mel (librosa `hz_to_mel`).
    public func mel(fromHertz frequency: Double) -> Double {
        switch self {
        case .htk:
            return 2595 * log10(1 + frequency / 700)
        case .slaney:
            if frequency >= Self.breakFrequency {
                return Self.breakMel + log(frequency / Self.breakFrequency) / Self.logStep
            }
            return frequency / Self.linearStep
        }
    }

    /// mel -> Hz (librosa `mel_to_hz`).
    public func hertz(fromMel mel: Double) -> Double {
        switch self {
        case .htk:
            return 700 * (pow(10, mel / 2595) - 1)
        case .slaney:
            if mel >= Self.breakMel {
                return Self.breakFrequency * exp(Self.logStep * (mel - Self.breakMel))
            }
            return Self.linearStep * mel
        }
    }

    /// `count` frequencies (Hz) evenly spaced in mels from `minimum` to `maximum` Hz
    /// (librosa `mel_frequencies`).
    public func frequencies(count: Int, minimum: Double, maximum: Double) -> [Double] {
        let low = mel(fromHertz: minimum)
        let high = mel(fromHertz: maximum)
        if count == 1 { return [hertz(fromMel: low)] }
        // numpy.linspace: start + i * step, with the last point exactly `high`.
        let step = (high - low) / Double(count - 1)
        return (0..<count).map { i in hertz(fromMel: i == count - 1 ? high : low + Double(i) * step) }
    }
}

/// How each triangular mel filter is scaled.
public enum MelNormalization: String, Sendable, Codable, CaseIterable {
    /// Slaney: each filter times 2 / (upper edge - lower edge), constant energy per band.
    case slaney
    /// Peak 1 for every filter.
    case none
}
