import CFFTW
import CSpectralKernels
import Foundation

/// The FFTW precisions: `Float` (libfftw3f) and `Double` (libfftw3). Each wraps its C
/// functions; nothing else in the package calls FFTW.
public protocol FFTWScalar: BinaryFloatingPoint, Sendable {
    static func allocateReal(_ count: Int) -> UnsafeMutablePointer<Self>
    /// `count` complex values as interleaved (re, im) pairs: 2 * count scalars.
    static func allocateComplex(_ count: Int) -> UnsafeMutablePointer<Self>
    static func free(_ pointer: UnsafeMutablePointer<Self>)
    /// A plan for `batch` transforms of `size` reals at once: input transform b at
    /// input + b * size, its `size / 2 + 1` complex outputs at output + 2 * b * (size / 2 + 1).
    static func makeRealToComplexPlan(
        size: Int, batch: Int, input: UnsafeMutablePointer<Self>, output: UnsafeMutablePointer<Self>
    ) -> OpaquePointer
    static func execute(_ plan: OpaquePointer, input: UnsafeMutablePointer<Self>, output: UnsafeMutablePointer<Self>)
    /// A forward complex plan for `batch` transforms of `size` complex values (interleaved
    /// pairs): transform b reads input + 2 * b * size and writes output + 2 * b * size. Planned
    /// by estimate (or by the wisdom FFTW holds for the problem); with `wisdomOnly`, nil unless
    /// FFTW holds wisdom made with FFTW_PATIENT or more for exactly this problem
    /// (`FFTW_PATIENT | FFTW_WISDOM_ONLY`, which plans from that wisdom and measures nothing).
    static func makeComplexPlan(
        size: Int, batch: Int, input: UnsafeMutablePointer<Self>, output: UnsafeMutablePointer<Self>,
        wisdomOnly: Bool
    ) -> OpaquePointer?
    static func executeComplex(
        _ plan: OpaquePointer, input: UnsafeMutablePointer<Self>, output: UnsafeMutablePointer<Self>)
    static func destroy(_ plan: OpaquePointer)
    /// Hands this precision's `FFTWWisdom` to FFTW (which keeps out wisdom of another build).
    static func importWisdom()
    /// out[i] = Self(x[i]) * window[i] for i < n (`psk_window_f32` / `_f64`).
    static func applyWindow(
        _ x: UnsafePointer<Float>, _ window: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ n: Int)
    /// out[i] = Self(x[i]) * window[i] from 16-bit samples (`psk_window_i16_f32` / `_f64`).
    static func applyWindow(
        _ x: UnsafePointer<Int16>, _ window: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ n: Int)
    /// The power of `lanes` consecutive transforms' outputs into a bin-major block of
    /// `PSK_LANES` lanes (`psk_power_block_f32` / `_f64`).
    static func powerBlock(
        _ spectra: UnsafePointer<Self>, lanes: Int, bins: Int, into block: UnsafeMutablePointer<Float>)
    /// The same block from `PSK_LANES` half-length complex transforms (`psk_split_power_f32` /
    /// `_f64`).
    static func splitPowerBlock(
        _ spectra: UnsafePointer<Self>, twiddles: UnsafePointer<Self>, half: Int, lanes: Int,
        into block: UnsafeMutablePointer<Float>)
}

/// FFTW returns nil only when memory or planning is exhausted, which no caller can recover from.
func fftwResult<T>(_ value: T?, _ what: String) -> T {
    guard let value else { fatalError("FFTW failed: \(what)") }
    return value
}

