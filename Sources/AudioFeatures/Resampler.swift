import CSoxr
import Foundation

/// Sample-rate conversion with libsoxr in its high-quality mode (`SOXR_HQ`), the resampler
/// librosa uses by default (`res_type="soxr_hq"`).
///
/// The output has `ceil(n * outRate / inRate)` samples, as `librosa.resample` fixes it:
/// soxr's one-shot call compensates its own filter delay, and any shortfall at the end is
/// zero-padded.
public enum Resampler {
    public static func resample(_ signal: AudioSignal, to outputRate: Int) throws -> AudioSignal {
        guard signal.sampleRate > 0 else {
            throw AudioFeaturesError.invalidParameter(
                name: "input sample rate", value: String(signal.sampleRate), valid: "a positive rate in Hz")
        }
        guard outputRate > 0 else {
            throw AudioFeaturesError.invalidParameter(
                name: "--sample-rate", value: String(outputRate), valid: "a positive rate in Hz, e.g. 16000")
        }
        if outputRate == signal.sampleRate { return signal }
        let ratio = Double(outputRate) / Double(signal.sampleRate)
        let outputCount = Int((Double(signal.samples.count) * ratio).rounded(.up))
        var output = [Float](repeating: 0, count: outputCount)
        var produced = 0
        var ioSpec = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var quality = soxr_quality_spec(UInt(SOXR_HQ), 0)
        let error: soxr_error_t? = signal.samples.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                soxr_oneshot(
                    Double(signal.sampleRate), Double(outputRate), 1,
                    input.baseAddress, input.count, nil,
                    out.baseAddress, out.count, &produced,
                    &ioSpec, &quality, nil)
            }
        }
        if let error {
            throw AudioFeaturesError.resampling(reason: String(cString: error))
        }
        return AudioSignal(samples: output, sampleRate: outputRate)
    }
}
