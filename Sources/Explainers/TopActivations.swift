import NeuralCore

/// Maximally activating examples and patches (Zeiler & Fergus 2014; Yosinski et al. 2015): for
/// one unit (a channel of a layer), the images of a set that excite it most and, in each, the
/// patch of pixels its strongest cell sees.
///
/// Concretely: image n's score for channel c of a map layer is max over cells (i, j) of the
/// activation a[n, i, j, c] (the first largest cell in row-major order); for a vector layer
/// (flatten, fc) it is a[n, c] and the patch is the whole image. Images are ranked by score,
/// highest first, ties by the lower image index, so the ranking is deterministic.
public struct TopActivations {
    public struct Example: Equatable, Sendable {
        /// The image's index in the candidate list given to `find`.
        public var image: Int
        public var value: Float
        /// The strongest cell of the unit's map (0, 0 for a vector layer).
        public var row: Int
        public var column: Int
        /// The input pixels that cell sees.
        public var patch: ReceptiveField
    }

    /// One unit's best images, and whether it is the same on every image (a dead ReLU unit is
    /// 0 everywhere, so its "top" images are merely the first ones).
    public struct Ranking: Equatable, Sendable {
        public var examples: [Example]
        /// The lowest score of any image.
        public var lowest: Float
        public var isConstant: Bool { examples.first.map { $0.value == lowest } ?? true }
    }

    public let activations: LayerActivations

    public init(_ network: Sequential, layer: String) throws {
        activations = try LayerActivations(network, layer: layer)
    }

    /// The number of units (channels) of the layer for images of `shape` [1, height, width, channels].
    public func unitCount(shape: [Int]) throws -> Int {
        let probe = try activations.prefix.forward(Tensor(zeros: shape))
        return probe.shape[probe.rank - 1]
    }

    /// The `count` images of `images` [n, height, width, channels] that drive each of `units` hardest,
    /// per unit in rank order.
    public func find(_ images: Tensor, units: [Int], count: Int) throws -> [Ranking] {
        guard count >= 1 else {
            throw ExplainerError.invalidOption(name: "--top", value: String(count), valid: "1 or more")
        }
        let (n, height, width) = (images.shape[0], images.shape[1], images.shape[2])
        let output = try activations(images)
        let channels = output.shape[output.rank - 1]
        let cells = n == 0 ? 0 : output.count / (n * channels)
        let mapWidth = output.rank == 4 ? output.shape[2] : 1
        for unit in units where unit < 0 || unit >= channels {
            throw ExplainerError.invalidOption(
                name: "--units", value: String(unit), valid: "channels 0 to \(channels - 1) of \(activations.layer)")
        }
        let layers = activations.prefix.layers
        return units.map { unit in
            var best: [(image: Int, value: Float, cell: Int)] = []
            for image in 0..<n {
                var cell = 0
                var value = -Float.infinity
                for k in 0..<cells {
                    let a = output.values[(image * cells + k) * channels + unit]
                    if a > value {
                        value = a
                        cell = k
                    }
                }
                best.append((image, value, cell))
            }
            best.sort { $0.value != $1.value ? $0.value > $1.value : $0.image < $1.image }
            let examples = best.prefix(count).map { entry in
                let (row, column) = (entry.cell / mapWidth, entry.cell % mapWidth)
                let patch: ReceptiveField =
                    output.rank == 4
                    ? .of(row: row, column: column, through: layers, height: height, width: width)
                    : ReceptiveField(rows: 0...(height - 1), columns: 0...(width - 1))
                return Example(image: entry.image, value: entry.value, row: row, column: column, patch: patch)
            }
            return Ranking(examples: examples, lowest: best.last?.value ?? 0)
        }
    }
}
