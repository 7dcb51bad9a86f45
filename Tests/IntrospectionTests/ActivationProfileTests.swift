import AudioFeatures
import Foundation
import NeuralCore
import Phonetics
import Recognizer
import SeededRandom
import Testing

@testable import Introspection

/// NAPs, GradNAPs and SNAPs on a tiny model whose every number a brute-force loop can redo.
struct ActivationProfileTests {
    /// A three-convolution model on the speechless front end (128 features, 8 ms frames, the
    /// first layer striding 2): 128 -> 4 (k 6) -> 3 (k 3) -> 29 labels (k 1).
    static func tinyModel(seed: UInt64 = 3) throws -> Recognizer {
        let alphabet = Alphabet.standard(for: .en)
        let config = RecognizerConfig(
            architecture: "tiny", language: "en", features: "speechless", numFeatures: 128, alphabet: alphabet,
            finalActivation: "softmax",
            layers: [
                .conv1d("conv1", 128, 4, kernel: 6, stride: 2, padding: [2, 3]), .relu("relu1"),
                .conv1d("conv2", 4, 3, kernel: 3, padding: [1, 1]), .relu("relu2"),
                .conv1d("conv3", 3, alphabet.count, kernel: 1, padding: [0, 0]),
            ])
        return try Recognizer(config: config, seed: seed)
    }

    /// Seeded standard-normal-ish features (uniform in -2...2).
    static func features(frames: Int, seed: UInt64) -> FeatureMatrix {
        var generator = SeededGenerator(seed: seed)
        let values = (0..<(frames * 128)).map { _ in 4 * generator.unitFloat() - 2 }
        return FeatureMatrix(frameCount: frames, binCount: 128, values: values)
    }

    static let events = [
        ProfileEvent(group: "a", time: 0.0, duration: 0.05, letter: "a"),
        ProfileEvent(group: "b", time: 0.07, duration: 0.02, letter: "b"),
        ProfileEvent(group: "a", time: 0.15, duration: 0.04, letter: "a"),
        ProfileEvent(group: "b", time: 0.31, duration: 0.03, letter: "b"),
    ]

    static func options(_ kind: ProfileOptions.Kind, tau: Int = 2) -> ProfileOptions {
        var options = ProfileOptions()
        options.kind = kind
        options.tau = tau
        options.gradientBatch = 3
        return options
    }

    /// Every layer's activations by running the layers one by one, no hooks.
    static func bruteActivations(_ model: Recognizer, _ features: FeatureMatrix) throws -> [[Float]] {
        var x = Tensor(shape: [1, features.frameCount, 128], values: features.values)
        var result = [features.values]
        let layers = model.network.layers
        for (i, layer) in layers.enumerated() {
            x = try layer.forward(x)
            if layer is ReLU || (i == layers.count - 1) { result.append(x.values) }
        }
        return result
    }

    @Test func layersHaveFrameTimesOfTheirReceptiveFieldCentres() throws {
        let layers = try #require(try Self.tinyModel().profileLayers)
        #expect(layers.map(\.name) == ["input", "conv1", "conv2", "conv3"])
        #expect(layers.map(\.source) == [nil, "relu1", "relu2", "conv3"])
        #expect(layers[0].framePeriod == 0.008 && layers[1].framePeriod == 0.016)
        // conv1 frame 0 covers input frames -2...3: centre 0.5 input frames = 4 ms.
        #expect(abs(layers[1].frameOffset - 0.004) < 1e-12)
        #expect(abs(layers[3].frameOffset - 0.004) < 1e-12)
        #expect(layers[1].frame(at: 0.07) == 4)
        #expect(layers[0].frame(at: 0.07) == 9)
    }

