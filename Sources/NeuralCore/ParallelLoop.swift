import COpenBLAS
import Foundation

/// Threads for the core's own loops (im2col, col2im) and for OpenBLAS, set once per process.
///
/// The loops split their range into one contiguous chunk per thread; each chunk writes
/// disjoint memory, so results do not depend on the thread count.
public enum ParallelLoop {
    nonisolated(unsafe) private static var configuredThreads = ProcessInfo.processInfo.activeProcessorCount

    /// The number of threads in use.
    public static var threads: Int { configuredThreads }

    /// Sets the threads for these loops and (unless `blas` is false) for OpenBLAS's sgemm.
    /// OpenBLAS partitions its products by thread count, so their last bits depend on it: the
    /// same seed gives bit-identical results for the same thread count.
    public static func setThreads(_ count: Int, blas: Bool = true) {
        configuredThreads = max(1, count)
        if blas { openblas_set_num_threads(Int32(configuredThreads)) }
    }

    /// Calls `body(range)` for chunks covering 0..<count, concurrently when there is enough
    /// work (`work` is a rough count of element operations) to pay for the threads.
    static func forEachChunk(count: Int, work: Int, _ body: (Range<Int>) -> Void) {
        let chunks = min(threads, count)
        guard chunks > 1, work >= 1 << 16 else {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedBody(body: body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                box.body((chunk * count / chunks)..<((chunk + 1) * count / chunks))
            }
        }
    }
}

private struct UncheckedBody: @unchecked Sendable {
    let body: (Range<Int>) -> Void
}

/// A mutable buffer that concurrent chunks write at disjoint indices.
struct SharedMutableBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
}

/// A read-only buffer shared by concurrent chunks.
struct SharedBuffer: @unchecked Sendable {
    let pointer: UnsafePointer<Float>
}
