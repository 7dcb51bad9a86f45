import NeuralCore

/// A classifier's activations in one named layer, for batches of images: the network up to and
/// including that layer, run in batches so a whole data split fits in memory layer by layer.
public struct LayerActivations {
    public let layer: String
    /// The layers from the input up to and including `layer`.
    public let prefix: Sequential

    public init(_ network: Sequential, layer: String) throws {
        guard let position = network.layers.firstIndex(where: { $0.name == layer }) else {
            throw ExplainerError.unknownLayer(name: layer, valid: network.layers.map(\.name))
        }
        self.layer = layer
        prefix = try Sequential(Array(network.layers[...position]))
    }

    /// The layer's output for `images` [n, height, width, channels], `batchSize` images a pass,
    /// concatenated along the first axis.
    public func callAsFunction(_ images: Tensor, batchSize: Int = 256) throws -> Tensor {
        let n = images.shape[0]
        let size = n == 0 ? 0 : images.count / n
        var values: [Float] = []
        var shape: [Int] = []
        for start in stride(from: 0, to: n, by: batchSize) {
            let end = min(n, start + batchSize)
            let batch = Tensor(
                shape: [end - start] + images.shape.dropFirst(),
                values: Array(images.values[(start * size)..<(end * size)]))
            let output = try prefix.forward(batch)
            shape = Array(output.shape.dropFirst())
            values += output.values
        }
        return Tensor(shape: [n] + shape, values: values)
    }
}
