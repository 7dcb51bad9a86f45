import AudioFeatures
import Corpus
import Foundation
import SeededRandom

/// One utterance ready for training: its audio (for perturbed copies), clean features and
/// label indices.
struct TrainingUtterance: Sendable {
    let id: String
    let text: String
    let samples: [Float]
    let features: FeatureMatrix
    let labels: [Int]
}

/// Robustness augmentation, each part drawn per utterance from a seed so that a resumed run
/// draws the same: speed perturbation (resampling, which changes tempo and pitch together, as
/// Ko et al. 2015 do), additive white noise at a random SNR, and SpecAugment-style masks
/// (Park et al. 2019) over time frames and mel bands, set to 0 (the z-scored mean).
public struct Augmentation: Sendable, Codable, Equatable {
    /// Speed factors drawn uniformly when an utterance is perturbed; 1 leaves it as it is.
    public var speeds: [Double] = [0.9, 1.1]
    public var speedProbability: Double = 0.4
    public var noiseProbability: Double = 0.3
    /// Signal-to-noise ratio range in dB for the additive noise.
    public var noiseSNR: ClosedRange<Double> = 10...40
    public var timeMasks: Int = 2
    /// Longest time mask in input frames (8 ms each for `speechless`).
    public var timeMaskWidth: Int = 12
    public var frequencyMasks: Int = 2
    public var frequencyMaskWidth: Int = 12

    public static let none = Augmentation(
        speeds: [], speedProbability: 0, noiseProbability: 0, noiseSNR: 10...40, timeMasks: 0, timeMaskWidth: 0,
        frequencyMasks: 0, frequencyMaskWidth: 0)

    public init() {}

    public init(
        speeds: [Double], speedProbability: Double, noiseProbability: Double, noiseSNR: ClosedRange<Double>,
        timeMasks: Int, timeMaskWidth: Int, frequencyMasks: Int, frequencyMaskWidth: Int
    ) {
        self.speeds = speeds
        self.speedProbability = speedProbability
        self.noiseProbability = noiseProbability
        self.noiseSNR = noiseSNR
        self.timeMasks = timeMasks
        self.timeMaskWidth = timeMaskWidth
        self.frequencyMasks = frequencyMasks
        self.frequencyMaskWidth = frequencyMaskWidth
    }

    var isIdentity: Bool {
        (speeds.isEmpty || speedProbability == 0) && noiseProbability == 0 && timeMasks == 0 && frequencyMasks == 0
    }

    /// The features of `utterance` for one draw of `generator`.
    func features(
        of utterance: TrainingUtterance, extractor: FeatureExtractor, generator: inout SeededGenerator
    ) throws -> FeatureMatrix {
        let perturbSpeed = !speeds.isEmpty && Double(generator.unitFloat()) < speedProbability
        let speed = perturbSpeed ? speeds[generator.integer(below: speeds.count)] : 1
        let addNoise = Double(generator.unitFloat()) < noiseProbability
        let snr = noiseSNR.lowerBound + Double(generator.unitFloat()) * (noiseSNR.upperBound - noiseSNR.lowerBound)
        var features = utterance.features
        if speed != 1 || addNoise {
            let rate = extractor.configuration.sampleRate
            var signal = AudioSignal(samples: utterance.samples, sampleRate: rate)
            if speed != 1 {
                // Played `speed` times faster: read as if recorded at rate x speed, resampled back.
                signal = try Resampler.resample(
                    AudioSignal(samples: signal.samples, sampleRate: Int((Double(rate) * speed).rounded())), to: rate)
            }
            if addNoise {
                let power = signal.samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(signal.samples.count)
                let deviation = Float((power / pow(10, snr / 10)).squareRoot() * 3.0.squareRoot())
                for i in signal.samples.indices {
                    signal.samples[i] += deviation * (2 * generator.unitFloat() - 1)
                }
            }
            features = try extractor.features(of: signal, source: utterance.id)
        }
        let frames = features.frameCount
        let bins = features.binCount
        for _ in 0..<timeMasks where timeMaskWidth > 0 && frames > timeMaskWidth {
            let width = generator.integer(in: 0...timeMaskWidth)
            let start = generator.integer(below: frames - width + 1)
            for t in start..<(start + width) {
                for f in 0..<bins { features.values[t * bins + f] = 0 }
            }
        }
        for _ in 0..<frequencyMasks where frequencyMaskWidth > 0 && bins > frequencyMaskWidth {
            let width = generator.integer(in: 0...frequencyMaskWidth)
            let start = generator.integer(below: bins - width + 1)
            for t in 0..<frames {
                for f in start..<(start + width) { features.values[t * bins + f] = 0 }
            }
        }
        return features
    }
}

/// Utterances sorted by length and cut into batches of neighbours (so little of each batch is
/// padding); the order of the batches is shuffled per epoch from the seed.
struct LengthBuckets: Sendable {
    let batches: [[Int]]

    init(lengths: [Int], batchSize: Int) {
        let order = lengths.indices.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        batches = stride(from: 0, to: order.count, by: batchSize).map {
            Array(order[$0..<min($0 + batchSize, order.count)])
        }
    }

    func order(epoch: Int, seed: UInt64) -> [[Int]] {
        var generator = SeededGenerator(seed: TrainingSeeds.mix(seed, 0x6261_7463_6865_7321, UInt64(epoch)))
        return generator.shuffled(batches)
    }
}

/// Seeds derived from the run's seed, so that any step's randomness is known without replaying
/// the steps before it (what makes `--resume` exact).
enum TrainingSeeds {
    static func mix(_ values: UInt64...) -> UInt64 {
        var generator = SeededGenerator(seed: 0x9E37_79B9_7F4A_7C15)
        var state: UInt64 = 0
        for value in values {
            state ^= value &+ generator.next()
            state = (state ^ (state >> 31)) &* 0xBF58_476D_1CE4_E5B9
        }
        return state
    }
}
