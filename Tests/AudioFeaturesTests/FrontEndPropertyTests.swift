import Foundation
import Testing

@testable import AudioFeatures

/// Properties that need no oracle: windows, filter peaks, thread independence, frame counts,
/// normalisation.
struct FrontEndPropertyTests {
    @Test func periodicWindowsMatchTheirFormulas() {
        let hann = WindowKind.hann.coefficients(length: 8)
        #expect(hann[0] == 0)
        #expect(abs(hann[4] - 1) < 1e-15)  // periodic: the peak is at N/2, not at the ends
        #expect(abs(hann[2] - 0.5) < 1e-15)
        let hamming = WindowKind.hamming.coefficients(length: 8)
        #expect(abs(hamming[0] - 0.08) < 1e-15)
        let padded = WindowKind.hann.padded(windowLength: 4, fftLength: 8)
        #expect(padded[0] == 0 && padded[1] == 0 && padded[6] == 0 && padded[7] == 0)
        #expect(padded[4] == 1)
    }

    @Test(arguments: [MelScale.slaney, .htk])
    func melFiltersPeakWithinOneBinOfTheirCentres(_ scale: MelScale) throws {
        let bank = try MelFilterbank(
            sampleRate: 16000, fftLength: 1024, melCount: 40, scale: scale, normalization: .none)
        let bins = 513
        let weights = bank.denseWeights
        for m in 0..<40 {
            let row = Array(weights[(m * bins)..<((m + 1) * bins)])
            let peakBin = row.indices.max { row[$0] < row[$1] }!
            let centreBin = bank.centerFrequencies[m] / (16000.0 / 1024)
            #expect(abs(Double(peakBin) - centreBin) <= 1, "filter \(m) peaks at bin \(peakBin), centre \(centreBin)")
            #expect(row.max()! <= 1)
        }
    }

    @Test func melScaleRoundTrips() {
        for scale in MelScale.allCases {
            for f in [0.0, 100, 999.9, 1000, 1000.1, 4000, 8000, 22050] {
                #expect(abs(scale.hertz(fromMel: scale.mel(fromHertz: f)) - f) < 1e-9 * max(1, f))
            }
        }
        #expect(abs(MelScale.htk.mel(fromHertz: 700) - 2595 * log10(2.0)) < 1e-12)
        #expect(abs(MelScale.slaney.mel(fromHertz: 1000) - 15) < 1e-12)
    }

    @Test func decibelsFollowPowerToDB() {
        var values: [Float] = [1, 10, 100, 1e-12, 0]
        DecibelConversion(reference: .value(1), minimumPower: 1e-10, topDecibels: nil).apply(to: &values)
        #expect(values.map { ($0 * 1000).rounded() / 1000 } == [0, 10, 20, -100, -100])
        var topped: [Float] = [1, 1e-3, 1e-12]
        DecibelConversion(reference: .maximum, minimumPower: 1e-10, topDecibels: 20).apply(to: &topped)
        #expect(topped.map { ($0 * 1000).rounded() / 1000 } == [0, -20, -20])
    }

    @Test(arguments: [STFTConfiguration.Precision.single, .double])
    func threadCountDoesNotChangeTheResult(_ precision: STFTConfiguration.Precision) throws {
        let samples: [Float] = (0..<20000).map { i in
            let phase = Double(i) * 0.01 * Double(i % 7 + 1)
            return Float(sin(phase))
        }
        let stft = try ShortTimeFourierTransform(.init(fftLength: 512, hopLength: 128, precision: precision))
        let one = stft.spectrogram(samples, threadCount: 1)
        let four = stft.spectrogram(samples, threadCount: 4)
        #expect(one == four)
    }

    /// `FFTWWisdom` must hold plans for exactly the problems `PackedRealFFTPlan` plans for the
    /// presets (n_fft 512 in double, 400 in single precision); a plan for another size shows that
    /// FFTW_WISDOM_ONLY refuses what the wisdom does not cover. Regenerate the wisdom with
    /// `Scripts/make_fftw_wisdom.sh` when this fails after a change of the plan's shape.
    @Test func theShippedWisdomCoversThePresetsTransforms() {
        // Import both precisions' wisdom first.
        _ = PackedRealFFTPlan<Double>.shared(size: 512)
        _ = PackedRealFFTPlan<Float>.shared(size: 400)
        FFTWPlanner.lock.lock()
        defer { FFTWPlanner.lock.unlock() }
        let speechless = PackedRealFFTPlan<Double>.makePlan(size: 512, wisdomOnly: true)
        let logmel = PackedRealFFTPlan<Float>.makePlan(size: 400, wisdomOnly: true)
        let other = PackedRealFFTPlan<Double>.makePlan(size: 500, wisdomOnly: true)
        #expect(speechless != nil)
        #expect(logmel != nil)
        #expect(other == nil)
        for plan in [speechless, other].compactMap({ $0 }) { Double.destroy(plan) }
        if let logmel { Float.destroy(logmel) }
    }

    @Test func plansAreSharedAndUsableFromManyThreads() async throws {
        #expect(RealFFTPlan<Float>.shared(size: 384) === RealFFTPlan<Float>.shared(size: 384))
        let samples: [Float] = (0..<8000).map { i in Float((i * 7919) % 1000) / 1000 - 0.5 }
        let reference = try ShortTimeFourierTransform(.init(fftLength: 384, hopLength: 100)).spectrogram(samples)
        let results = try await withThrowingTaskGroup(of: FeatureMatrix.self) { group in
            for size in [384, 384, 384, 384, 320, 448] {
                group.addTask {
                    // New sizes plan concurrently with execution of existing plans.
                    try ShortTimeFourierTransform(.init(fftLength: size, hopLength: 100)).spectrogram(samples)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { $0 == reference }.count == 4)
    }

    @Test func frameCountsFollowLibrosa() {
        let centred = STFTConfiguration(fftLength: 512, hopLength: 128)
        #expect(centred.frameCount(sampleCount: 16000) == 1 + 16000 / 128)
        let plain = STFTConfiguration(fftLength: 512, hopLength: 128, center: false)
        #expect(plain.frameCount(sampleCount: 16000) == 1 + (16000 - 512) / 128)
        #expect(plain.frameCount(sampleCount: 511) == 0)
    }

    @Test func utteranceNormalisationGivesZeroMeanUnitVariance() {
        var values: [Float] = (0..<1000).map { i in Float(i % 17) * 3 + 5 }
        FeatureNormalization.utterance.apply(to: &values)
        let mean = values.reduce(0, +) / Float(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(values.count)
        #expect(abs(mean) < 1e-5)
        #expect(abs(variance - 1) < 1e-4)
        var constant: [Float] = [3, 3, 3]
        FeatureNormalization.utterance.apply(to: &constant)
        #expect(constant == [0, 0, 0])
    }
}
