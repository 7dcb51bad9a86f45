import COpenBLAS

/// A stride-1 convolution as a sum of shifted matrix products, one per tap, with no im2col.
///
/// Concretely: the batch is zero-padded into one matrix Xp of B * Tp rows (Tp = padLeft + T +
/// padRight), and every "virtual" output row r in 0..<M, M = B * Tp - (K - 1) d, is
///
///     Yv[r] = bias + sum_k Xp[r + k d] W_k^T,      W_k = weight[:, :, k]  ([out, in])
///
/// which is K sgemm calls reading Xp at a row offset, each with the full batch as its rows.
/// Output frame t of utterance b is Yv[b * Tp + t]; the rows in between straddle two
/// utterances and are dropped. Backward mirrors it: dW_k += dYv^T Xp[k d...], and
/// dXp[k d...] += dYv W_k. Compared with im2col, nothing is copied K times, and each product
/// has the input's channels as its inner dimension.
struct ShiftedProduct {
    let batch: Int
    let length: Int
    let channels: Int
    let outChannels: Int
    let kernelSize: Int
    let dilation: Int
    let padLeft: Int
    let padRight: Int

    var paddedLength: Int { padLeft + length + padRight }
    var frames: Int { paddedLength - (kernelSize - 1) * dilation }
    /// Virtual output rows, the batch's utterances end to end.
    var rows: Int { batch * paddedLength - (kernelSize - 1) * dilation }

    /// The input with zero frames around each utterance, [batch * paddedLength, channels].
    func padded(_ input: [Float]) -> [Float] {
        if padLeft == 0 && padRight == 0 { return input }
        var result = [Float](repeating: 0, count: batch * paddedLength * channels)
        for b in 0..<batch {
            let source = b * length * channels
            let target = (b * paddedLength + padLeft) * channels
            result.withUnsafeMutableBufferPointer { out in
                input.withUnsafeBufferPointer { x in
                    guard let outBase = out.baseAddress, let xBase = x.baseAddress else { return }
                    (outBase + target).update(from: xBase + source, count: length * channels)
                }
            }
        }
        return result
    }

    /// Output [batch * frames, out] from the padded input.
    func forward(padded xp: [Float], taps: [Float], bias: [Float]?) -> [Float] {
        var virtual = [Float](repeating: 0, count: rows * outChannels)
        if let bias { ColumnProduct.fillRows(&virtual, rows: rows, with: bias) }
        xp.withUnsafeBufferPointer { x in
            taps.withUnsafeBufferPointer { w in
                virtual.withUnsafeMutableBufferPointer { y in
                    guard let xBase = x.baseAddress, let wBase = w.baseAddress, let yBase = y.baseAddress else {
                        return
                    }
                    for k in 0..<kernelSize {
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outChannels), Int32(channels),
                            1,
                            xBase + k * dilation * channels, Int32(channels), wBase + k * outChannels * channels,
                            Int32(channels), bias == nil && k == 0 ? 0 : 1, yBase, Int32(outChannels))
                    }
                }
            }
        }
        return gather(virtual, width: outChannels)
    }

    /// Accumulates weight (tap-major [K, out, in]) and bias gradients; returns the input
    /// gradient [batch * length, channels], or nil without computing it if `inputGradient` is false.
    func backward(
        outputGradient: [Float], padded xp: [Float], taps: [Float], tapGradient: inout [Float],
        biasGradient: inout [Float]?, inputGradient: Bool = true
    ) -> [Float]? {
        let dy = scatter(outputGradient, width: outChannels)
        if var sums = biasGradient {
            ColumnProduct.addColumnSums(of: outputGradient, rows: batch * frames, into: &sums)
            biasGradient = sums
        }
        var dxp = [Float](repeating: 0, count: inputGradient ? batch * paddedLength * channels : 0)
        dy.withUnsafeBufferPointer { g in
            xp.withUnsafeBufferPointer { x in
                taps.withUnsafeBufferPointer { w in
                    tapGradient.withUnsafeMutableBufferPointer { dw in
                        dxp.withUnsafeMutableBufferPointer { dx in
                            guard let gBase = g.baseAddress, let xBase = x.baseAddress, let wBase = w.baseAddress,
                                let dwBase = dw.baseAddress
                            else { return }
                            for k in 0..<kernelSize {
                                let shift = k * dilation * channels
                                let tap = k * outChannels * channels
                                // dW_k += dYv^T Xp[k d ...]   ([out, rows] x [rows, in])
                                cblas_sgemm(
                                    CblasRowMajor, CblasTrans, CblasNoTrans, Int32(outChannels), Int32(channels),
                                    Int32(rows), 1, gBase, Int32(outChannels), xBase + shift, Int32(channels), 1,
                                    dwBase + tap, Int32(channels))
                                // dXp[k d ...] += dYv W_k   ([rows, out] x [out, in])
                                guard inputGradient, let dxBase = dx.baseAddress else { continue }
                                cblas_sgemm(
                                    CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(channels),
                                    Int32(outChannels), 1, gBase, Int32(outChannels), wBase + tap, Int32(channels), 1,
                                    dxBase + shift, Int32(channels))
                            }
                        }
                    }
                }
            }
        }
        guard inputGradient else { return nil }
        if padLeft == 0 && padRight == 0 { return dxp }
        var dx = [Float](repeating: 0, count: batch * length * channels)
        for b in 0..<batch {
            let source = (b * paddedLength + padLeft) * channels
            dx.replaceSubrange(
                (b * length * channels)..<((b + 1) * length * channels),
                with: dxp[source..<(source + length * channels)])
        }
        return dx
    }

    /// The real output rows of the virtual ones.
    private func gather(_ virtual: [Float], width: Int) -> [Float] {
        if batch == 1 { return virtual }
        var result = [Float](repeating: 0, count: batch * frames * width)
        for b in 0..<batch {
            let source = b * paddedLength * width
            result.replaceSubrange(
                (b * frames * width)..<((b + 1) * frames * width), with: virtual[source..<(source + frames * width)])
        }
        return result
    }

    /// The virtual rows of real output rows (0 between utterances).
    private func scatter(_ real: [Float], width: Int) -> [Float] {
        if batch == 1 { return real }
        var result = [Float](repeating: 0, count: rows * width)
        for b in 0..<batch {
            let target = b * paddedLength * width
            result.replaceSubrange(
                target..<(target + frames * width), with: real[(b * frames * width)..<((b + 1) * frames * width)])
        }
        return result
    }
}
