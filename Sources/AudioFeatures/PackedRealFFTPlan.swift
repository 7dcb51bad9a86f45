import CSpectralKernels
import Foundation

/// Power spectra of `PSK_LANES` real frames of one even length n at a time, through FFTW's
/// complex transform of length n / 2: each frame, read as n / 2 complex values
/// (x[2j] + i x[2j+1]), is transformed, and `psk_split_power_f32` / `_f64` recover the real
/// frame's bins 0 ... n / 2 from the result and square them into a bin-major block (see
/// SpectralKernels.h). FFTW's complex codelets vectorise where its real ones mostly do not:
/// for the presets' sizes this takes 20-33 % less time than the real transform and the power
/// block (BENCHMARKS.md, `Benchmarks/probes/run.sh`). For the presets' sizes (8 x 256 doubles,
/// 8 x 200 floats) the FFTW_ESTIMATE plan is the one FFTW_PATIENT measured fastest, recorded in
/// `FFTWWisdom` (`Scripts/make_fftw_wisdom.sh`).
///
/// Ownership: the instance owns the FFTW plan (destroyed in `deinit`, under the planner lock)
/// and its twiddle factors. Plans are made once per (precision, size) through `shared(size:)`;
/// `powerBlock` takes no lock and may run on many threads at once, each with its own buffers.
public final class PackedRealFFTPlan<Scalar: FFTWScalar>: @unchecked Sendable {
    /// Real frame length in samples (even).
    public let size: Int
    private let plan: OpaquePointer
    /// cos(2 pi k / size), -sin(2 pi k / size) for k <= size / 4, interleaved.
    private let twiddles: [Scalar]

    private init(size: Int) {
        self.size = size
        let half = size / 2
        plan = fftwResult(Self.makePlan(size: size, wisdomOnly: false), "planning the packed transform of \(size)")
        twiddles = (0...(half / 2)).flatMap { k -> [Scalar] in
            let angle = 2 * Double.pi * Double(k) / Double(size)
            return [Scalar(cos(angle)), Scalar(-sin(angle))]
        }
    }

    deinit {
        FFTWPlanner.lock.lock()
        Scalar.destroy(plan)
        FFTWPlanner.lock.unlock()
    }

    /// FFTW's plan for `PSK_LANES` complex transforms of size / 2, out of place; with
    /// `wisdomOnly`, nil unless FFTW holds wisdom for exactly this problem (the tests check
    /// that `FFTWWisdom` covers the presets' sizes). Call with `FFTWPlanner.lock` held.
    static func makePlan(size: Int, wisdomOnly: Bool) -> OpaquePointer? {
        // Buffers come from `RealFFTPlan.Buffers`, allocated by FFTW's allocator with the same
        // alignment as these, as the new-array execute functions require.
        let input = Scalar.allocateReal(size * Int(PSK_LANES))
        let output = Scalar.allocateComplex(size / 2 * Int(PSK_LANES))
        defer {
            Scalar.free(input)
            Scalar.free(output)
        }
        return Scalar.makeComplexPlan(
            size: size / 2, batch: Int(PSK_LANES), input: input, output: output, wisdomOnly: wisdomOnly)
    }

    /// The plan for frames of `size` samples (even, at least 2), made on first use.
    public static func shared(size: Int) -> PackedRealFFTPlan<Scalar> {
        precondition(size >= 2 && size % 2 == 0, "the packed transform needs an even frame length, not \(size)")
        return FFTWPlanner.cachedForwardPlan("packed/\(Scalar.self)/\(size)", Scalar.self) {
            PackedRealFFTPlan<Scalar>(size: size)
        }
    }

    /// Transforms the frames in `buffers.input` (`RealFFTPlan<Scalar>.Buffers(size: size,
    /// batch: PSK_LANES)`: its input holds the frames, its output receives the half-length
    /// transforms and is overwritten) and writes the power of bins 0 ... size / 2 of the first
    /// `lanes` frames into block[bin * PSK_LANES + lane]; the other lanes are zeroed.
    public func powerBlock(_ buffers: RealFFTPlan<Scalar>.Buffers, lanes: Int, into block: UnsafeMutablePointer<Float>)
    {
        Scalar.executeComplex(plan, input: buffers.input, output: buffers.output)
        // Never empty: k runs over 0 ... size / 4.
        twiddles.withUnsafeBufferPointer { twiddles in
            guard let base = twiddles.baseAddress else { return }
            Scalar.splitPowerBlock(buffers.output, twiddles: base, half: size / 2, lanes: lanes, into: block)
        }
    }
}