    @Test func napEqualsABruteForceAverage() throws {
        let model = try Self.tinyModel()
        let all = try #require(model.profileLayers)
        let profiler = try ActivationProfiler(recognizer: model, layers: all, options: Self.options(.nap))
        let utterances = [Self.features(frames: 40, seed: 1), Self.features(frames: 27, seed: 2)]
        for (i, features) in utterances.enumerated() {
            try profiler.add(
                utterance: "u\(i)", index: i, features: features, events: Self.events,
                duration: Double(features.frameCount) * 0.008)
        }
        let file = ProfileFile(info: Self.info(all, .nap), accumulator: profiler.accumulator)
        for (l, layer) in all.enumerated() {
            let half = l == 0 ? 4 : 2
            for group in ["a", "b"] {
                var sum = [Double](repeating: 0, count: (2 * half + 1) * layer.channels)
                var count = 0
                for (i, features) in utterances.enumerated() {
                    let a = try Self.bruteActivations(model, features)[l]
                    let frames = a.count / layer.channels
                    let duration = Double(features.frameCount) * 0.008
                    for event in Self.events where event.group == group && event.time <= duration {
                        _ = i
                        count += 1
                        let centre = Int(((event.time - layer.frameOffset) / layer.framePeriod).rounded())
                        for j in 0..<(2 * half + 1) {
                            let t = centre - half + j
                            guard t >= 0, t < frames else { continue }  // zero padding
                            for c in 0..<layer.channels {
                                sum[j * layer.channels + c] += Double(a[t * layer.channels + c])
                            }
                        }
                    }
                }
                let mean = file.mean(l, group: group)
                #expect(file.count(group) == count)
                #expect(mean.count == sum.count)
                for (m, s) in zip(mean, sum) { #expect(abs(m - s / Double(count)) < 1e-12 * max(1, abs(m))) }
            }
        }
    }

    @Test func theInputLayerGetsTwiceTheFramesWhicheverLayersAreRecorded() throws {
        let model = try Self.tinyModel()
        let all = try #require(model.profileLayers)
        for chosen in [all, [all[0]], [all[0], all[3]]] {
            let profiler = try ActivationProfiler(recognizer: model, layers: chosen, options: Self.options(.nap))
            #expect(profiler.halfWindow(0) == 4, "layers \(chosen.map(\.name))")
        }
    }

    @Test func eventsNearTheEdgesAreZeroPadded() throws {
        let model = try Self.tinyModel()
        let all = try #require(model.profileLayers)
        let profiler = try ActivationProfiler(recognizer: model, layers: all, options: Self.options(.nap))
        let features = Self.features(frames: 40, seed: 4)
        try profiler.add(
            utterance: "u", index: 0, features: features, events: [ProfileEvent(group: "a", time: 0, duration: 0.1)],
            duration: 0.32)
        let file = ProfileFile(info: Self.info(all, .nap), accumulator: profiler.accumulator)
        // Input layer: frame 0 is the event frame; the 4 frames before it are padding.
        let input = file.mean(0, group: "a")
        #expect(input.prefix(4 * 128).allSatisfy { $0 == 0 })
        #expect(input[(4 * 128)..<(5 * 128)].map { Float($0) } == Array(features.values[0..<128]))
    }

    @Test func eventsOutsideTheAudioAreCountedAndLeftOut() throws {
        let model = try Self.tinyModel()
        let profiler = try ActivationProfiler(
            recognizer: model, layers: try #require(model.profileLayers), options: Self.options(.nap))
        let report = try profiler.add(
            utterance: "u", index: 0, features: Self.features(frames: 40, seed: 4),
            events: [
                ProfileEvent(group: "a", time: -0.1, duration: 0), ProfileEvent(group: "a", time: 5, duration: 0),
                ProfileEvent(group: "a", time: 0.1, duration: 0),
            ],
            duration: 0.32)
        #expect(report == ActivationProfiler.UtteranceReport(events: 1, outside: 2))
    }

    @Test func nonFiniteActivationsNameTheUtteranceAndLayer() throws {
        let model = try Self.tinyModel()
        let profiler = try ActivationProfiler(
            recognizer: model, layers: try #require(model.profileLayers), options: Self.options(.nap))
        var features = Self.features(frames: 40, seed: 5)
        features.values[3 * 128 + 7] = .nan
        #expect(throws: ProfileError.nonFiniteActivation(utterance: "bad-utt", layer: "input", frame: 3, channel: 7)) {
            try profiler.add(utterance: "bad-utt", index: 0, features: features, events: Self.events, duration: 0.32)
        }
        #expect(profiler.accumulator.groups.isEmpty)
    }

    static func info(_ layers: [ProfileLayer], _ kind: ProfileOptions.Kind) -> ProfileInfo {
        ProfileInfo(
            model: "tiny", modelFingerprint: "m", corpus: "c", corpusFingerprint: "c", split: "all",
            options: options(kind), layers: layers, outputStride: 2, shard: nil, utterances: 0)
    }

    @Test(arguments: ProfileOptions.Kind.allCases)
    func shardsMergeBitForBitIntoTheUnshardedProfile(kind: ProfileOptions.Kind) throws {
        let model = try Self.tinyModel()
        let all = try #require(model.profileLayers)
        let utterances = (0..<5).map { Self.features(frames: 30 + 7 * $0, seed: UInt64(10 + $0)) }
        func profile(_ indices: [Int]) throws -> ProfileAccumulator {
            var options = Self.options(kind)
            options.trialsPerGroup = 3
            let profiler = try ActivationProfiler(recognizer: model, layers: all, options: options)
            for i in indices {
                try profiler.add(
                    utterance: "u\(i)", index: i, features: utterances[i], events: Self.events,
                    duration: Double(utterances[i].frameCount) * 0.008)
            }
            return profiler.accumulator
        }
        let whole = try profile([0, 1, 2, 3, 4])
        var merged = try profile([1, 3])
        merged.merge(try profile([4, 0, 2]))
        let a = try ProfileFile(info: Self.info(all, kind), accumulator: whole).encoded()
        let b = try ProfileFile(info: Self.info(all, kind), accumulator: merged).encoded()
        #expect(a.float64Tensors == b.float64Tensors)
        #expect(a.tensors == b.tensors)
        #expect(!a.float64Tensors.isEmpty)
        // And through a file: written, read back, written again - the same bytes.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("naps-\(kind)-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try ProfileFile(info: Self.info(all, kind), accumulator: merged).write(to: url)
        let read = try ProfileFile(contentsOf: url)
        #expect(try read.encoded().encoded() == a.encoded())
        #expect(read.accumulator.trials == whole.trials)
    }

    /// The gradient of output frame t's label probability with respect to every layer, from one
    /// backward pass over the whole utterance.
    static func wholeUtteranceGradients(
        _ model: Recognizer, _ features: FeatureMatrix, frame t: Int, label k: Int, logit: Bool
    ) throws -> [[Float]] {
        let network = model.network
        var captured: [String: Tensor] = [:]
        for name in ["relu1", "relu2", "conv3"] {
            try network.addBackwardHook(layer: name) { name, tensor in captured[name] = tensor }
        }
        defer { network.removeHooks() }
        let output = try network.forward(Tensor(shape: [1, features.frameCount, 128], values: features.values))
        let count = 29
        var seed = Tensor(zeros: output.shape)
        let z = (0..<count).map { Double(output.values[t * count + $0]) }
        let top = z.max() ?? 0
        let p = z.map { exp($0 - top) }.map { $0 / z.map { exp($0 - top) }.reduce(0, +) }
        for j in 0..<count {
            seed.values[t * count + j] = logit ? (j == k ? 1 : 0) : Float(p[k] * ((j == k ? 1 : 0) - p[j]))
        }
        let input = network.backward(seed)
        return [input.values] + ["relu1", "relu2", "conv3"].map { captured[$0]?.values ?? [] }
    }

    @Test(arguments: [ProfileOptions.GradientOutput.probability, .logit])
    func coneGradientsEqualWholeUtteranceGradients(output: ProfileOptions.GradientOutput) throws {
        let model = try Self.tinyModel()
        let all = try #require(model.profileLayers)
        var options = Self.options(.gradnap)
        options.gradientOutput = output
        let profiler = try ActivationProfiler(recognizer: model, layers: all, options: options)
        let features = Self.features(frames: 60, seed: 7)
        let activations = try profiler.forward(id: "u", features: features)
        let logits = activations[all.count]
        let crops = try profiler.gradients(features: features, logits: logits, events: Self.events)
        for (e, event) in Self.events.enumerated() {
            let t = min(max(all[3].frame(at: event.time), 0), 29)
            let k = try profiler.label(of: event, logits: logits, frame: t)
            let whole = try Self.wholeUtteranceGradients(model, features, frame: t, label: k, logit: output == .logit)
            for (l, layer) in all.enumerated() {
                let frames = whole[l].count / layer.channels
                var largest: Float = 0
                for x in whole[l] { largest = max(largest, abs(x)) }
                #expect(largest > 0)
                for f in 0..<frames {
                    for c in 0..<layer.channels {
                        let expected = whole[l][f * layer.channels + c]
                        let got = crops[e][l].value(frame: f, channel: c, channels: layer.channels)
                        #expect(abs(got - expected) <= 1e-5 * largest, "event \(e) layer \(layer.name) frame \(f)")
                    }
                }
            }
        }
    }

    @Test func inputGradientAgreesWithFiniteDifferences() throws {
        let model = try Self.tinyModel()
        let all = try #require(model.profileLayers)
        let profiler = try ActivationProfiler(recognizer: model, layers: all, options: Self.options(.gradnap))
        var features = Self.features(frames: 40, seed: 8)
        let event = ProfileEvent(group: "a", time: 0.15, duration: 0.04)
        let logits = try profiler.forward(id: "u", features: features)[all.count]
        let crops = try profiler.gradients(features: features, logits: logits, events: [event])
        let t = all[3].frame(at: event.time)
        let k = try profiler.label(of: event, logits: logits, frame: t)
        func probability(_ features: FeatureMatrix) throws -> Double {
            let z = try profiler.forward(id: "u", features: features)[all.count]
            let row = (0..<29).map { Double(z[t * 29 + $0]) }
            let top = row.max() ?? 0
            return exp(row[k] - top) / row.map { exp($0 - top) }.reduce(0, +)
        }
        let h: Float = 1e-2
        var checked = 0
        for (frame, bin) in [(12, 5), (15, 40), (18, 100), (20, 3), (16, 77)] {
            let index = frame * 128 + bin
            let original = features.values[index]
            features.values[index] = original + h
            let up = try probability(features)
            features.values[index] = original - h
            let down = try probability(features)
            features.values[index] = original
            let numeric = (up - down) / (2 * Double(h))
            let analytic = Double(crops[0][0].value(frame: frame, channel: bin, channels: 128))
            #expect(abs(numeric - analytic) <= 1e-3 * max(1e-3, abs(numeric)) + 1e-6, "frame \(frame) bin \(bin)")
            checked += analytic != 0 ? 1 : 0
        }
        #expect(checked >= 3)
    }

    @Test func gradNAPMultipliesActivationsByGradientsAndSNAPCentresAtThePeak() throws {
        let model = try Self.tinyModel()
        let all = try #require(model.profileLayers)
        let features = Self.features(frames: 50, seed: 9)
        let event = ProfileEvent(group: "a", time: 0.2, duration: 0.04)
        let activations = try Self.bruteActivations(model, features)
        let t = all[3].frame(at: event.time)
        let probe = try ActivationProfiler(recognizer: model, layers: all, options: Self.options(.gradnap))
        let logits = try probe.forward(id: "u", features: features)[all.count]
        let k = try probe.label(of: event, logits: logits, frame: t)
        let whole = try Self.wholeUtteranceGradients(model, features, frame: t, label: k, logit: false)
        for adjustment in ProfileOptions.Adjustment.allCases {
            var options = Self.options(.gradnap)
            options.adjustment = adjustment
            let profiler = try ActivationProfiler(recognizer: model, layers: all, options: options)
            try profiler.add(utterance: "u", index: 0, features: features, events: [event], duration: 0.4)
            let file = ProfileFile(info: Self.info(all, .gradnap), accumulator: profiler.accumulator)
            let l = 1
            let channels = all[l].channels
            let centre = all[l].frame(at: event.time)
            let epoch = file.mean(l, group: "a")
            var g: [Float] = []
            for j in 0..<5 { for c in 0..<channels { g.append(whole[l][(centre - 2 + j) * channels + c]) } }
            let threshold = ActivationProfiler.quantile(g.map(abs), 0.9)
            for j in 0..<5 {
                for c in 0..<channels {
                    let a = activations[l][(centre - 2 + j) * channels + c]
                    let gradient = g[j * channels + c]
                    let expected: Float
                    switch adjustment {
                    case .product: expected = a * gradient
                    case .absolute: expected = a * abs(gradient)
                    case .mask: expected = abs(gradient) >= threshold && gradient != 0 ? a : 0
                    }
                    #expect(abs(Float(epoch[j * channels + c]) - expected) <= 1e-5 * max(1e-6, abs(expected)) + 1e-9)
                }
            }
        }
        // SNAP: the peak of mean |G| over channels in layer 2, from the whole-utterance gradient.
        let profiler = try ActivationProfiler(recognizer: model, layers: all, options: Self.options(.snap))
        try profiler.add(utterance: "u", index: 0, features: features, events: [event], duration: 0.4)
        let file = ProfileFile(info: Self.info(all, .snap), accumulator: profiler.accumulator)
        let channels = all[2].channels
        let frames = whole[2].count / channels
        let saliency = (0..<frames).map { f in
            (0..<channels).reduce(0.0) { $0 + Double(abs(whole[2][f * channels + $1])) }
        }
        let peak = try #require(saliency.indices.max { saliency[$0] < saliency[$1] })
        let expected = ActivationProfiler.window(
            activations[2], frames: frames, channels: channels, centre: peak, half: 2)
        #expect(file.mean(2, group: "a").map { Float($0) } == expected)
    }

    @Test func layerSelectionNamesTheValidLayers() throws {
        let layers = try #require(try Self.tinyModel().profileLayers)
        #expect(try LayerSelection.parse("0,2-3", layers: layers).map(\.name) == ["input", "conv2", "conv3"])
        #expect(try LayerSelection.parse("conv1", layers: layers).map(\.index) == [1])
        #expect(throws: ProfileError.self) { try LayerSelection.parse("7", layers: layers) }
        do {
            _ = try LayerSelection.parse("conv9", layers: layers)
        } catch {
            #expect("\(error)".contains("conv9") && "\(error)".contains("input, conv1, conv2, conv3"))
        }
    }

    @Test func mergingDifferentOptionsIsRefusedNamingTheDifference() throws {
        let layers = try #require(try Self.tinyModel().profileLayers)
        let a = Self.info(layers, .nap)
        var b = a
        b.options.tau = 5
        let conflict = try #require(a.mergeConflict(with: b))
        #expect(conflict.field == "options" && conflict.mine == "tau 2" && conflict.theirs == "tau 5")
        var c = a
        c.modelFingerprint = "other"
        #expect(a.mergeConflict(with: c)?.field == "models")
        var d = a
        d.options.gradientBatch = 99
        #expect(a.mergeConflict(with: d) == nil)
    }

    @Test func fixedPointSumsAreExactAndStoreExactly() throws {
        let values: [Double] = [1, -1, 0.1, 1e-9, 3.5e6, -2.25, Double(Float(0.3)), 1e-20]
        for v in values {
            let fixed = FixedPoint.value(v)
            let (value, residual) = try #require(FixedPoint.split(fixed))
            #expect(FixedPoint.joined(value: value, residual: residual) == fixed)
        }
        #expect(FixedPoint.value(1) == Int128(1) << 56)
        #expect(FixedPoint.value(-0.5) == -(Int128(1) << 55))
        // Float32 values are exact: 0.3f = 10066330 x 2^-25.
        #expect(FixedPoint.value(Double(Float(0.3))) == Int128(10_066_330) << 31)
        // Order does not matter.
        let xs = (0..<1000).map { Double(Float(sin(Double($0)) * pow(10, Double($0 % 7) - 3))) }
        let forward = xs.reduce(Int128(0)) { $0 + FixedPoint.value($1) }
        let backward = xs.reversed().reduce(Int128(0)) { $0 + FixedPoint.value($1) }
        #expect(forward == backward)
        #expect(abs(FixedPoint.double(forward) - xs.reduce(0, +)) < 1e-9)
    }
}
