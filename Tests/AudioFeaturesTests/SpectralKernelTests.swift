import CSpectralKernels
import Foundation
import SeededRandom
import Testing

@testable import AudioFeatures

/// The C kernels of both instruction sets (the baseline and, where the CPU has it, AVX2 +
/// FMA) against plain double-precision loops written here, on random inputs.
struct SpectralKernelTests {
    /// The kernel tables this CPU can run, with their names.
    static var tables: [(String, psk_kernel_table)] {
        var result = [("baseline", psk_kernels(0)!.pointee)]
        if let avx2 = psk_kernels(1) { result.append(("avx2", avx2.pointee)) }
        return result
    }

    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in (generator.unitFloat() * 2 - 1) * scale }
    }

    @Test func theChosenKernelsAreTheBestTheCPUHas() {
        #expect(psk_isa() == (psk_kernels(1) == nil ? 0 : 1))
    }

    @Test func decibelsAreWithinFourUlpOfFoundation() {
        // Every binade from 1e-37 to 1e37, 1.37 % apart, and odd lengths for the loop tails.
        var x: Float = 1e-37
        var inputs: [Float] = []
        while x < 1e37 {
            inputs.append(x)
            x *= 1.013_7
        }
        for (name, table) in Self.tables {
            var values = inputs
            table.decibels(&values, values.count, Float.leastNormalMagnitude, 0)
            var worst: Float = 0
            for (input, ours) in zip(inputs, values) {
                let exact = Float(10 * log10(Double(input)))
                worst = max(worst, abs(ours - exact) / max(exact.ulp, 1e-30))
            }
            #expect(worst <= 4, "\(name): worst error \(worst) ulp")
            // The floor and the offset: max(x, floor) first, then minus the offset.
            var floored: [Float] = [0, 1e-20, 1e-10, 1, 100]
            table.decibels(&floored, floored.count, 1e-10, -3)
            #expect(floored.map { ($0 * 1000).rounded() / 1000 } == [-97, -97, -97, 3, 23], "\(name)")
        }
    }

    @Test func windowsMultiplyInTheirPrecision() {
        let x = Self.random(517, seed: 1)
        let window = Self.random(517, seed: 2)
        for (name, table) in Self.tables {
            var double = [Double](repeating: 0, count: x.count)
            table.window_f64(x, window.map(Double.init), &double, x.count)
            #expect(double == zip(x, window).map { Double($0) * Double($1) }, "\(name)")
            var single = [Float](repeating: 0, count: x.count)
            table.window_f32(x, window, &single, x.count)
            #expect(single == zip(x, window).map { $0 * $1 }, "\(name)")
        }
    }

    /// 16-bit samples with the window times 1/32768 give, bit for bit, what the float kernels
    /// give on x / 32768 (libsndfile's conversion) with the window itself; the extremes included.
    @Test func sixteenBitWindowsEqualTheFloatOnesOnScaledSamples() {
        var generator = SeededGenerator(seed: 11)
        let x: [Int16] =
            [-32768, 32767, 0, 1, -1] + (0..<512).map { _ in Int16.random(in: .min ... .max, using: &generator) }
        let window = Self.random(x.count, seed: 12).map { abs($0) }
        let scaled = x.map { Float($0) / 32768 }
        for (name, table) in Self.tables {
            var expected = [Double](repeating: 0, count: x.count)
            table.window_f64(scaled, window.map(Double.init), &expected, x.count)
            var double = [Double](repeating: .nan, count: x.count)
            table.window_i16_f64(x, window.map { Double($0) / 32768 }, &double, x.count)
            #expect(double == expected, "\(name) double")
            var expectedSingle = [Float](repeating: 0, count: x.count)
            table.window_f32(scaled, window, &expectedSingle, x.count)
            var single = [Float](repeating: .nan, count: x.count)
            table.window_i16_f32(x, window.map { $0 / 32768 }, &single, x.count)
            #expect(single == expectedSingle, "\(name) single")
        }
    }

    @Test(arguments: [8, 3, 1])
    func powerBlocksAreBinMajorWithUnusedLanesZero(_ lanes: Int) {
        let bins = 257
        let spectra = Self.random(2 * bins * 8, seed: 3, scale: 1000)
        for (name, table) in Self.tables {
            var single = [Float](repeating: .nan, count: bins * 8)
            var double = [Float](repeating: .nan, count: bins * 8)
            table.power_block_f32(spectra, Int32(lanes), Int32(bins), &single)
            table.power_block_f64(spectra.map(Double.init), Int32(lanes), Int32(bins), &double)
            var worst: Float = 0
            for k in 0..<bins {
                for lane in 0..<8 {
                    let re = Double(spectra[2 * (lane * bins + k)])
                    let im = Double(spectra[2 * (lane * bins + k) + 1])
                    let exact = lane < lanes ? re * re + im * im : 0
                    #expect(double[k * 8 + lane] == Float(exact), "\(name) f64 bin \(k) lane \(lane)")
                    worst = max(worst, abs(single[k * 8 + lane] - Float(exact)) / max(Float(exact), 1e-30))
                }
            }
            #expect(worst < 3e-7, "\(name) f32: worst relative error \(worst)")
        }
    }

    /// The split kernels against brute force: z is the half-length complex DFT of each real
    /// frame (computed here in double, the float kernel gets it rounded to float), the
    /// reference the real frame's own DFT power; lengths with an even and an odd half.
    @Test(arguments: [(2, 8), (6, 3), (8, 8), (398, 5), (400, 8), (512, 1)])
    func halfLengthTransformsSplitIntoTheRealPowerSpectrum(_ n: Int, _ lanes: Int) {
        let half = n / 2
        let bins = half + 1
        let frames = Self.random(n * 8, seed: 11, scale: 1).map(Double.init)
        var z = [Double](repeating: 0, count: 2 * half * 8)
        var exact = [Double](repeating: 0, count: bins * 8)
        for lane in 0..<8 {
            let x = Array(frames[(lane * n)..<((lane + 1) * n)])
            for k in 0..<half {
                var (re, im) = (0.0, 0.0)
                for j in 0..<half {
                    let angle = -2 * Double.pi * Double(j * k % half) / Double(half)
                    re += x[2 * j] * cos(angle) - x[2 * j + 1] * sin(angle)
                    im += x[2 * j] * sin(angle) + x[2 * j + 1] * cos(angle)
                }
                z[2 * (lane * half + k)] = re
                z[2 * (lane * half + k) + 1] = im
            }
            for k in 0..<bins where lane < lanes {
                var (re, im) = (0.0, 0.0)
                for j in 0..<n {
                    let angle = -2 * Double.pi * Double(j * k % n) / Double(n)
                    re += x[j] * cos(angle)
                    im += x[j] * sin(angle)
                }
                exact[k * 8 + lane] = re * re + im * im
            }
        }
        let twiddles = (0...(half / 2)).flatMap { k -> [Double] in
            let angle = 2 * Double.pi * Double(k) / Double(n)
            return [cos(angle), -sin(angle)]
        }
        let peak = exact.max()!
        for (name, table) in Self.tables {
            var double = [Float](repeating: .nan, count: bins * 8)
            var single = [Float](repeating: .nan, count: bins * 8)
            table.split_power_f64(z, twiddles, Int32(half), Int32(lanes), &double)
            let singleZ: [Float] = z.map { Float($0) }
            let singleTwiddles: [Float] = twiddles.map { Float($0) }
            table.split_power_f32(singleZ, singleTwiddles, Int32(half), Int32(lanes), &single)
            var worstDouble = 0.0
            var worstSingle = 0.0
            for i in 0..<(bins * 8) {
                worstDouble = max(worstDouble, abs(Double(double[i]) - exact[i]) / max(exact[i], 1e-9 * peak))
                worstSingle = max(worstSingle, abs(Double(single[i]) - exact[i]) / peak)
                if i % 8 >= lanes { #expect(double[i] == 0 && single[i] == 0, "\(name) unused lane \(i % 8)") }
            }
            #expect(worstDouble < 1e-6, "\(name) f64 n \(n): worst relative error \(worstDouble)")
            #expect(worstSingle < 2e-6, "\(name) f32 n \(n): worst error relative to the peak \(worstSingle)")
        }
    }

    @Test(arguments: [(512, 128, 8), (400, 80, 5), (1024, 40, 1), (256, 13, 7), (256, 100, 3)])
    func theBlockFilterbankIsTheDenseProduct(_ fftLength: Int, _ melCount: Int, _ lanes: Int) throws {
        let bank = try MelFilterbank(sampleRate: 16000, fftLength: fftLength, melCount: melCount)
        let bins = fftLength / 2 + 1
        let dense = bank.denseWeights
        let power = Self.random(bins * 8, seed: 4).map { $0 * $0 * 100 }
        for (name, table) in Self.tables {
            var rows = [Float](repeating: .nan, count: lanes * melCount)
            var tile = [Float](repeating: 0, count: (melCount + 3) * 8)
            withUnsafePointer(to: bank.sparse.bank) {
                table.apply_bank($0, Int32(melCount), power, Int32(lanes), &rows, &tile)
            }
            var worst = 0.0
            for lane in 0..<lanes {
                for m in 0..<melCount {
                    var exact = 0.0
                    for k in 0..<bins { exact += Double(dense[m * bins + k]) * Double(power[k * 8 + lane]) }
                    let ours = Double(rows[lane * melCount + m])
                    worst = max(worst, abs(ours - exact) / max(exact, 1e-30))
                }
            }
            #expect(worst < 1e-5, "\(name): worst relative error \(worst)")
        }
    }

    /// The block kernel adds the same rounded products in the same order as the row path, so
    /// the two agree bit for bit: Slaney and HTK banks, normalised or not, with fmin/fmax, one
    /// with empty filters (n_mels 128 on 129 bins), band counts that are not multiples of 4 or 8.
    @Test(arguments: [
        (512, 128, MelScale.slaney, MelNormalization.slaney, 0.0, nil as Double?),
        (400, 80, .slaney, .slaney, 0, nil), (256, 40, .htk, .none, 0, nil), (1024, 13, .htk, .slaney, 300, 5000),
        (256, 128, .slaney, .slaney, 0, nil), (400, 61, .slaney, .none, 20, 7600),
    ])
    func theBlockFilterbankSumsAsTheRowPathDoes(
        _ fftLength: Int, _ melCount: Int, _ scale: MelScale, _ norm: MelNormalization, _ fmin: Double,
        _ fmax: Double?
    ) throws {
        let bank = try MelFilterbank(
            sampleRate: 16000, fftLength: fftLength, melCount: melCount, minimumFrequency: fmin, maximumFrequency: fmax,
            scale: scale, normalization: norm)
        let bins = fftLength / 2 + 1
        let block = Self.random(bins * 8, seed: 9).map { $0 * 60 - 40 }  // dB-like values of both signs
        var expected = [Float](repeating: 0, count: 8 * melCount)
        for lane in 0..<8 {
            let row = (0..<bins).map { block[$0 * 8 + lane] }
            row.withUnsafeBufferPointer { input in
                expected.withUnsafeMutableBufferPointer { output in
                    bank.apply(
                        row: input,
                        into: UnsafeMutableBufferPointer(rebasing: output[(lane * melCount)..<((lane + 1) * melCount)]))
                }
            }
        }
        for (name, table) in Self.tables {
            for lanes in [8, 5] {
                var rows = [Float](repeating: .nan, count: 8 * melCount)
                var tile = [Float](repeating: .nan, count: (melCount + 3) * 8)
                withUnsafePointer(to: bank.sparse.bank) {
                    table.apply_bank($0, Int32(melCount), block, Int32(lanes), &rows, &tile)
                }
                let differing = (0..<(lanes * melCount)).filter { rows[$0] != expected[$0] }
                #expect(
                    differing.isEmpty,
                    "\(name): n_fft \(fftLength), \(melCount) bands, \(lanes) lanes: \(differing.count) sums differ")
                let untouched = rows[(lanes * melCount)...].allSatisfy { $0.isNaN }
                #expect(untouched, "\(name): rows past the lanes untouched")
            }
        }
    }

    @Test func momentsAndTheAffineMapMatchDoubleLoops() {
        for count in [0, 1, 7, 16, 33, 1001] {
            let x = Self.random(count, seed: UInt64(5 + count), scale: 50).map { $0 + 20 }
            let sum = x.reduce(0.0) { $0 + Double($1) }
            let mean = count > 0 ? sum / Double(count) : 0
            let squares = x.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) }
            for (name, table) in Self.tables {
                var shiftedSum = 0.0
                var shiftedSquares = 0.0
                table.moments(x, x.count, 17, &shiftedSum, &shiftedSquares)
                let expectedSum = x.reduce(0.0) { $0 + (Double($1) - 17) }
                let expectedSquares = x.reduce(0.0) { $0 + (Double($1) - 17) * (Double($1) - 17) }
                #expect(abs(shiftedSum - expectedSum) <= 1e-9 * max(1, abs(expectedSum)), "\(name) n \(count)")
                #expect(abs(shiftedSquares - expectedSquares) <= 1e-9 * max(1, expectedSquares), "\(name) n \(count)")
                var moments = FeatureNormalization.Moments()
                x.withUnsafeBufferPointer { moments.add($0) }
                #expect(abs(moments.mean - mean) <= 1e-12 * max(1, abs(mean)), "n \(count)")
                #expect(abs(moments.squaredDeviations - squares) <= 1e-9 * max(1, squares), "n \(count)")
                var mapped = x
                table.affine(&mapped, mapped.count, 20, 0.25)
                let expected = x.map { ($0 - 20) * 0.25 }
                #expect(zip(mapped, expected).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }, "\(name)")
            }
        }
    }

    @Test func sixteenBitSamplesScaleAsLibsndfileScalesThem() {
        let samples: [Int16] = [Int16.min, -1, 0, 1, 12345, Int16.max] + (0..<37).map { Int16($0 * 883 - 16000) }
        for (name, table) in Self.tables {
            var out = [Float](repeating: .nan, count: samples.count)
            table.int16_to_float(samples, &out, samples.count)
            #expect(out == samples.map { Float($0) / 32768 }, "\(name)")
        }
    }

    /// The blocked pipeline (8 frames per FFTW call, bin-major blocks) against the plain one:
    /// `spectrogram` frame by frame, then dB, the filterbank row by row and the z-score, on a
    /// length that leaves a partial last block; and the same numbers from any thread count.
    /// "logmel-odd" (n_fft 401) takes the real-transform path that odd lengths keep; the presets
    /// take the half-length complex one.
    @Test(arguments: ["speechless", "logmel", "logmel-odd"])
    func blockedFeaturesEqualTheFrameByFrameOnes(_ presetName: String) throws {
        var preset = presetName == "speechless" ? FeatureConfiguration.speechless : .logmel
        if presetName == "logmel-odd" { preset.stft.fftLength = 401 }
        var generator = SeededGenerator(seed: 6)
        let samples: [Float] = (0..<(16000 + 7 * 128 + 77)).map { i in
            let t = Double(i) / 16000
            return Float(0.5 * sin(2 * Double.pi * (200 + 1500 * t) * t)) + (generator.unitFloat() - 0.5) * 1e-3
        }
        let signal = AudioSignal(samples: samples, sampleRate: 16000)
        let blocked = try FeatureExtractor(preset).features(of: signal)

        let stft = try ShortTimeFourierTransform(preset.stft)
        var power = stft.spectrogram(samples)
        if preset.decibelOrder == .beforeMel { preset.decibels.apply(to: &power.values) }
        var plain = try preset.melFilterbank().apply(to: power)
        if preset.decibelOrder == .afterMel { preset.decibels.apply(to: &plain.values) }
        preset.normalization.apply(to: &plain.values)

        #expect(blocked.frameCount == plain.frameCount && blocked.binCount == plain.binCount)
        // logmel's float transforms (the blocked one is FFTW's complex transform of half the
        // length, the plain one its real transform) round differently; in bands far below the
        // peak that rounding is a visible fraction of the power. So within 80 dB of the peak (the
        // librosa parity range) 5e-3 dB (the parity bound is 0.01 dB), below it 0.05 dB.
        // speechless's double transforms and logmel-odd (the same real transform on both sides)
        // stay within 1e-4 everywhere.
        let peak = plain.values.max() ?? 0
        var near: Float = 0
        var far: Float = 0
        for (b, p) in zip(blocked.values, plain.values) {
            if presetName == "logmel" && p < peak - 80 {
                far = max(far, abs(b - p))
            } else {
                near = max(near, abs(b - p))
            }
        }
        #expect(near < (presetName == "logmel" ? 5e-3 : 1e-4), "\(presetName): largest difference \(near)")
        #expect(far < 0.05, "\(presetName): largest difference more than 80 dB below the peak \(far)")
        for threads in [2, 3, 8] {
            let threaded = try FeatureExtractor(preset, threadCount: threads).features(of: signal)
            #expect(threaded == blocked, "\(presetName), \(threads) threads")
        }
    }
}