extension Float: FFTWScalar {
    public static func allocateReal(_ count: Int) -> UnsafeMutablePointer<Float> {
        fftwResult(fftwf_alloc_real(count), "allocating \(count) reals")
    }
    public static func allocateComplex(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(fftwResult(fftwf_alloc_complex(count), "allocating \(count) complex values"))
            .bindMemory(to: Float.self, capacity: 2 * count)
    }
    public static func free(_ pointer: UnsafeMutablePointer<Float>) { fftwf_free(pointer) }
    public static func makeRealToComplexPlan(
        size: Int, batch: Int, input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    ) -> OpaquePointer {
        let complex = UnsafeMutableRawPointer(output).assumingMemoryBound(to: fftwf_complex.self)
        var n = Int32(size)
        let bins = Int32(size / 2 + 1)
        return fftwResult(
            fftwf_plan_many_dft_r2c(
                1, &n, Int32(batch), input, nil, 1, n, complex, nil, 1, bins, UInt32(FFTW_ESTIMATE)),
            "planning \(batch) x size \(size)")
    }
    public static func execute(
        _ plan: OpaquePointer, input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        fftwf_execute_dft_r2c(plan, input, UnsafeMutableRawPointer(output).assumingMemoryBound(to: fftwf_complex.self))
    }
    public static func makeComplexPlan(
        size: Int, batch: Int, input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
        wisdomOnly: Bool
    ) -> OpaquePointer? {
        let from = UnsafeMutableRawPointer(input).assumingMemoryBound(to: fftwf_complex.self)
        let to = UnsafeMutableRawPointer(output).assumingMemoryBound(to: fftwf_complex.self)
        var n = Int32(size)
        let flags = wisdomOnly ? UInt32(FFTW_PATIENT) | UInt32(FFTW_WISDOM_ONLY) : UInt32(FFTW_ESTIMATE)
        return fftwf_plan_many_dft(1, &n, Int32(batch), from, nil, 1, n, to, nil, 1, n, FFTW_FORWARD, flags)
    }
    public static func executeComplex(
        _ plan: OpaquePointer, input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        fftwf_execute_dft(
            plan, UnsafeMutableRawPointer(input).assumingMemoryBound(to: fftwf_complex.self),
            UnsafeMutableRawPointer(output).assumingMemoryBound(to: fftwf_complex.self))
    }
    public static func destroy(_ plan: OpaquePointer) { fftwf_destroy_plan(plan) }
    public static func importWisdom() { _ = fftwf_import_wisdom_from_string(FFTWWisdom.single) }
    public static func applyWindow(
        _ x: UnsafePointer<Float>, _ window: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int
    ) { psk_window_f32(x, window, out, n) }
    public static func applyWindow(
        _ x: UnsafePointer<Int16>, _ window: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int
    ) { psk_window_i16_f32(x, window, out, n) }
    public static func powerBlock(
        _ spectra: UnsafePointer<Float>, lanes: Int, bins: Int, into block: UnsafeMutablePointer<Float>
    ) { psk_power_block_f32(spectra, Int32(lanes), Int32(bins), block) }
    public static func splitPowerBlock(
        _ spectra: UnsafePointer<Float>, twiddles: UnsafePointer<Float>, half: Int, lanes: Int,
        into block: UnsafeMutablePointer<Float>
    ) { psk_split_power_f32(spectra, twiddles, Int32(half), Int32(lanes), block) }
}

