#if canImport(Glibc)
    import Glibc
#endif

/// Large arrays whose memory is advised for transparent huge pages before it is first touched.
///
/// On Linux with transparent huge pages in `madvise` mode (Debian's default), a fresh 38 MB
/// buffer otherwise takes ~9,400 page faults of 4 KiB on first touch, which on virtual machines
/// costs more than filling it. `madvise(MADV_HUGEPAGE)` on the buffer's 2 MiB-aligned interior
/// lets the kernel map it in 2 MiB pages. Elsewhere, or when the advice is refused, this is an
/// ordinary array.
public enum LargeArray {
    /// Below this many bytes the advice is not worth a system call.
    @usableFromInline static let threshold = 4 << 20
    @usableFromInline static let hugePage = 2 << 20

    /// An array of `count` elements; `initialize` must write every element.
    @inlinable
    public static func make<Element>(
        count: Int, initializingWith initialize: (UnsafeMutableBufferPointer<Element>) throws -> Void
    ) rethrows -> [Element] {
        try [Element](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            try initialize(buffer)
            initializedCount = count
        }
    }

    /// An array of `count` copies of `value`.
    @inlinable
    public static func filled<Element>(count: Int, with value: Element) -> [Element] {
        make(count: count) { $0.initialize(repeating: value) }
    }

    @usableFromInline
    static func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
            guard buffer.count >= threshold, let base = buffer.baseAddress else { return }
            let start = (Int(bitPattern: base) + hugePage - 1) & ~(hugePage - 1)
            let end = (Int(bitPattern: base) + buffer.count) & ~(hugePage - 1)
            guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
            _ = madvise(pointer, end - start, MADV_HUGEPAGE)
        #endif
    }
}
