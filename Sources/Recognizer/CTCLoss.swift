import Foundation
import NeuralCore

/// Connectionist temporal classification [CTC06]: the loss, its gradient and (in
/// `CTCDecoding.swift`) greedy and prefix-beam decoding.
///
/// A CTC output has `classes` scores per frame, one of them the blank. A frame-wise path over
/// those classes spells a labelling once repeats are merged and blanks dropped ("a a - b" and
/// "a - - b" both spell "ab"). The likelihood of a target labelling is the sum of the
/// probabilities of all paths that spell it, and the loss is its negative logarithm.
///
/// Layout: scores are `frames x classes`, row-major, so one frame's classes are contiguous (the
/// time-major layout of `Tensor`). A batch is a `Tensor` of shape [batch, frames, classes].
///
/// PyTorch names -> ours: `log_probs` -> `logProbabilities`, `input_lengths` -> `lengths`,
/// `targets` -> `targets` (one array per utterance, not concatenated), `blank` -> `blank`,
/// `reduction='sum'` -> the per-utterance `losses` (sum them yourself), `zero_infinity=True`
/// -> always on for the gradient (an infeasible utterance gives zero gradient, its loss stays
/// `+infinity`).
public enum CTC {
    /// The loss and its gradient with respect to unnormalised scores (logits).
    ///
    /// Concretely: with y = softmax(logits) per frame, the loss is -log p(target | y), and the
    /// gradient is d loss / d logits[t, c] = y[t, c] - gamma[t, c], where gamma[t, c] is the
    /// posterior probability that a path spelling the target emits class c at frame t. The
    /// softmax is folded in, so do not put a softmax layer's backward after this one.
    ///
    /// - Parameters:
    ///   - logits: `frames x classes` unnormalised scores, row-major; the function applies
    ///     log-softmax itself (in double precision).
    ///   - frames: T, the number of frames.
    ///   - classes: C, including the blank.
    ///   - target: the labelling, each label in `0..<classes` and not `blank`; may be empty.
    ///   - blank: the blank's class index (the Wav2Letter alphabets put it last; PyTorch's
    ///     default is 0).
    /// - Returns: the loss (a negative log-likelihood, not averaged) and the gradient,
    ///   `frames x classes`. A target that no path of `frames` frames can spell (fewer frames than
    ///   labels plus repeated adjacent pairs, which need a blank between them) gives `+infinity`
    ///   and an all-zero gradient, never NaN.
    /// - Throws: `CTCError` for a bad blank, label or score count.
    public static func loss(
        logits: [Float], frames: Int, classes: Int, target: [Int], blank: Int
    ) throws -> (loss: Float, gradient: [Float]) {
        try validate(scores: logits.count, frames: frames, classes: classes, target: target, blank: blank)
        let logProbabilities = logSoftmax(logits, frames: frames, classes: classes)
        let result = forwardBackward(
            logProbabilities: logProbabilities, frames: frames, classes: classes, target: target, blank: blank)
        var gradient = [Float](repeating: 0, count: frames * classes)
        if let occupancy = result.occupancy {
            for i in gradient.indices {
                gradient[i] = Float(exp(logProbabilities[i]) - occupancy[i])
            }
        }
        return (Float(-result.logLikelihood), gradient)
    }

    /// The loss and its gradient with respect to per-frame log-probabilities.
    ///
    /// Concretely: the loss is -log sum over paths pi spelling the target of
    /// exp(sum_t logProbabilities[t, pi_t]), and the gradient is
    /// d loss / d logProbabilities[t, c] = -gamma[t, c], the negated posterior occupancy. This is
    /// the exact derivative (PyTorch's `ctc_loss` instead returns y - gamma, which is only right
    /// after its log-softmax backward). Chained through `LogSoftmax.backward` it gives the same
    /// y - gamma as `loss(logits:...)`, because every frame's occupancy sums to one.
    ///
    /// The scores need not be normalised: they are used as given (as log emission scores).
    /// Parameters, result and errors are those of `loss(logits:...)`.
    public static func loss(
        logProbabilities: [Float], frames: Int, classes: Int, target: [Int], blank: Int
    ) throws -> (loss: Float, gradient: [Float]) {
        try validate(scores: logProbabilities.count, frames: frames, classes: classes, target: target, blank: blank)
        let scores = logProbabilities.map { Double($0) }
        let result = forwardBackward(
            logProbabilities: scores, frames: frames, classes: classes, target: target, blank: blank)
        let gradient = result.occupancy.map { $0.map { Float(-$0) } } ?? [Float](repeating: 0, count: scores.count)
        return (Float(-result.logLikelihood), gradient)
    }

