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
/// Gradients, batched: one forward pass per utterance serves every event; each event's
/// gradient is back-propagated through the cone of its output frame's receptive field only
/// (1 frame at the top, 194 input frames at the bottom for the speechless stack), with the
/// ReLU masks of that forward pass and no parameter gradients, and `gradientBatch` events share
/// each layer's matrix product. Outside the cone the gradient is 0 exactly, so the result
/// equals a backward pass over the whole utterance (tested).
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
        accumulator = ProfileAccumulator(
            layers: layers, tau: options.tau, outputStride: output.stride, trialsPerGroup: options.trialsPerGroup)
        recognizer.setTraining(false)
        let store = store
        for layer in all.dropFirst() {
            guard let source = layer.source else { continue }
            try recognizer.network.addForwardHook(layer: source) { name, tensor in
                if store.capturingForward { store.activations[name] = tensor }
            }
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

    /// Every recorded layer's activations of one input, [T_l x C_l] each (checked finite).
    public func activations(id: String, features: FeatureMatrix) throws -> [[Float]] {
        Array(try forward(id: id, features: features).prefix(layers.count))
    }

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

    /// Per event, per recorded layer, the gradient of the event's output over the frames that
    /// can affect it (zero elsewhere).
    ///
    /// Back-propagation through the cone only: the gradient starts as one frame (the event's
    /// output frame) and each layer going down widens it to the frames its kernel reads; ReLUs
    /// mask it with the whole utterance's forward pass, so the result equals a backward pass
    /// over the whole utterance. Events share the products, `gradientBatch` at a time.
    func gradients(features: FeatureMatrix, logits: [Float], events: [ProfileEvent]) throws -> [[Crop]] {
        let count = recognizer.alphabet.count
        let outputFrames = logits.count / count
        guard let output = allLayers.last, outputFrames > 0 else { return events.map { _ in [] } }
        var frames: [Int] = []
        var seeds: [[Float]] = []
        for event in events {
            let t = min(max(output.frame(at: event.time), 0), outputFrames - 1)
            frames.append(t)
            seeds.append(seed(logits: logits, frame: t, label: try label(of: event, logits: logits, frame: t)))
        }
        var result: [[Crop]] = []
        for batchStart in stride(from: 0, to: events.count, by: options.gradientBatch) {
            let batch = batchStart..<min(events.count, batchStart + options.gradientBatch)
            result += coneBackward(
                frames: Array(frames[batch]), seeds: Array(seeds[batch]), inputFrames: features.frameCount)
        }
        return result
    }

    /// One batch of cone back-propagations; see `gradients`.
    private func coneBackward(frames: [Int], seeds: [[Float]], inputFrames: Int) -> [[Crop]] {
        let windows = frames.count
        var gradient = seeds.flatMap { $0 }
        var starts = frames
        var length = 1
        var channels = recognizer.alphabet.count
        var recorded: [String: [Crop]] = [:]
        /// The batch's gradient as crops clipped to the layer's `total` frames.
        func crops(total: Int) -> [Crop] {
            (0..<windows).map { w in
                let first = max(0, starts[w])
                let last = min(total, starts[w] + length)
                var values: [Float] = []
                if first < last {
                    let offset = (w * length + first - starts[w]) * channels
                    values = Array(gradient[offset..<(offset + (last - first) * channels)])
                }
                return Crop(start: first, length: max(0, last - first), values: values)
            }
        }
        let sources = Dictionary(uniqueKeysWithValues: layers.compactMap { layer in layer.source.map { ($0, layer) } })
        for layer in recognizer.network.layers.reversed() {
            if let profile = sources[layer.name] {
                let total = (store.activations[layer.name]?.count ?? 0) / profile.channels
                recorded[layer.name] = crops(total: total)
            }
            if layer is ReLU {
                // Pass where the forward output was positive; frames outside the layer are padding.
                let output = store.activations[layer.name]?.values ?? []
                let total = output.count / channels
                for w in 0..<windows {
                    for j in 0..<length {
                        let t = starts[w] + j
                        let base = (w * length + j) * channels
                        if t < 0 || t >= total {
                            for c in 0..<channels { gradient[base + c] = 0 }
                        } else {
                            for c in 0..<channels where !(output[t * channels + c] > 0) { gradient[base + c] = 0 }
                        }
                    }
                }
            } else if let conv = layer as? Conv1d {
                gradient = conv.inputGradient(windows: windows, outputFrames: length, outputGradient: gradient)
                starts = starts.map { $0 * conv.stride - conv.padding }
                length = (length - 1) * conv.stride + conv.dilation * (conv.kernelSize - 1) + 1
                channels = conv.inChannels
            }
        }
        let input = crops(total: inputFrames)
        return (0..<windows).map { w in
            layers.map { layer in layer.source.flatMap { recorded[$0]?[w] } ?? input[w] }
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
    var capturingForward = false
}