extension Double: FFTWScalar {
    public static func allocateReal(_ count: Int) -> UnsafeMutablePointer<Double> {
        fftwResult(fftw_alloc_real(count), "allocating \(count) reals")
    }
    public static func allocateComplex(_ count: Int) -> UnsafeMutablePointer<Double> {
        UnsafeMutableRawPointer(fftwResult(fftw_alloc_complex(count), "allocating \(count) complex values")).bindMemory(
            to: Double.self, capacity: 2 * count)
    }
    public static func free(_ pointer: UnsafeMutablePointer<Double>) { fftw_free(pointer) }
    public static func makeRealToComplexPlan(
        size: Int, batch: Int, input: UnsafeMutablePointer<Double>, output: UnsafeMutablePointer<Double>
    ) -> OpaquePointer {
        let complex = UnsafeMutableRawPointer(output).assumingMemoryBound(to: fftw_complex.self)
        var n = Int32(size)
        let bins = Int32(size / 2 + 1)
        return fftwResult(
            fftw_plan_many_dft_r2c(
                1, &n, Int32(batch), input, nil, 1, n, complex, nil, 1, bins, UInt32(FFTW_ESTIMATE)),
            "planning \(batch) x size \(size)")
    }
    public static func execute(
        _ plan: OpaquePointer, input: UnsafeMutablePointer<Double>, output: UnsafeMutablePointer<Double>
    ) {
        fftw_execute_dft_r2c(plan, input, UnsafeMutableRawPointer(output).assumingMemoryBound(to: fftw_complex.self))
    }
    public static func makeComplexPlan(
        size: Int, batch: Int, input: UnsafeMutablePointer<Double>, output: UnsafeMutablePointer<Double>,
        wisdomOnly: Bool
    ) -> OpaquePointer? {
        let from = UnsafeMutableRawPointer(input).assumingMemoryBound(to: fftw_complex.self)
        let to = UnsafeMutableRawPointer(output).assumingMemoryBound(to: fftw_complex.self)
        var n = Int32(size)
        let flags = wisdomOnly ? UInt32(FFTW_PATIENT) | UInt32(FFTW_WISDOM_ONLY) : UInt32(FFTW_ESTIMATE)
        return fftw_plan_many_dft(1, &n, Int32(batch), from, nil, 1, n, to, nil, 1, n, FFTW_FORWARD, flags)
    }
    public static func executeComplex(
        _ plan: OpaquePointer, input: UnsafeMutablePointer<Double>, output: UnsafeMutablePointer<Double>
    ) {
        fftw_execute_dft(
            plan, UnsafeMutableRawPointer(input).assumingMemoryBound(to: fftw_complex.self),
            UnsafeMutableRawPointer(output).assumingMemoryBound(to: fftw_complex.self))
    }
    public static func destroy(_ plan: OpaquePointer) { fftw_destroy_plan(plan) }
    public static func importWisdom() { _ = fftw_import_wisdom_from_string(FFTWWisdom.double) }
    public static func applyWindow(
        _ x: UnsafePointer<Float>, _ window: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ n: Int
    ) { psk_window_f64(x, window, out, n) }
    public static func applyWindow(
        _ x: UnsafePointer<Int16>, _ window: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ n: Int
    ) { psk_window_i16_f64(x, window, out, n) }
    public static func powerBlock(
        _ spectra: UnsafePointer<Double>, lanes: Int, bins: Int, into block: UnsafeMutablePointer<Float>
    ) { psk_power_block_f64(spectra, Int32(lanes), Int32(bins), block) }
    public static func splitPowerBlock(
        _ spectra: UnsafePointer<Double>, twiddles: UnsafePointer<Double>, half: Int, lanes: Int,
        into block: UnsafeMutablePointer<Float>
    ) { psk_split_power_f64(spectra, twiddles, Int32(half), Int32(lanes), block) }
}

/// Guards FFTW's planner, which is not thread-safe, and the cache of shared plans (forward and
/// inverse: `InverseRealFFTPlan` shares both).
enum FFTWPlanner {
    static let lock = NSLock()
    nonisolated(unsafe) static var cache: [String: AnyObject] = [:]
    /// The precisions whose wisdom has been imported.
    nonisolated(unsafe) private static var wisdomImported: Set<ObjectIdentifier> = []

    /// Imports `FFTWWisdom` for `Scalar`'s precision once, before its first plan (a run that
    /// plans in one precision skips parsing the other's); call with `lock` held. FFTW keeps
    /// wisdom made by another FFTW build out (the import fails) and then plans by estimate.
    static func importWisdom<Scalar: FFTWScalar>(for _: Scalar.Type) {
        guard wisdomImported.insert(ObjectIdentifier(Scalar.self)).inserted else { return }
        Scalar.importWisdom()
    }