    /// The losses of a padded batch and the gradient with respect to its logits.
    ///
    /// - Parameters:
    ///   - logits: unnormalised scores, shape [batch, frames, classes] (time-major).
    ///   - lengths: the number of valid frames of each utterance, each in `0...frames`; frames at
    ///     and after an utterance's length are padding and get zero gradient.
    ///   - targets: one labelling per utterance.
    ///   - blank: the blank's class index.
    /// - Returns: one loss per utterance (sum them for PyTorch's `reduction='sum'`; an
    ///   infeasible utterance gives `+infinity` and zero gradient) and the gradient, shaped like
    ///   `logits`.
    /// - Throws: `CTCError` for a bad shape, length, blank or label.
    public static func loss(
        logits: Tensor, lengths: [Int], targets: [[Int]], blank: Int
    ) throws -> (losses: [Float], gradient: Tensor) {
        guard logits.rank == 3 else {
            throw CTCError.shapeMismatch(what: "logits", expected: "[batch, frames, classes]", got: logits.shape)
        }
        let (batch, frames, classes) = (logits.shape[0], logits.shape[1], logits.shape[2])
        guard lengths.count == batch else {
            throw CTCError.batchMismatch(what: "lengths", count: lengths.count, batch: batch)
        }
        guard targets.count == batch else {
            throw CTCError.batchMismatch(what: "targets", count: targets.count, batch: batch)
        }
        for (index, length) in lengths.enumerated() where !(0...frames).contains(length) {
            throw CTCError.invalidLength(utterance: index, length: length, frames: frames)
        }
        var losses = [Float]()
        var gradient = Tensor(zeros: logits.shape)
        let stride = frames * classes
        for item in 0..<batch {
            let start = item * stride
            let count = lengths[item] * classes
            let (loss, itemGradient) = try loss(
                logits: Array(logits.values[start..<start + count]), frames: lengths[item], classes: classes,
                target: targets[item], blank: blank)
            losses.append(loss)
            gradient.values.replaceSubrange(start..<start + count, with: itemGradient)
        }
        return (losses, gradient)
    }

    /// The fewest frames a path needs to spell `target`: one per label, plus one blank between
    /// each pair of equal adjacent labels (otherwise they would merge).
    public static func minimumFrames(for target: [Int]) -> Int {
        target.count + zip(target, target.dropFirst()).filter { $0 == $1 }.count
    }

    /// Checks the blank, the labels and the number of scores; shared with the decoders.
    static func validate(scores: Int, frames: Int, classes: Int, target: [Int], blank: Int) throws {
        guard classes > 0 else {
            throw CTCError.invalidParameter(name: "classes", value: classes, valid: "at least 1")
        }
        guard frames >= 0 else {
            throw CTCError.invalidParameter(name: "frames", value: frames, valid: "0 or more")
        }
        guard (0..<classes).contains(blank) else {
            throw CTCError.invalidParameter(name: "blank", value: blank, valid: "0..<\(classes)")
        }
        guard scores == frames * classes else {
            throw CTCError.scoreCount(count: scores, frames: frames, classes: classes)
        }
        for (position, label) in target.enumerated() where !(0..<classes).contains(label) || label == blank {
            throw CTCError.invalidLabel(label: label, position: position, classes: classes, blank: blank)
        }
    }

    /// Log-softmax over each frame's classes, in double precision (`frames x classes`, row-major).
    public static func logSoftmax(_ logits: [Float], frames: Int, classes: Int) -> [Double] {
        var result = [Double](repeating: 0, count: frames * classes)
        logits.withUnsafeBufferPointer { input in
            result.withUnsafeMutableBufferPointer { output in
                for t in 0..<frames {
                    let row = t * classes
                    var largest = -Double.infinity
                    for c in 0..<classes { largest = max(largest, Double(input[row + c])) }
                    if !largest.isFinite { largest = 0 }
                    var sum = 0.0
                    for c in 0..<classes { sum += exp(Double(input[row + c]) - largest) }
                    let shift = largest + log(sum)
                    for c in 0..<classes { output[row + c] = Double(input[row + c]) - shift }
                }
            }
        }
        return result
    }

