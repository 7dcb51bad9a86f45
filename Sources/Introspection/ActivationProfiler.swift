import AudioFeatures
import Foundation
import NeuralCore
import Recognizer

/// Epochs every recorded layer around every event of an utterance and adds them to one
/// `ProfileAccumulator`: NAPs [NAP18], GradNAPs [GRADNAP20] and SNAPs [SNAP21] by `options.kind`.
///
/// Concretely, for event e at time t_e (seconds) and layer l with frames A_l [T_l x C_l]:
/// the event frame is the frame of l nearest t_e; the epoch is A_l[t - h ..< t + h + 1] with
/// h = tau (times 2 for the input layer, which runs at twice the output rate), frames outside the
/// utterance read as 0 (zero padding, SCIENCE.md). GradNAP replaces A by A G, A |G| or A masked
/// at |G| >= the event's quantile, where G = dY_e/dA_l and Y_e is the probability (or logit) of
/// the event's label at the event's output frame; SNAP centres the epoch at the frame of l that
/// maximises the saliency mean_c |G[t, c]| (or sum_c |G[t, c]| A[t, c]) - the first such frame,
/// or the event frame when the gradient is zero throughout.
///
/// Gradients, batched: Y_e depends only on the inputs inside the receptive field of its output
/// frame, so each event's backward pass runs on that crop of the input (194 frames for the
/// speechless stack, aligned to the first layer's stride), and `gradientBatch` crops of equal
/// length go through one forward and one backward pass together. Inside the cone of the
/// receptive field every activation, and so every gradient, equals the whole utterance's;
/// outside it the gradient is 0 in both (tested against whole-utterance backward passes).
public final class ActivationProfiler {
    public let recognizer: Recognizer
    /// The recorded layers, in order.
    public let layers: [ProfileLayer]
    public let options: ProfileOptions
    public private(set) var accumulator: ProfileAccumulator
    /// Every layer of the model (the last is the output whose gradient is taken).
    let allLayers: [ProfileLayer]
    let outputStride: Int
    private let store = ActivationStore()

    /// What one utterance contributed.
    public struct UtteranceReport: Sendable, Equatable {
        public var events: Int
        /// Events whose time lies outside the audio (skipped).
        public var outside: Int
    }

    public init(recognizer: Recognizer, layers: [ProfileLayer], options: ProfileOptions) throws {
        try options.validate()
        guard let all = recognizer.profileLayers, let output = all.last else {
            throw ProfileError.invalidOption(
                name: "--model", value: recognizer.config.architecture,
                valid: "a model with a feature preset (its config names the front end)")
        }
        self.recognizer = recognizer
        self.layers = layers
        self.options = options
        self.allLayers = all
        self.outputStride = output.stride
        accumulator = ProfileAccumulator(layers: layers, tau: options.tau, trialsPerGroup: options.trialsPerGroup)
        recognizer.setTraining(false)
        let store = store
        for layer in all.dropFirst() {
            guard let source = layer.source else { continue }
            try recognizer.network.addForwardHook(layer: source) { name, tensor in
                if store.capturingForward { store.activations[name] = tensor }
            }
            try recognizer.network.addBackwardHook(layer: source) { name, tensor in store.gradients[name] = tensor }
        }
    }

    deinit { recognizer.network.removeHooks() }

    public func halfWindow(_ l: Int) -> Int { accumulator.halfWindow(l) }

    /// Profiles one utterance: `index` is its position in the corpus (sorted by id), which
    /// orders kept trials. Throws `ProfileError.nonFiniteActivation` (nothing is added then).
    @discardableResult
    public func add(
        utterance id: String, index: Int, features: FeatureMatrix, events: [ProfileEvent], duration: Double
    ) throws -> UtteranceReport {
        let activations = try forward(id: id, features: features)
        var report = UtteranceReport(events: 0, outside: 0)
        var inside: [(index: Int, event: ProfileEvent)] = []
        for (i, event) in events.enumerated() {
            if event.time < 0 || event.time > duration {
                report.outside += 1
            } else {
                inside.append((i, event))
            }
        }
        let gradients: [[Crop]]
        if options.kind == .nap {
            gradients = []
        } else {
            gradients = try self.gradients(
                features: features, logits: activations.last ?? [], events: inside.map(\.event))
        }
        for (n, (eventIndex, event)) in inside.enumerated() {
            var epochs: [[Float]] = []
            for (l, layer) in layers.enumerated() {
                let a = activations[l]
                let frames = a.count / layer.channels
                let centre = layer.frame(at: event.time)
                let half = halfWindow(l)
                switch options.kind {
                case .nap:
                    epochs.append(Self.window(a, frames: frames, channels: layer.channels, centre: centre, half: half))
                case .gradnap:
                    epochs.append(
                        adjusted(
                            a, gradient: gradients[n][l], frames: frames, channels: layer.channels, centre: centre,
                            half: half))
                case .snap:
                    let peak = saliencyPeak(a, gradient: gradients[n][l], channels: layer.channels, fallback: centre)
                    epochs.append(Self.window(a, frames: frames, channels: layer.channels, centre: peak, half: half))
                }
            }
            accumulator.add(
                epochs: epochs, group: event.group, utterance: index, event: eventIndex, duration: event.duration)
            report.events += 1
        }
        return report
    }

