import CSpectralKernels
import Foundation

extension FeatureExtractor {
    /// Power -> (dB) -> mel rows of `frames` into `output` (row `frame - frames.lowerBound`),
    /// from a segment of the signal as `ShortTimeFourierTransform.forEachFrame(segment:...)`
    /// takes it. dB after the mel filterbank is left to the caller.
    ///
    /// The frames go `PSK_LANES` (8) at a time through one batched FFTW plan (for an even n_fft
    /// the complex transform of half the length, `PackedRealFFTPlan`); their powers are laid
    /// out bin-major (`block[bin * 8 + lane]`) so that the dB conversion and the sparse
    /// filterbank run on whole vectors of frames (`CSpectralKernels`). Each frame's numbers
    /// are those of `ShortTimeFourierTransform.spectrogram` followed by
    /// `MelFilterbank.apply(row:into:)` up to rounding (the batched plan's algorithm and the
    /// AVX2 kernels' fused multiply-adds may change the last bits; the tests bound the
    /// difference). Frames are split into `threadCount` contiguous runs of whole groups that
    /// go concurrently, so the result does not depend on the thread count. The samples are
    /// floats or 16-bit integers as the file stores them (`FrameSample`): the same rows bit for
    /// bit.
    func rows<Sample: FrameSample>(
        of segment: UnsafeBufferPointer<Sample>, segmentStart: Int, sampleCount: Int, frames: Range<Int>,
        into output: SendableMutableBuffer
    ) {
        let needed = transform.sampleRange(frames: frames, sampleCount: sampleCount)
        precondition(
            needed.isEmpty || (segmentStart <= needed.lowerBound && needed.upperBound <= segmentStart + segment.count),
            "the segment misses samples of the frames")
        switch configuration.stft.precision {
        case .single:
            rows(Float.self, SendableBuffer(segment), segmentStart, sampleCount, frames, output)
        case .double:
            rows(Double.self, SendableBuffer(segment), segmentStart, sampleCount, frames, output)
        }
    }

    private func rows<Scalar: FFTWScalar, Sample: FrameSample>(
        _: Scalar.Type, _ signal: SendableBuffer<Sample>, _ segmentStart: Int, _ sampleCount: Int,
        _ frames: Range<Int>, _ output: SendableMutableBuffer
    ) {
        guard !frames.isEmpty else { return }
        let c = configuration.stft
        let lanes = Int(PSK_LANES)
        let n = c.fftLength
        let bins = c.binCount
        let melCount = filterbank.melCount
        // Even lengths (every preset) go through the half-length complex transform; odd ones
        // through the real transform.
        let packed = n % 2 == 0 ? PackedRealFFTPlan<Scalar>.shared(size: n) : nil
        let plan = packed == nil ? RealFFTPlan<Scalar>.shared(size: n, batch: lanes) : nil
        let window = windowCoefficients.map { Scalar($0 * Sample.windowScale) }
        let decibelsFirst = configuration.scale == .db && configuration.decibelOrder == .beforeMel
        let decibels = configuration.decibels
        let filterbank = self.filterbank
        let padding = c.center ? n / 2 : 0
        // The window is centred in the FFT frame (librosa `pad_center`); outside its span the
        // input stays zero, so only [windowStart, windowStart + windowLength) is written.
        let windowStart = (n - c.windowLength) / 2
        // Runs of whole groups, one per thread.
        let groups = (frames.count + lanes - 1) / lanes
        let runs = max(1, min(threadCount, groups))
        let groupsPerRun = (groups + runs - 1) / runs
        window.withUnsafeBufferPointer { windowBuffer in
            let window = SendableBuffer(windowBuffer)
            DispatchQueue.concurrentPerform(iterations: runs) { run in
                let buffers = RealFFTPlan<Scalar>.Buffers(size: n, batch: lanes)
                let block = UnsafeMutablePointer<Float>.allocate(capacity: bins * lanes)
                defer { block.deallocate() }
                let tile = UnsafeMutablePointer<Float>.allocate(capacity: (melCount + 3) * lanes)
                defer { tile.deallocate() }
                let firstGroup = run * groupsPerRun
                let endGroup = min(groups, firstGroup + groupsPerRun)
                guard firstGroup < endGroup else { return }
                for group in firstGroup..<endGroup {
                    let first = frames.lowerBound + group * lanes
                    let count = min(lanes, frames.upperBound - first)
                    for lane in 0..<count {
                        windowFrame(
                            signal.buffer, segmentStart: segmentStart, sampleCount: sampleCount,
                            start: (first + lane) * c.hopLength - padding + windowStart, window: window.buffer,
                            into: buffers.input + lane * n + windowStart)
                    }
                    if let packed {
                        packed.powerBlock(buffers, lanes: count, into: block)
                    } else if let plan {
                        plan.transform(buffers)
                        Scalar.powerBlock(buffers.output, lanes: count, bins: bins, into: block)
                    }
                    if decibelsFirst {
                        decibels.applyElementwise(to: UnsafeMutableBufferPointer(start: block, count: bins * lanes))
                    }
                    guard let rows = output.buffer.baseAddress else { return }
                    filterbank.apply(
                        block: block, lanes: count, into: rows + (first - frames.lowerBound) * melCount, tile: tile)
                }
            }
        }
    }
}