    /// log(exp(a) + exp(b) + exp(c)) without overflow; any may be -infinity.
    ///
    /// Concretely: with m the largest, m + log(1 + exp(y - m) + exp(z - m)) for the other two,
    /// skipping the exponential of a -infinity term. This is the inner step of both recursions,
    /// and exp and log dominate their time (a blank state has only two predecessors).
    @inline(__always)
    static func logSum(_ a: Double, _ b: Double, _ c: Double) -> Double {
        var (largest, y, z) = (a, b, c)
        if y > largest { swap(&largest, &y) }
        if z > largest { swap(&largest, &z) }
        if largest == -.infinity { return largest }
        var sum = 1.0
        if y > -.infinity { sum += exp(y - largest) }
        if z > -.infinity { sum += exp(z - largest) }
        return largest + log(sum)
    }

    /// log(exp(a) + exp(b)) without overflow; exact when either is -infinity.
    @inline(__always)
    static func logAdd(_ a: Double, _ b: Double) -> Double {
        if a == -.infinity { return b }
        if b == -.infinity { return a }
        return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b))
    }

    /// The forward-backward recursions of [CTC06] in log space (see `CTCLattice`).
    ///
    /// - Returns: the log-likelihood and, when it is finite, the occupancy gamma [frames x
    ///   classes]: gamma[t, c] = sum over states s with l'_s = c of exp(alpha + beta - log p).
    static func forwardBackward(
        logProbabilities: [Double], frames: Int, classes: Int, target: [Int], blank: Int
    ) -> (logLikelihood: Double, occupancy: [Double]?) {
        if frames < minimumFrames(for: target) { return (-.infinity, nil) }
        if frames == 0 { return (0, []) }  // an empty target in no frames: the empty path
        let lattice = CTCLattice(frames: frames, classes: classes, target: target, blank: blank)
        let alpha = lattice.forward(logProbabilities)
        let last = (frames - 1) * lattice.states
        var logLikelihood = alpha[last + lattice.states - 1]
        if lattice.states > 1 { logLikelihood = logAdd(logLikelihood, alpha[last + lattice.states - 2]) }
        // NaN scores give a NaN loss (not an infeasible target's infinity), so callers can tell them apart.
        guard logLikelihood.isFinite else { return (logLikelihood.isNaN ? .nan : -.infinity, nil) }
        let beta = lattice.backward(logProbabilities)
        var occupancy = [Double](repeating: 0, count: frames * classes)
        for t in 0..<frames {
            let row = t * lattice.states
            for s in lattice.band(t) {
                let joint = alpha[row + s] + beta[row + s]
                if joint > -.infinity {
                    occupancy[t * classes + lattice.extended[s]] += exp(joint - logLikelihood)
                }
            }
        }
        return (logLikelihood, occupancy)
    }
}

/// The state lattice of one target: the target with blanks around and between its labels.
///
/// Concretely: l' = (-, l1, -, l2, ..., lL, -), S = 2L + 1 states. alpha[t, s] is the
/// log-probability of the path prefixes that emit frames 0...t and end in state s; beta[t, s]
/// that of the suffixes that emit frames t+1..<T starting from state s. The current frame's
/// emission belongs to alpha only, so alpha + beta is the log-probability of all complete paths
/// through (t, s). A step stays, moves one state on, or skips a blank between two different
/// labels. Only the band of states that the start can reach and that can still reach the end is
/// computed; the rest stay -infinity, which is their exact value wherever it is read.
/// Needs frames >= `CTC.minimumFrames(for:)` and frames >= 1.
struct CTCLattice {
    let frames: Int
    let classes: Int
    let states: Int
    /// l', the class of each state.
    let extended: [Int]
    /// Whether state s may be entered from s - 2 (s is a label different from the one at s - 2).
    let canSkip: [Bool]

