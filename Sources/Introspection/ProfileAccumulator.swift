/// Sums, sums of squares and counts of epochs per layer and group: the one accumulator behind
/// every NAP variant (SCIENCE.md, "NAP family"), mergeable exactly across shards.
///
/// Concretely, for layer l, group g, window offset j and channel c:
/// sum[g][j, c] = sum over events e of g of X_e[j, c], sumsq the same of X_e[j, c]^2, where X_e
/// is the event's epoch (activations, gradient-adjusted activations or saliency-centred
/// activations, as the options say); count[g] the number of events. Beside them, per event, the
/// epoch's global field power GFP_e[j] = standard deviation over channels of X_e[j, :] is summed
/// (and squared) too, and the first `trialsPerGroup` events of each group in corpus order keep
/// their GFP traces for ERP images. All sums are exact (`FixedPoint`).
public struct ProfileAccumulator: Sendable {
    /// The sums of one group in one layer: [window x channels] row-major, time-major.
    struct Sums: Sendable {
        var sum: [Int128]
        var sumOfSquares: [Int128]
        var gfpSum: [Int128]
        var gfpSumOfSquares: [Int128]

        init(window: Int, channels: Int) {
            sum = [Int128](repeating: 0, count: window * channels)
            sumOfSquares = sum
            gfpSum = [Int128](repeating: 0, count: window)
            gfpSumOfSquares = gfpSum
        }

        mutating func merge(_ other: Sums) {
            for i in sum.indices {
                sum[i] += other.sum[i]
                sumOfSquares[i] += other.sumOfSquares[i]
            }
            for i in gfpSum.indices {
                gfpSum[i] += other.gfpSum[i]
                gfpSumOfSquares[i] += other.gfpSumOfSquares[i]
            }
        }
    }

    /// One event's single-trial GFP traces, kept for ERP images.
    public struct Trial: Sendable, Equatable {
        /// Position of the utterance in the corpus (sorted by id) and of the event in it: the
        /// order trials are kept and merged in.
        public var utterance: Int
        public var event: Int
        public var group: String
        /// Seconds: the phone's duration (true segments) or the time to the next event.
        public var duration: Double
        /// Per recorded layer (in `layers` order), the GFP trace over the layer's window.
        public var traces: [[Float]]
    }

    public let layers: [ProfileLayer]
    public let tau: Int
    /// Input frames per output frame of the whole model (2 for the speechless stack): tau counts
    /// output frames, so a layer at a finer rate (the input) gets tau x outputStride / stride.
    public let outputStride: Int
    public let trialsPerGroup: Int
    /// Per layer index (position in `layers`), per group name.
    var sums: [[String: Sums]]
    public private(set) var counts: [String: Int] = [:]
    /// Per group, the kept trials with the smallest (utterance, event) keys, in key order.
    private var keptTrials: [String: [Trial]] = [:]

    /// The kept trials of every group, in (utterance, event) order.
    public var trials: [Trial] {
        keptTrials.values.joined().sorted { ($0.utterance, $0.event) < ($1.utterance, $1.event) }
    }

    public init(layers: [ProfileLayer], tau: Int, outputStride: Int, trialsPerGroup: Int) {
        self.layers = layers
        self.tau = tau
        self.outputStride = outputStride
        self.trialsPerGroup = trialsPerGroup
        sums = Array(repeating: [:], count: layers.count)
    }

    /// Frames either side of the event in `layer` (tau at the output rate; more for layers at a
    /// finer rate, such as the input).
    public static func halfWindow(of layer: ProfileLayer, tau: Int, outputStride: Int) -> Int {
        tau * max(1, outputStride / max(1, layer.stride))
    }

    /// The window's length in frames for layer position `l`.
    public func window(_ l: Int) -> Int { 2 * halfWindow(l) + 1 }

    public func halfWindow(_ l: Int) -> Int {
        Self.halfWindow(of: layers[l], tau: tau, outputStride: outputStride)
    }

    /// The groups seen so far, sorted.
    public var groups: [String] { counts.keys.sorted() }

