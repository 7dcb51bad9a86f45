import NeuralCore

/// Maps over a convolution layer's grid: CAM, Grad-CAM and guided Grad-CAM, and their
/// upsampling to the input's size.
extension ImageExplainer {
    /// The layers a class activation map can be taken at: those with image-shaped outputs.
    public func mapLayers(for input: Tensor) throws -> [String] {
        var x = input
        var names: [String] = []
        for layer in network.layers {
            x = try layer.forward(x)
            if Self.isMap(x, of: layer) { names.append(layer.name) }
        }
        return names
    }

    /// Whether `output` of `layer` is a grid a map can be taken over: images [batch, h, w,
    /// channels] and sequences [batch, time, channels] (as h x 1) with more than one cell.
    static func isMap(_ output: Tensor, of layer: Layer) -> Bool {
        let grid = output.rank == 4 ? output.shape[1] * output.shape[2] : output.rank == 3 ? output.shape[1] : 1
        return grid > 1 && !(layer is SpectrogramInput)
    }

    /// The error for a layer that is missing or not a grid; the valid names take one forward
    /// pass, so they are computed only when there is an error to report.
    func unknownLayer(_ name: String, input: Tensor) -> Error {
        ExplainerError.unknownLayer(name: name, valid: (try? mapLayers(for: input)) ?? network.layers.map(\.name))
    }

    /// Grad-CAM: each channel k of `layer`'s output A weighted by the mean over the grid of
    /// d logit_target / d A_k, summed over channels: [batch, h, w, 1]; with `relu` (the
    /// paper's choice) negative evidence is cut. A sequence layer [batch, time, channels]
    /// gives a map over time, [batch, time, 1, 1].
    public func gradCAM(_ input: Tensor, targets: [Int], layer: String, relu: Bool = true) throws -> Tensor {
        guard let chosen = network.layer(named: layer) else { throw unknownLayer(layer, input: input) }
        try check(targets, batch: input.shape[0])
        let pass = try ModifiedBackward(network: network, composite: .gradient).run(input, stopAt: layer) { output in
            oneHot(output, targets)
        }
        guard let activation = pass.activations[layer], let gradient = pass.signals[layer],
            Self.isMap(activation, of: chosen)
        else { throw unknownLayer(layer, input: input) }
        let (batch, height) = (activation.shape[0], activation.shape[1])
        let width = activation.rank == 4 ? activation.shape[2] : 1
        let channels = activation.shape[activation.rank - 1]
        var map = Tensor(zeros: [batch, height, width, 1])
        for b in 0..<batch {
            var weights = [Float](repeating: 0, count: channels)
            for p in 0..<(height * width) {
                for k in 0..<channels { weights[k] += gradient.values[(b * height * width + p) * channels + k] }
            }
            for k in 0..<channels { weights[k] /= Float(height * width) }
            for p in 0..<(height * width) {
                var sum: Float = 0
                for k in 0..<channels { sum += weights[k] * activation.values[(b * height * width + p) * channels + k] }
                map.values[b * height * width + p] = relu ? max(sum, 0) : sum
            }
        }
        return map
    }

    /// CAM (Zhou et al. 2016): for a layer followed only by average pooling, flattening and one
    /// linear layer, the map sum_k w[target, k] A_k (no bias), [batch, h, w, 1].
    public func cam(_ input: Tensor, targets: [Int], layer: String) throws -> Tensor {
        guard let index = network.layers.firstIndex(where: { $0.name == layer }) else {
            throw unknownLayer(layer, input: input)
        }
        try check(targets, batch: input.shape[0])
        let after = network.layers[(index + 1)...]
        guard let linear = after.last as? Linear,
            after.dropLast().allSatisfy({ ($0 as? Pooling)?.kind == .average || $0 is Flatten })
        else {
            guard (try mapLayers(for: input)).contains(layer) else { throw unknownLayer(layer, input: input) }
            throw ExplainerError.invalidOption(
                name: "--layer", value: layer,
                valid: "a layer followed only by global average pooling and one linear layer (CAM needs that)")
        }
        var x = input
        for l in network.layers[...index] { x = try l.forward(x) }
        guard Self.isMap(x, of: network.layers[index]) else { throw unknownLayer(layer, input: input) }
        let (batch, height, width, channels) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        guard linear.inFeatures == channels else {
            throw ExplainerError.invalidOption(
                name: "--layer", value: layer, valid: "a layer whose pooled channels feed the linear layer")
        }
        var map = Tensor(zeros: [batch, height, width, 1])
        for b in 0..<batch {
            for p in 0..<(height * width) {
                var sum: Float = 0
                for k in 0..<channels {
                    sum +=
                        linear.weight.value.values[targets[b] * channels + k]
                        * x.values[(b * height * width + p) * channels + k]
                }
                map.values[b * height * width + p] = sum
            }
        }
        return map
    }

    /// Guided Grad-CAM: guided backprop times the Grad-CAM map brought to the input's size
    /// (Captum's GuidedGradCam: nearest-neighbour upsampling by default).
    public func guidedGradCAM(
        _ input: Tensor, targets: [Int], layer: String, interpolation: Interpolation = .nearest
    ) throws -> Tensor {
        let map = try gradCAM(input, targets: targets, layer: layer)
        let big = Self.upsampled(map, height: input.shape[1], width: input.shape[2], interpolation)
        var guided = try guidedBackprop(input, targets: targets)
        let channels = input.shape[3]
        for i in guided.values.indices { guided.values[i] *= big.values[i / channels] }
        return guided
    }

    public enum Interpolation: String, CaseIterable, Sendable {
        case nearest, bilinear
    }

    /// A map [batch, h, w, c] resized to [batch, height, width, c] as PyTorch's
    /// F.interpolate: nearest takes source floor(dst * h / height); bilinear (align_corners
    /// False) samples at (dst + 0.5) h / height - 0.5, clamped at 0.
    public static func upsampled(_ map: Tensor, height: Int, width: Int, _ interpolation: Interpolation) -> Tensor {
        let (batch, h, w, c) = (map.shape[0], map.shape[1], map.shape[2], map.shape[3])
        var out = Tensor(zeros: [batch, height, width, c])
        let sy = Double(h) / Double(height)
        let sx = Double(w) / Double(width)
        func source(_ d: Int, _ scale: Double, _ size: Int) -> (Int, Int, Double) {
            let s = max((Double(d) + 0.5) * scale - 0.5, 0)
            let low = min(Int(s), size - 1)
            let high = min(low + 1, size - 1)
            return (low, high, s - Double(low))
        }
        for b in 0..<batch {
            for i in 0..<height {
                for j in 0..<width {
                    for k in 0..<c {
                        let value: Double
                        switch interpolation {
                        case .nearest:
                            let y = min(Int(Double(i) * sy), h - 1)
                            let x = min(Int(Double(j) * sx), w - 1)
                            value = Double(map.values[((b * h + y) * w + x) * c + k])
                        case .bilinear:
                            let (y0, y1, fy) = source(i, sy, h)
                            let (x0, x1, fx) = source(j, sx, w)
                            func at(_ y: Int, _ x: Int) -> Double { Double(map.values[((b * h + y) * w + x) * c + k]) }
                            value =
                                (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy
                                * ((1 - fx) * at(y1, x0) + fx * at(y1, x1))
                        }
                        out.values[((b * height + i) * width + j) * c + k] = Float(value)
                    }
                }
            }
        }
        return out
    }
}
