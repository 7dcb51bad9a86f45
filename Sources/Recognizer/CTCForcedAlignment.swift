/// The most probable CTC path that spells a given target: the frame-wise classes and, for
/// every target label, the run of frames that emitted it.
public struct CTCForcedAlignment: Sendable, Equatable {
    /// The log-probability of that single path: the sum over frames of the chosen class's
    /// log-probability.
    public var logProbability: Double
    /// The class at every frame (the blank between and around labels).
    public var path: [Int]
    /// For each target label, in order, the frames of its run on the path (first...last).
    /// `spans[k].lowerBound` is label k's onset, the letter event of SCIENCE.md.
    public var spans: [ClosedRange<Int>]
}

extension CTC {
    /// Forced alignment: Viterbi over the CTC topology of `target` [CTC06].
    ///
    /// Concretely: the target is extended to blank, l1, blank, l2, ..., lL, blank (S = 2L + 1
    /// states). With lp the log-probabilities,
    ///
    ///     v(0, 0) = lp(0, blank),   v(0, 1) = lp(0, l1)
    ///     v(t, s) = lp(t, ext(s)) + max(v(t-1, s), v(t-1, s-1), v(t-1, s-2) if ext(s) is a
    ///               label different from ext(s-2))
    ///
    /// and the path ends in the last label or the final blank. Because every path visits each
    /// frame once, logits and log-softmax give the same path; pass log-probabilities for a
    /// meaningful `logProbability`.
    ///
    /// Ties go to staying in the same state, then to moving one state on, then to skipping a
    /// blank; at the end, to the final blank.
    ///
    /// `logProbabilities` are `frames x classes`, row-major; `target` holds label indices (no
    /// blank).
    ///
    /// - Returns: the alignment, or nil when `frames` is too short for the target (fewer than
    ///   its length plus one frame per repeated neighbour pair).
    /// - Throws: `CTCError` for a bad blank, score count or label.
    public static func forcedAlignment(
        logProbabilities: [Float], frames: Int, classes: Int, target: [Int], blank: Int
    ) throws -> CTCForcedAlignment? {
        try validate(scores: logProbabilities.count, frames: frames, classes: classes, target: target, blank: blank)
        guard frames >= minimumFrames(for: target), frames > 0 else {
            return target.isEmpty && frames == 0 ? CTCForcedAlignment(logProbability: 0, path: [], spans: []) : nil
        }
        let states = 2 * target.count + 1
        let label = { (s: Int) -> Int in s % 2 == 0 ? blank : target[s / 2] }
        let impossible = -Double.infinity
        var previous = [Double](repeating: impossible, count: states)
        var current = previous
        // back[t * states + s]: how many states back the path came from (0, 1 or 2).
        var back = [UInt8](repeating: 0, count: frames * states)
        previous[0] = Double(logProbabilities[blank])
        if states > 1 { previous[1] = Double(logProbabilities[target[0]]) }
        for t in 1..<frames {
            let row = t * classes
            for s in 0..<states {
                var best = previous[s]
                var step: UInt8 = 0
                if s >= 1 && previous[s - 1] > best {
                    best = previous[s - 1]
                    step = 1
                }
                if s >= 2 && s % 2 == 1 && label(s) != label(s - 2) && previous[s - 2] > best {
                    best = previous[s - 2]
                    step = 2
                }
                current[s] = best == impossible ? impossible : best + Double(logProbabilities[row + label(s)])
                back[t * states + s] = step
            }
            swap(&previous, &current)
        }
        var state = states - 1
        if states > 1 && previous[states - 2] > previous[states - 1] { state = states - 2 }
        let total = previous[state]
        guard total > impossible else { return nil }
        var path = [Int](repeating: blank, count: frames)
        var stateAt = [Int](repeating: 0, count: frames)
        for t in stride(from: frames - 1, through: 0, by: -1) {
            path[t] = label(state)
            stateAt[t] = state
            if t > 0 { state -= Int(back[t * states + state]) }
        }
        var spans: [ClosedRange<Int>] = []
        spans.reserveCapacity(target.count)
        var t = 0
        for k in 0..<target.count {
            while stateAt[t] != 2 * k + 1 { t += 1 }
            let start = t
            while t + 1 < frames && stateAt[t + 1] == 2 * k + 1 { t += 1 }
            spans.append(start...t)
        }
        return CTCForcedAlignment(logProbability: total, path: path, spans: spans)
    }
}
