/// The choices SCIENCE.md ("NAP family") leaves open, each a parameter with its default.
///
/// One accumulator serves every variant: `kind` picks what goes into an epoch (plain
/// activations, gradient-adjusted activations, or activations re-centred at the saliency peak).
public struct ProfileOptions: Sendable, Codable, Equatable {
    /// NAP: activations A [NAP18]; GradNAP: A adjusted by the gradient G of the event's output
    /// [GRADNAP20]; SNAP: A in an epoch centred at the layer's saliency peak [SNAP21].
    public enum Kind: String, Sendable, Codable, CaseIterable { case nap, gradnap, snap }
    /// What an event's group is: its phoneme (IPA), its letter (needs `align` output) or the
    /// phoneme's phonetic class.
    public enum Unit: String, Sendable, Codable, CaseIterable {
        case phoneme, letter
        case phoneticClass = "class"
    }
    /// Where a true (TextGrid) phone's event sits: its onset, as ERP epochs start at stimulus
    /// onset, or the centre of its segment (where calibrated `align` events sit).
    public enum Anchor: String, Sendable, Codable, CaseIterable { case onset, center }
    /// The event's output whose gradient adjusts the activations: the softmax probability of
    /// the event's label at the event frame, or its logit.
    public enum GradientOutput: String, Sendable, Codable, CaseIterable { case probability, logit }
    /// The event's label: the most probable non-blank label at the event frame ("predicted"),
    /// or the letter `align` paired with the phoneme ("aligned", needs `--alignments`).
    public enum GradientLabel: String, Sendable, Codable, CaseIterable { case predicted, aligned }
    /// GradNAP's adjustment: A x G, A x |G|, or A where |G| reaches the event's `maskQuantile`
    /// of |G| over the epoch (0 elsewhere).
    public enum Adjustment: String, Sendable, Codable, CaseIterable {
        case product
        case absolute
        case mask
    }
    /// SNAP's centre per layer and event: argmax over t of mean_c |G[t, c]| (reference code) or
    /// of sum_c |G[t, c]| A[t, c] (seed slides).
    public enum SaliencyPeak: String, Sendable, Codable, CaseIterable {
        case gradient
        case gradientTimesActivation = "gradient-x-activation"
    }

    public var kind: Kind = .nap
    public var unit: Unit = .phoneme
    public var anchor: Anchor = .onset
    /// Frames either side of the event at the output rate (12 x 16 ms = +-192 ms, the span of
    /// a syllable around a phoneme); the input layer, at twice the rate, gets twice the frames.
    public var tau: Int = 12
    public var gradientOutput: GradientOutput = .probability
    public var gradientLabel: GradientLabel = .predicted
    public var adjustment: Adjustment = .product
    /// For `adjustment == .mask`: keep A where |G| is at or above this quantile (0.9: the top
    /// tenth of the epoch's gradient magnitudes).
    public var maskQuantile: Double = 0.9
    public var saliencyPeak: SaliencyPeak = .gradient
    /// Single-trial traces kept per group for ERP images (the first ones in corpus order).
    public var trialsPerGroup: Int = 100
    /// Events whose gradients one backward pass computes together.
    public var gradientBatch: Int = 32

    public init() {}

    /// Checks the numeric options.
    public func validate() throws {
        guard tau >= 0, tau <= 500 else {
            throw ProfileError.invalidOption(name: "--tau", value: "\(tau)", valid: "0...500 frames")
        }
        guard maskQuantile >= 0, maskQuantile < 1 else {
            throw ProfileError.invalidOption(name: "--mask-quantile", value: "\(maskQuantile)", valid: "0 <= q < 1")
        }
        guard trialsPerGroup >= 0 else {
            throw ProfileError.invalidOption(name: "--trials", value: "\(trialsPerGroup)", valid: "0 or more")
        }
        guard gradientBatch >= 1 else {
            throw ProfileError.invalidOption(name: "--gradient-batch", value: "\(gradientBatch)", valid: "1 or more")
        }
    }

    /// The options that decide a profile's numbers (batching does not).
    var fingerprint: ProfileOptions {
        var copy = self
        copy.gradientBatch = 0
        return copy
    }
}