    /// Adds one event's epochs, one per layer (each [window x channels], time-major, in
    /// `layers` order). `utterance` and `event` order the kept trials.
    public mutating func add(
        epochs: [[Float]], group: String, utterance: Int, event: Int, duration: Double
    ) {
        precondition(epochs.count == layers.count, "one epoch per layer")
        counts[group, default: 0] += 1
        var traces: [[Float]] = []
        for (l, epoch) in epochs.enumerated() {
            let window = window(l)
            let channels = layers[l].channels
            precondition(epoch.count == window * channels, "epoch of layer \(layers[l].name) has the wrong size")
            // Taken out of the dictionary so that its arrays are uniquely referenced and update in place.
            var entry = sums[l].removeValue(forKey: group) ?? Sums(window: window, channels: channels)
            var trace = [Float](repeating: 0, count: window)
            epoch.withUnsafeBufferPointer { x in
                entry.sum.withUnsafeMutableBufferPointer { sum in
                    entry.sumOfSquares.withUnsafeMutableBufferPointer { squares in
                        for i in 0..<x.count {
                            let v = Double(x[i])
                            sum[i] += FixedPoint.value(v)
                            squares[i] += FixedPoint.value(v * v)
                        }
                    }
                }
                for j in 0..<window {
                    var mean = 0.0
                    for c in 0..<channels { mean += Double(x[j * channels + c]) }
                    mean /= Double(channels)
                    var variance = 0.0
                    for c in 0..<channels {
                        let d = Double(x[j * channels + c]) - mean
                        variance += d * d
                    }
                    let gfp = (variance / Double(channels)).squareRoot()
                    trace[j] = Float(gfp)
                    entry.gfpSum[j] += FixedPoint.value(gfp)
                    entry.gfpSumOfSquares[j] += FixedPoint.value(gfp * gfp)
                }
            }
            sums[l][group] = entry
            traces.append(trace)
        }
        keep(Trial(utterance: utterance, event: event, group: group, duration: duration, traces: traces))
    }

    /// Keeps `trial` if it is among the `trialsPerGroup` smallest keys of its group, whatever the
    /// order trials arrive in.
    private mutating func keep(_ trial: Trial) {
        guard trialsPerGroup > 0 else { return }
        var list = keptTrials.removeValue(forKey: trial.group) ?? []
        let key = (trial.utterance, trial.event)
        let position = list.firstIndex { key < ($0.utterance, $0.event) } ?? list.count
        if position < trialsPerGroup {
            list.insert(trial, at: position)
            if list.count > trialsPerGroup { list.removeLast() }
        }
        keptTrials[trial.group] = list
    }

    /// Adds another accumulator's sums (same layers and tau; the caller checks the options).
    /// Kept trials are the first `trialsPerGroup` of each group in (utterance, event) order, so
    /// merging shards keeps exactly the trials an unsharded run keeps.
    public mutating func merge(_ other: ProfileAccumulator) {
        precondition(
            other.layers == layers && other.tau == tau && other.outputStride == outputStride,
            "merge needs the same layers and tau")
        for (group, count) in other.counts { counts[group, default: 0] += count }
        for l in layers.indices {
            for (group, entry) in other.sums[l] {
                if var mine = sums[l].removeValue(forKey: group) {
                    mine.merge(entry)
                    sums[l][group] = mine
                } else {
                    sums[l][group] = entry
                }
            }
        }
        for trial in other.trials { keep(trial) }
    }

    /// Drops groups with fewer than `minimumCount` events; returns the dropped ones with their counts.
    public mutating func removeGroups(below minimumCount: Int) -> [(group: String, count: Int)] {
        let dropped = counts.filter { $0.value < minimumCount }.sorted { $0.key < $1.key }
        for (group, _) in dropped {
            counts[group] = nil
            keptTrials[group] = nil
            for l in sums.indices { sums[l][group] = nil }
        }
        return dropped.map { ($0.key, $0.value) }
    }

    /// Restores an accumulator from stored sums (see `ProfileFile`).
    init(
        layers: [ProfileLayer], tau: Int, outputStride: Int, trialsPerGroup: Int, sums: [[String: Sums]],
        counts: [String: Int], trials: [Trial]
    ) {
        self.layers = layers
        self.tau = tau
        self.outputStride = outputStride
        self.trialsPerGroup = trialsPerGroup
        self.sums = sums
        self.counts = counts
        for trial in trials { keep(trial) }
    }
}
