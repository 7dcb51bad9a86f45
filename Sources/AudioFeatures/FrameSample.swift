/// A sample type frames are windowed from: `Float`, or `Int16` straight from mono 16-bit PCM,
/// whose window carries libsndfile's 1/32768 (exact, a power of two), so that both give the same
/// windowed frames bit for bit and 16-bit files skip a conversion pass.
protocol FrameSample: Sendable {
    /// The factor the window is multiplied by: 1 for floats, 1/32768 for 16-bit integers.
    static var windowScale: Double { get }
    /// out[i] = Scalar(x[i]) * window[i] for i < n (the vectorised kernels).
    static func applyWindow<Scalar: FFTWScalar>(
        _ x: UnsafePointer<Self>, _ window: UnsafePointer<Scalar>, _ out: UnsafeMutablePointer<Scalar>, _ n: Int)
    /// The sample as `Scalar`, exactly.
    func scalar<Scalar: FFTWScalar>(_: Scalar.Type) -> Scalar
    /// The next samples of `reader` into `buffer`; how many.
    static func read(from reader: AudioFileReader, into buffer: UnsafeMutableBufferPointer<Self>) throws -> Int
}

extension Float: FrameSample {
    static var windowScale: Double { 1 }
    static func applyWindow<Scalar: FFTWScalar>(
        _ x: UnsafePointer<Float>, _ window: UnsafePointer<Scalar>, _ out: UnsafeMutablePointer<Scalar>, _ n: Int
    ) { Scalar.applyWindow(x, window, out, n) }
    func scalar<Scalar: FFTWScalar>(_: Scalar.Type) -> Scalar { Scalar(self) }
    static func read(from reader: AudioFileReader, into buffer: UnsafeMutableBufferPointer<Float>) throws -> Int {
        try reader.read(into: buffer)
    }
}

extension Int16: FrameSample {
    static var windowScale: Double { 1.0 / 32768 }
    static func applyWindow<Scalar: FFTWScalar>(
        _ x: UnsafePointer<Int16>, _ window: UnsafePointer<Scalar>, _ out: UnsafeMutablePointer<Scalar>, _ n: Int
    ) { Scalar.applyWindow(x, window, out, n) }
    func scalar<Scalar: FFTWScalar>(_: Scalar.Type) -> Scalar { Scalar(self) }
    static func read(from reader: AudioFileReader, into buffer: UnsafeMutableBufferPointer<Int16>) throws -> Int {
        try reader.read(into: buffer)
    }
}
