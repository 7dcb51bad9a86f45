import CFFTW
import Foundation

/// FFTW's complex-to-real (inverse) transform for the precisions of `FFTWScalar`. Like the
/// forward functions, these are the only calls into FFTW's c2r API in the package.
public protocol FFTWInverseScalar: FFTWScalar {
    static func makeComplexToRealPlan(
        size: Int, input: UnsafeMutablePointer<Self>, output: UnsafeMutablePointer<Self>
    ) -> OpaquePointer
    static func executeInverse(
        _ plan: OpaquePointer, input: UnsafeMutablePointer<Self>, output: UnsafeMutablePointer<Self>)
}

extension Float: FFTWInverseScalar {
    public static func makeComplexToRealPlan(
        size: Int, input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    ) -> OpaquePointer {
        let complex = UnsafeMutableRawPointer(input).assumingMemoryBound(to: fftwf_complex.self)
        return fftwResult(
            fftwf_plan_dft_c2r_1d(Int32(size), complex, output, UInt32(FFTW_ESTIMATE)), "planning c2r size \(size)")
    }
    public static func executeInverse(
        _ plan: OpaquePointer, input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        fftwf_execute_dft_c2r(plan, UnsafeMutableRawPointer(input).assumingMemoryBound(to: fftwf_complex.self), output)
    }
}

extension Double: FFTWInverseScalar {
    public static func makeComplexToRealPlan(
        size: Int, input: UnsafeMutablePointer<Double>, output: UnsafeMutablePointer<Double>
    ) -> OpaquePointer {
        let complex = UnsafeMutableRawPointer(input).assumingMemoryBound(to: fftw_complex.self)
        return fftwResult(
            fftw_plan_dft_c2r_1d(Int32(size), complex, output, UInt32(FFTW_ESTIMATE)), "planning c2r size \(size)")
    }
    public static func executeInverse(
        _ plan: OpaquePointer, input: UnsafeMutablePointer<Double>, output: UnsafeMutablePointer<Double>
    ) {
        fftw_execute_dft_c2r(plan, UnsafeMutableRawPointer(input).assumingMemoryBound(to: fftw_complex.self), output)
    }
}

/// A complex-to-real FFTW plan of one size and precision, shared by every caller: the inverse
/// of `RealFFTPlan`, unnormalised as FFTW defines it (a forward then an inverse transform
/// multiplies by `size`).
///
/// Concretely: x[n] = sum_k X[k] e^{2 pi i k n / size} over the full Hermitian spectrum built
/// from the `size / 2 + 1` stored bins; the imaginary parts of bin 0 and (for even sizes) bin
/// `size / 2` are ignored, as `numpy.fft.irfft` ignores them.
///
/// Ownership: the instance owns the FFTW plan and destroys it in `deinit`; plans are cached
/// beside the forward plans, under the same planner lock, for the life of the process.
/// Executing is thread-safe (new-array execute on caller-owned `Buffers`). FFTW's c2r
/// transforms overwrite their input, so `Buffers.spectrum` is scratch after `transform`.
public final class InverseRealFFTPlan<Scalar: FFTWInverseScalar>: @unchecked Sendable {
    /// Transform length in samples.
    public let size: Int
    /// Number of complex inputs, size / 2 + 1.
    public var binCount: Int { size / 2 + 1 }
    private let plan: OpaquePointer

    private init(size: Int) {
        self.size = size
        let input = Scalar.allocateComplex(size / 2 + 1)
        let output = Scalar.allocateReal(size)
        defer {
            Scalar.free(input)
            Scalar.free(output)
        }
        plan = Scalar.makeComplexToRealPlan(size: size, input: input, output: output)
    }

    deinit {
        FFTWPlanner.lock.lock()
        Scalar.destroy(plan)
        FFTWPlanner.lock.unlock()
    }

    /// The plan for `size`, made on first use.
    public static func shared(size: Int) -> InverseRealFFTPlan<Scalar> {
        precondition(size > 0, "FFT size must be positive")
        let key = "c2r/\(Scalar.self)/\(size)"
        FFTWPlanner.lock.lock()
        defer { FFTWPlanner.lock.unlock() }
        if let plan = FFTWPlanner.cache[key] as? InverseRealFFTPlan<Scalar> { return plan }
        let plan = InverseRealFFTPlan<Scalar>(size: size)
        FFTWPlanner.cache[key] = plan
        return plan
    }

    /// Aligned working arrays for one thread: `spectrum` holds `size / 2 + 1` complex values as
    /// interleaved (re, im), `signal` `size` reals. Owned; freed in `deinit`.
    public final class Buffers {
        public let spectrum: UnsafeMutablePointer<Scalar>
        public let signal: UnsafeMutablePointer<Scalar>

        public init(size: Int) {
            spectrum = Scalar.allocateComplex(size / 2 + 1)
            spectrum.initialize(repeating: 0, count: 2 * (size / 2 + 1))
            signal = Scalar.allocateReal(size)
            signal.initialize(repeating: 0, count: size)
        }

        deinit {
            Scalar.free(spectrum)
            Scalar.free(signal)
        }
    }

    /// Transforms `buffers.spectrum` into `buffers.signal` (destroying `spectrum`). Safe to call
    /// from many threads at once, each with its own buffers.
    public func transform(_ buffers: Buffers) {
        Scalar.executeInverse(plan, input: buffers.spectrum, output: buffers.signal)
    }
}
