import Foundation
import Testing

@testable import AudioFeatures

/// Parity with librosa 0.11 on a grid of settings and signals (fixtures in Fixtures/, made by
/// Scripts/make_librosa_fixtures.py). Criteria: mel power within 1e-4 of the reference's maximum;
/// dB within 0.01 dB wherever the reference is above its maximum - 80 dB; MFCC within 1e-3.
struct LibrosaParityTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let index: Int
        let signalIndex: Int
        var fixture: LibrosaFixtures.MelCase { LibrosaFixtures.shared.melCases[index] }
        var reference: LibrosaFixtures.SignalReference { fixture.signals[signalIndex] }
        var testDescription: String { "\(fixture.name)/\(reference.signal)" }
    }

    static let cases: [Case] = LibrosaFixtures.shared.melCases.enumerated().flatMap { i, c in
        c.signals.indices.map { Case(index: i, signalIndex: $0) }
    }

    static func configuration(_ s: LibrosaFixtures.Settings) -> FeatureConfiguration {
        FeatureConfiguration(
            sampleRate: 16000,
            stft: STFTConfiguration(
                fftLength: s.nFft, hopLength: s.hopLength, windowLength: s.winLength,
                window: WindowKind(rawValue: s.window)!, center: s.center),
            melCount: s.nMels, minimumFrequency: s.fmin, maximumFrequency: s.fmax,
            melScale: s.htk ? .htk : .slaney, melNormalization: s.norm == nil ? .none : .slaney,
            scale: .power)
    }

    @Test(arguments: cases)
    func melPowerDecibelsAndMFCC(_ c: Case) throws {
        var config = Self.configuration(c.fixture.settings)
        let samples = try LibrosaFixtures.signal(c.reference.signal)
        let signal = AudioSignal(samples: samples, sampleRate: 16000)

        let mel = try FeatureExtractor(config).features(of: signal)
        let melReference = try LibrosaFixtures.array(c.reference.mel)
        #expect(melReference.shape == [mel.frameCount, mel.binCount])
        let peak = melReference.elements.max()!
        let melError = zip(mel.values, melReference.elements).map { abs($0 - $1) }.max()!
        #expect(melError <= 1e-4 * peak, "mel power error \(melError) vs max \(peak)")

        config.scale = .db
        let db = try FeatureExtractor(config).features(of: signal)
        let dbReference = try LibrosaFixtures.array(c.reference.db)
        let dbPeak = dbReference.elements.max()!
        var dbError: Float = 0
        for (ours, theirs) in zip(db.values, dbReference.elements) where theirs > dbPeak - 80 {
            dbError = max(dbError, abs(ours - theirs))
        }
        #expect(dbError <= 0.01, "dB error \(dbError)")

        var topped = mel
        DecibelConversion(reference: .value(1), minimumPower: 1e-10, topDecibels: 80).apply(to: &topped.values)
        let mfcc = try MFCC(melCount: config.melCount, coefficientCount: 20).apply(to: topped)
        let mfccReference = try LibrosaFixtures.array(c.reference.mfcc)
        #expect(mfccReference.shape == [mfcc.frameCount, 20])
        let mfccError = zip(mfcc.values, mfccReference.elements).map { abs($0 - $1) }.max()!
        #expect(mfccError <= 1e-3, "MFCC error \(mfccError)")
    }

    @Test(arguments: LibrosaFixtures.shared.melCases.indices)
    func filterbankWeightsAndEmptyFilters(_ index: Int) throws {
        let c = LibrosaFixtures.shared.melCases[index]
        let bank = try Self.configuration(c.settings).melFilterbank()
        let reference = try LibrosaFixtures.array(c.basis)
        #expect(reference.shape == [c.settings.nMels, c.settings.nFft / 2 + 1])
        let error = zip(bank.denseWeights, reference.elements).map { abs($0 - $1) / max(abs($1), 1e-3) }.max()!
        #expect(error <= 1e-5, "\(c.name): filter weight error \(error)")
        #expect(bank.emptyFilters.isEmpty == !c.emptyFilters, "\(c.name): empty filters \(bank.emptyFilters)")
        #expect((bank.emptyFilterWarning != nil) == c.emptyFilters)
    }

    @Test(arguments: LibrosaFixtures.shared.presets.indices)
    func presets(_ index: Int) throws {
        let p = LibrosaFixtures.shared.presets[index]
        let signal = AudioSignal(samples: try LibrosaFixtures.signal(p.signal), sampleRate: 16000)

        let power = try ShortTimeFourierTransform(FeatureConfiguration.speechless.stft).spectrogram(signal.samples)
        let powerReference = try LibrosaFixtures.array(p.power512)
        let powerPeak = powerReference.elements.max()!
        #expect(zip(power.values, powerReference.elements).map { abs($0 - $1) }.max()! <= 1e-5 * powerPeak)

        let speechless = try FeatureExtractor(.speechless).features(of: signal)
        let speechlessReference = try LibrosaFixtures.array(p.speechless)
        #expect(speechlessReference.shape == [speechless.frameCount, 128])
        // z-scores of dB values: an absolute tolerance on numbers of order 1.
        let zError = zip(speechless.values, speechlessReference.elements).map { abs($0 - $1) }.max()!
        #expect(zError <= 1e-3, "speechless z-score error \(zError)")

        let logmel = try FeatureExtractor(.logmel).features(of: signal)
        let logmelReference = try LibrosaFixtures.array(p.logmel)
        #expect(logmelReference.shape == [logmel.frameCount, 80])
        let peak = logmelReference.elements.max()!
        var dbError: Float = 0
        for (ours, theirs) in zip(logmel.values, logmelReference.elements) where theirs > peak - 80 {
            dbError = max(dbError, abs(ours - theirs))
        }
        #expect(dbError <= 0.01, "logmel dB error \(dbError)")
    }
}