    /// Adds a profile made elsewhere (a shard) to this one.
    public func merge(_ other: ProfileAccumulator) { accumulator.merge(other) }

    public func removeGroups(below minimumCount: Int) -> [(group: String, count: Int)] {
        accumulator.removeGroups(below: minimumCount)
    }

    // MARK: - Forward

    /// Every recorded layer's activations [T_l x C_l] (and, last, the output logits), checked finite.
    func forward(id: String, features: FeatureMatrix) throws -> [[Float]] {
        guard features.binCount == recognizer.config.numFeatures else {
            throw RecognizerError.featureMismatch(
                source: id, got: features.binCount, expected: recognizer.config.numFeatures)
        }
        store.activations = [:]
        store.capturingForward = true
        defer { store.capturingForward = false }
        let input = Tensor(shape: [1, features.frameCount, features.binCount], values: features.values)
        let output = try recognizer.network.forward(input)
        var result: [[Float]] = []
        for layer in layers {
            let values: [Float]
            if let source = layer.source {
                values = store.activations[source]?.values ?? []
            } else {
                values = features.values
            }
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw ProfileError.nonFiniteActivation(
                    utterance: id, layer: layer.name, frame: bad / layer.channels, channel: bad % layer.channels)
            }
            result.append(values)
        }
        result.append(output.values)
        return result
    }

    /// The zero-padded window of `half` frames either side of `centre`, [2 half + 1 x channels].
    static func window(_ values: [Float], frames: Int, channels: Int, centre: Int, half: Int) -> [Float] {
        var epoch = [Float](repeating: 0, count: (2 * half + 1) * channels)
        let first = max(0, centre - half)
        let last = min(frames - 1, centre + half)
        guard first <= last else { return epoch }
        epoch.withUnsafeMutableBufferPointer { target in
            values.withUnsafeBufferPointer { source in
                for t in first...last {
                    let j = t - (centre - half)
                    for c in 0..<channels { target[j * channels + c] = source[t * channels + c] }
                }
            }
        }
        return epoch
    }

    // MARK: - Gradients

    /// One event's gradient in one layer: frames `start ..< start + length` of the layer (the
    /// crop), [length x channels]; zero elsewhere.
    struct Crop {
        var start: Int
        var length: Int
        var values: [Float]

        func value(frame t: Int, channel c: Int, channels: Int) -> Float {
            guard t >= start, t < start + length else { return 0 }
            return values[(t - start) * channels + c]
        }
    }

    /// The input frames output frame `t` depends on (clipped to the input), the start aligned
    /// to the network's total stride so the crop's frames fall on the utterance's frame grid.
    func receptiveCrop(outputFrame t: Int, inputFrames: Int) -> Range<Int> {
        var low = t
        var high = t
        for conv in recognizer.network.layers.compactMap({ $0 as? Conv1d }).reversed() {
            low = conv.stride * low - conv.padding
            high = conv.stride * high - conv.padding + conv.dilation * (conv.kernelSize - 1)
        }
        var start = max(0, low)
        start -= start % outputStride
        return start..<min(inputFrames, high + 1)
    }

    /// The label whose output an event's gradient follows, at output frame `t`.
    func label(of event: ProfileEvent, logits: [Float], frame t: Int) throws -> Int {
        let alphabet = recognizer.alphabet
        let count = alphabet.count
        if options.gradientLabel == .aligned {
            guard let letter = event.letter?.first, let index = alphabet.labels.firstIndex(of: letter) else {
                throw ProfileError.needsAlignments(
                    option: "--gradient-label aligned",
                    reason: "event \(event.group) at \(event.time) s has no letter of the model's alphabet")
            }
            return index
        }
        var best = -1
        for k in 0..<count where k != alphabet.blankIndex {
            if best < 0 || logits[t * count + k] > logits[t * count + best] { best = k }
        }
        return best
    }

    /// dY/dz at the output frame: e_k for the logit, p_k (e_k - p) for the probability.
    func seed(logits: [Float], frame t: Int, label k: Int) -> [Float] {
        let count = recognizer.alphabet.count
        var seed = [Float](repeating: 0, count: count)
        switch options.gradientOutput {
        case .logit:
            seed[k] = 1
        case .probability:
            let row = (0..<count).map { Double(logits[t * count + $0]) }
            let top = row.max() ?? 0
            let exps = row.map { Foundation.exp($0 - top) }
            let total = exps.reduce(0, +)
            let p = exps.map { $0 / total }
            for j in 0..<count { seed[j] = Float(p[k] * ((j == k ? 1 : 0) - p[j])) }
        }
        return seed
    }

    /// Per event, per recorded layer, the gradient of the event's output in the event's crop.
    func gradients(features: FeatureMatrix, logits: [Float], events: [ProfileEvent]) throws -> [[Crop]] {
        let count = recognizer.alphabet.count
        let outputFrames = logits.count / count
        guard let output = allLayers.last, outputFrames > 0 else { return events.map { _ in [] } }
        var plans: [(event: Int, crop: Range<Int>, frame: Int, seed: [Float])] = []
        for (e, event) in events.enumerated() {
            let t = min(max(output.frame(at: event.time), 0), outputFrames - 1)
            let k = try label(of: event, logits: logits, frame: t)
            plans.append((e, receptiveCrop(outputFrame: t, inputFrames: features.frameCount), t, seed(logits: logits, frame: t, label: k)))
        }
        var result = [[Crop]](repeating: [], count: events.count)
        // Crops of equal length share a batch.
        let byLength = Dictionary(grouping: plans.indices, by: { plans[$0].crop.count })
        for length in byLength.keys.sorted() {
            guard let members = byLength[length] else { continue }
            for batchStart in stride(from: 0, to: members.count, by: options.gradientBatch) {
                let batch = members[batchStart..<min(members.count, batchStart + options.gradientBatch)].map {
                    plans[$0]
                }
                let crops = try backward(
                    features: features, crops: batch.map { ($0.crop, $0.frame, $0.seed) }, length: length)
                for (b, plan) in batch.enumerated() { result[plan.event] = crops[b] }
            }
        }
        return result
    }

    /// One forward and backward pass over a batch of crops of `length` input frames.
    private func backward(features: FeatureMatrix, crops: [(range: Range<Int>, frame: Int, seed: [Float])], length: Int)
        throws -> [[Crop]]
    {
        let bins = features.binCount
        var input = [Float](repeating: 0, count: crops.count * length * bins)
        for (b, crop) in crops.enumerated() {
            for (j, t) in crop.range.enumerated() {
                for f in 0..<bins { input[(b * length + j) * bins + f] = features.values[t * bins + f] }
            }
        }
        store.gradients = [:]
        let output = try recognizer.network.forward(Tensor(shape: [crops.count, length, bins], values: input))
        let outputLength = output.shape[1]
        let count = recognizer.alphabet.count
        var seed = Tensor(zeros: output.shape)
        for (b, crop) in crops.enumerated() {
            let j = crop.frame - crop.range.lowerBound / outputStride
            precondition(j >= 0 && j < outputLength, "the event frame lies outside its crop")
            for k in 0..<count { seed.values[(b * outputLength + j) * count + k] = crop.seed[k] }
        }
        let inputGradient = recognizer.network.backward(seed)
        return crops.enumerated().map { b, crop in
            layers.map { layer in
                let tensor: Tensor
                if let source = layer.source {
                    tensor = store.gradients[source] ?? Tensor(zeros: [crops.count, 0, layer.channels])
                } else {
                    tensor = inputGradient
                }
                let frames = tensor.shape[1]
                let size = frames * layer.channels
                return Crop(
                    start: crop.range.lowerBound / layer.stride, length: frames,
                    values: Array(tensor.values[(b * size)..<((b + 1) * size)]))
            }
        }
    }

    /// GradNAP's epoch: A adjusted by G around `centre`.
    func adjusted(_ a: [Float], gradient: Crop, frames: Int, channels: Int, centre: Int, half: Int) -> [Float] {
        var epoch = Self.window(a, frames: frames, channels: channels, centre: centre, half: half)
        let first = centre - half
        var g = [Float](repeating: 0, count: epoch.count)
        for j in 0..<(2 * half + 1) {
            for c in 0..<channels {
                g[j * channels + c] = gradient.value(frame: first + j, channel: c, channels: channels)
            }
        }
        switch options.adjustment {
        case .product:
            for i in epoch.indices { epoch[i] *= g[i] }
        case .absolute:
            for i in epoch.indices { epoch[i] *= abs(g[i]) }
        case .mask:
            let threshold = Self.quantile(g.map(abs), options.maskQuantile)
            for i in epoch.indices where !(abs(g[i]) >= threshold && g[i] != 0) { epoch[i] = 0 }
        }
        return epoch
    }

    /// The q-quantile of `values` (the value at rank floor(q (n - 1)) in ascending order).
    static func quantile(_ values: [Float], _ q: Double) -> Float {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[Int((q * Double(sorted.count - 1)).rounded(.down))]
    }

    /// SNAP's centre: the frame of the crop with the largest saliency (the first such; `fallback`
    /// when the gradient is zero everywhere).
    func saliencyPeak(_ a: [Float], gradient: Crop, channels: Int, fallback: Int) -> Int {
        var best = fallback
        var bestValue = 0.0
        for j in 0..<gradient.length {
            let t = gradient.start + j
            var value = 0.0
            for c in 0..<channels {
                let g = Double(abs(gradient.values[j * channels + c]))
                switch options.saliencyPeak {
                case .gradient: value += g
                case .gradientTimesActivation: value += g * Double(a[t * channels + c])
                }
            }
            if options.saliencyPeak == .gradient { value /= Double(channels) }
            if value > bestValue {
                bestValue = value
                best = t
            }
        }
        return best
    }
}

/// What the hooks saw on the last pass, by network layer name.
private final class ActivationStore: @unchecked Sendable {
    var activations: [String: Tensor] = [:]
    var gradients: [String: Tensor] = [:]
    var capturingForward = false
}