    /// The forward plan in `Scalar`'s precision cached under `key`, made by `make` on first use
    /// (under `lock`, after `importWisdom`).
    static func cachedForwardPlan<Scalar: FFTWScalar, Plan: AnyObject>(
        _ key: String, _ scalar: Scalar.Type, _ make: () -> Plan
    ) -> Plan {
        lock.lock()
        defer { lock.unlock() }
        if let plan = cache[key] as? Plan { return plan }
        importWisdom(for: scalar)
        let plan = make()
        cache[key] = plan
        return plan
    }
}

/// A real-to-complex FFTW plan of one size, batch and precision, shared by every caller.
///
/// Ownership: the instance owns the FFTW plan and destroys it in `deinit`. Plans are made
/// once per (precision, size, batch) through `shared(size:batch:)` and cached for the life of
/// the process. FFTW's planner is not thread-safe, so creating and destroying plans happens
/// under one lock; executing a plan on caller-owned arrays (FFTW's new-array execute
/// functions) is thread-safe, so `transform` takes no lock and many threads may run one plan
/// at once.
///
/// Plans use `FFTW_ESTIMATE`: `FFTW_MEASURE` costs about 0.1 s per size, more than a whole
/// 10-minute file takes to analyse, and picks its algorithm by timing, so that results could
/// differ in the last bits from run to run. (The presets' even sizes go through
/// `PackedRealFFTPlan`, whose estimates are replaced by the plans recorded in `FFTWWisdom`.)
public final class RealFFTPlan<Scalar: FFTWScalar>: @unchecked Sendable {
    /// Transform length in samples.
    public let size: Int
    /// Transforms per `transform` call.
    public let batch: Int
    /// Number of complex outputs per transform, size / 2 + 1.
    public var binCount: Int { size / 2 + 1 }
    private let plan: OpaquePointer

    private init(size: Int, batch: Int) {
        self.size = size
        self.batch = batch
        // Callers' buffers come from `Buffers`, allocated by FFTW's allocator with the same
        // alignment as these, as the new-array execute functions require.
        let input = Scalar.allocateReal(size * batch)
        let output = Scalar.allocateComplex((size / 2 + 1) * batch)
        defer {
            Scalar.free(input)
            Scalar.free(output)
        }
        plan = Scalar.makeRealToComplexPlan(size: size, batch: batch, input: input, output: output)
    }

    deinit {
        FFTWPlanner.lock.lock()
        Scalar.destroy(plan)
        FFTWPlanner.lock.unlock()
    }

    /// The plan for `batch` transforms of `size`, made on first use.
    public static func shared(size: Int, batch: Int = 1) -> RealFFTPlan<Scalar> {
        precondition(size > 0 && batch > 0, "FFT size and batch must be positive")
        return FFTWPlanner.cachedForwardPlan("\(Scalar.self)/\(size)x\(batch)", Scalar.self) {
            RealFFTPlan<Scalar>(size: size, batch: batch)
        }
    }

    /// Aligned working arrays for one thread: `input` holds `batch` frames of `size` reals
    /// (zeroed at first), `output` `batch` times `size / 2 + 1` complex values as interleaved
    /// (re, im). Owned; freed in `deinit`.
    public final class Buffers {
        public let input: UnsafeMutablePointer<Scalar>
        public let output: UnsafeMutablePointer<Scalar>

        public init(size: Int, batch: Int = 1) {
            input = Scalar.allocateReal(size * batch)
            input.initialize(repeating: 0, count: size * batch)
            output = Scalar.allocateComplex((size / 2 + 1) * batch)
        }

        deinit {
            Scalar.free(input)
            Scalar.free(output)
        }
    }

    /// Transforms `buffers.input` into `buffers.output` (buffers made with this plan's size
    /// and batch). Safe to call from many threads at once, each with its own buffers.
    public func transform(_ buffers: Buffers) {
        Scalar.execute(plan, input: buffers.input, output: buffers.output)
    }
}
