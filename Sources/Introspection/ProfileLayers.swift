import Foundation
import NeuralCore
import Recognizer

/// A layer whose activations a profile records: the input features ("layer 0") or the output
/// of one convolution block (after its activation function, when it has one).
///
/// Concretely: frame t of the layer sits at `frameOffset + t * framePeriod` seconds, the centre of
/// its receptive field in the audio (input frame k at k hop / rate, the centred STFT's
/// convention), so events given in seconds map to frames with `frame(at:)`.
public struct ProfileLayer: Sendable, Codable, Equatable {
    /// 0 for the input features, k for the k-th convolution of the network.
    public var index: Int
    /// "input", or the convolution's name ("conv3").
    public var name: String
    /// The network layer whose output is recorded (the ReLU after the convolution, or the
    /// convolution itself); nil for the input.
    public var source: String?
    public var channels: Int
    /// Seconds between frames (8 ms for the input of the speechless front end, 16 ms after the
    /// stride-2 first layer).
    public var framePeriod: Double
    /// Seconds at frame 0.
    public var frameOffset: Double
    /// Input frames per frame of this layer (the product of the strides up to it).
    public var stride: Int

    /// The frame nearest to `seconds` (it may lie outside the layer's frames near the edges).
    public func frame(at seconds: Double) -> Int { Int(((seconds - frameOffset) / framePeriod).rounded()) }

    /// The time of frame `t` in seconds.
    public func time(ofFrame t: Int) -> Double { frameOffset + Double(t) * framePeriod }
}

extension Recognizer {
    /// Every layer a profile can record: the input features (index 0) and each convolution
    /// block (1...K, the last one being the output logits). Nil without a front end.
    public var profileLayers: [ProfileLayer]? {
        guard let featureConfiguration else { return nil }
        let hopSeconds = Double(featureConfiguration.stft.hopLength) / Double(featureConfiguration.sampleRate)
        var layers = [
            ProfileLayer(
                index: 0, name: "input", source: nil, channels: config.numFeatures, framePeriod: hopSeconds,
                frameOffset: 0, stride: 1)
        ]
        let network = network.layers
        var convolutions: [Conv1d] = []
        for (position, layer) in network.enumerated() {
            guard let conv = layer as? Conv1d else { continue }
            convolutions.append(conv)
            // The recorded output: the activation layer right after the convolution, if any.
            var source = conv.name
            if position + 1 < network.count, network[position + 1] is ReLU { source = network[position + 1].name }
            let stride = convolutions.reduce(1) { $0 * $1.stride }
            // Input position of this layer's frame t: each convolution maps x to
            // stride x - padLeft + dilation (k - 1) / 2, applied from this layer down.
            func inputPosition(_ t: Double) -> Double {
                var x = t
                for c in convolutions.reversed() {
                    x = Double(c.stride) * x - Double(c.padding) + Double(c.dilation * (c.kernelSize - 1)) / 2
                }
                return x
            }
            layers.append(
                ProfileLayer(
                    index: convolutions.count, name: conv.name, source: source, channels: conv.outChannels,
                    framePeriod: hopSeconds * Double(stride), frameOffset: inputPosition(0) * hopSeconds,
                    stride: stride))
        }
        return layers
    }
}

/// Which layers to record, from the command line: indices and ranges ("0,3,8-10") or names
/// ("input,conv3"); "all" for every layer.
public enum LayerSelection {
    public static func parse(_ text: String, layers: [ProfileLayer]) throws -> [ProfileLayer] {
        let valid =
            "all, or indices 0-\(layers.count - 1) and ranges such as 0,3,8-10, or names (\(layers.map(\.name).joined(separator: ", ")))"
        if text == "all" { return layers }
        var chosen: Set<Int> = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if let layer = layers.first(where: { $0.name == part }) {
                chosen.insert(layer.index)
                continue
            }
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard (1...2).contains(bounds.count), let low = bounds.first ?? nil, let high = bounds.last ?? nil,
                low <= high, low >= 0, high < layers.count
            else {
                throw ProfileError.unknownLayer(value: part, valid: valid)
            }
            chosen.formUnion(low...high)
        }
        guard !chosen.isEmpty else { throw ProfileError.unknownLayer(value: text, valid: valid) }
        return layers.filter { chosen.contains($0.index) }
    }
}