    init(frames: Int, classes: Int, target: [Int], blank: Int) {
        self.frames = frames
        self.classes = classes
        states = 2 * target.count + 1
        var extended = [Int](repeating: blank, count: states)
        for (index, label) in target.enumerated() { extended[2 * index + 1] = label }
        self.extended = extended
        canSkip = (0..<extended.count).map { s in s >= 2 && extended[s] != blank && extended[s] != extended[s - 2] }
    }

    /// The states that matter at frame t: the start reaches at most state 2t + 1, and the end
    /// (state S - 1 or S - 2 at frame T - 1) needs s >= S - 2(T - t).
    func band(_ t: Int) -> ClosedRange<Int> {
        max(0, states - 2 * (frames - t))...min(states - 1, 2 * t + 1)
    }

    /// alpha, frames x states.
    func forward(_ logProbabilities: [Double]) -> [Double] {
        var alpha = [Double](repeating: -.infinity, count: frames * states)
        logProbabilities.withUnsafeBufferPointer { lp in
            alpha.withUnsafeMutableBufferPointer { alpha in
                for s in 0..<min(2, states) { alpha[s] = lp[extended[s]] }
                for t in 1..<frames {
                    let row = t * states
                    let previous = row - states
                    let emissions = t * classes
                    for s in band(t) {
                        let stay = alpha[previous + s]
                        let advance = s >= 1 ? alpha[previous + s - 1] : -.infinity
                        let skip = canSkip[s] ? alpha[previous + s - 2] : -.infinity
                        alpha[row + s] = CTC.logSum(stay, advance, skip) + lp[emissions + extended[s]]
                    }
                }
            }
        }
        return alpha
    }

    /// beta, frames x states.
    func backward(_ logProbabilities: [Double]) -> [Double] {
        var beta = [Double](repeating: -.infinity, count: frames * states)
        // emitted[s] = beta[t + 1, s] + log y[t + 1, l'_s]: the suffixes from state s at frame t + 1
        // including that frame's emission, computed once per state rather than once per move.
        var emitted = [Double](repeating: -.infinity, count: states + 2)
        logProbabilities.withUnsafeBufferPointer { lp in
            beta.withUnsafeMutableBufferPointer { beta in
                emitted.withUnsafeMutableBufferPointer { emitted in
                    let last = (frames - 1) * states
                    for s in max(0, states - 2)..<states { beta[last + s] = 0 }
                    for t in stride(from: frames - 2, through: 0, by: -1) {
                        let row = t * states
                        let next = row + states
                        let emissions = (t + 1) * classes
                        let needed = band(t)
                        for s in needed.lowerBound..<min(states, needed.upperBound + 3) {
                            emitted[s] = beta[next + s] + lp[emissions + extended[s]]
                        }
                        for s in needed {
                            let skip = s + 2 < states && canSkip[s + 2] ? emitted[s + 2] : -.infinity
                            beta[row + s] = CTC.logSum(emitted[s], emitted[s + 1], skip)
                        }
                    }
                }
            }
        }
        return beta
    }
}

/// Errors of the CTC loss and decoders; each names the bad value and what is valid.
public enum CTCError: Error, CustomStringConvertible, Equatable {
    case invalidParameter(name: String, value: Int, valid: String)
    case invalidLabel(label: Int, position: Int, classes: Int, blank: Int)
    case scoreCount(count: Int, frames: Int, classes: Int)
    case shapeMismatch(what: String, expected: String, got: [Int])
    case batchMismatch(what: String, count: Int, batch: Int)
    case invalidLength(utterance: Int, length: Int, frames: Int)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let valid):
            return "CTC: \(name) \(value) is invalid; valid: \(valid)"
        case .invalidLabel(let label, let position, let classes, let blank):
            return "CTC: target label \(label) at position \(position) is invalid; valid: 0..<\(classes) except the "
                + "blank \(blank)"
        case .scoreCount(let count, let frames, let classes):
            return "CTC: \(count) scores do not fit \(frames) frames x \(classes) classes (\(frames * classes))"
        case .shapeMismatch(let what, let expected, let got):
            return "CTC: \(what) has shape \(got); expected \(expected)"
        case .batchMismatch(let what, let count, let batch):
            return "CTC: \(count) \(what) for a batch of \(batch); expected one per utterance"
        case .invalidLength(let utterance, let length, let frames):
            return "CTC: utterance \(utterance) has length \(length); valid: 0...\(frames)"
        }
    }
}
