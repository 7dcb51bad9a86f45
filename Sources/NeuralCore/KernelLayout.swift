/// Rearrangements of a 1-D convolution weight kept in PyTorch's layout [out, in, K]:
/// the shifted products want one [out, in] matrix per tap ([K, out, in]); im2col rows ordered
/// (tap, channel), where each tap's channels are one contiguous copy of an input frame, want
/// [out, K, in].
enum KernelLayout: Sendable {
    /// [K, out, in]
    case tapOutIn
    /// [out, K, in]
    case outTapIn

    /// Index in this layout of element (o, c, k).
    @inline(__always)
    private func index(_ o: Int, _ c: Int, _ k: Int, out: Int, in channels: Int, kernel: Int) -> Int {
        switch self {
        case .tapOutIn: return (k * out + o) * channels + c
        case .outTapIn: return (o * kernel + k) * channels + c
        }
    }

    /// The PyTorch-layout weight rearranged into this layout.
    func arrange(_ weight: [Float], out: Int, in channels: Int, kernel: Int) -> [Float] {
        var result = [Float](repeating: 0, count: weight.count)
        precondition(weight.count == out * channels * kernel)
        result.withUnsafeMutableBufferPointer { r in
            weight.withUnsafeBufferPointer { w in
                for o in 0..<out {
                    for c in 0..<channels {
                        let source = (o * channels + c) * kernel
                        for k in 0..<kernel {
                            r[index(o, c, k, out: out, in: channels, kernel: kernel)] = w[source + k]
                        }
                    }
                }
            }
        }
        return result
    }

    /// Adds a gradient in this layout into a PyTorch-layout one.
    func add(_ arranged: [Float], into gradient: inout [Float], out: Int, in channels: Int, kernel: Int) {
        precondition(arranged.count == gradient.count && gradient.count == out * channels * kernel)
        gradient.withUnsafeMutableBufferPointer { g in
            arranged.withUnsafeBufferPointer { a in
                for o in 0..<out {
                    for c in 0..<channels {
                        let target = (o * channels + c) * kernel
                        for k in 0..<kernel {
                            g[target + k] += a[index(o, c, k, out: out, in: channels, kernel: kernel)]
                        }
                    }
                }
            }
        }
    }
}
