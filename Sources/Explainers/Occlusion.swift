import NeuralCore

extension ImageExplainer {
    /// Occlusion (Zeiler & Fergus 2014), as Captum computes it: a window of `window` pixels
    /// (all channels) starts at 0, s, 2s, ... on each axis, ceil((D - k) / s) + 1 positions,
    /// and is cut at the border (it covers [p, min(p + k, D))); each position replaces the
    /// window by `baseline` and records f(x) - f(occluded) for the target; each pixel gets the
    /// mean of the differences of the windows that covered it.
    public func occlusion(
        _ input: Tensor, targets: [Int], window: (height: Int, width: Int), stride: (height: Int, width: Int),
        baseline: Float = 0
    ) throws -> Tensor {
        let (batch, height, width, channels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        guard window.height >= 1, window.width >= 1, window.height <= height, window.width <= width else {
            throw ExplainerError.invalidOption(
                name: "--window", value: "\(window.height)x\(window.width)",
                valid: "1x1 up to the image size \(height)x\(width)")
        }
        guard stride.height >= 1, stride.width >= 1 else {
            throw ExplainerError.invalidOption(
                name: "--stride", value: "\(stride.height)x\(stride.width)", valid: "1x1 or more")
        }
        try check(targets, batch: batch)
        func positions(_ size: Int, _ k: Int, _ s: Int) -> Int { (size - k + s - 1) / s + 1 }
        let rows = positions(height, window.height, stride.height)
        let columns = positions(width, window.width, stride.width)
        let size = height * width * channels
        let reference = try network.forward(input)
        var total = [Double](repeating: 0, count: input.count)
        var counts = [Int](repeating: 0, count: batch * height * width)
        for b in 0..<batch {
            // All window positions of one image in one batch.
            var occluded = [Float](repeating: 0, count: rows * columns * size)
            for r in 0..<rows {
                for q in 0..<columns {
                    let base = (r * columns + q) * size
                    for i in 0..<size { occluded[base + i] = input.values[b * size + i] }
                    for y in (r * stride.height)..<min(r * stride.height + window.height, height) {
                        for x in (q * stride.width)..<min(q * stride.width + window.width, width) {
                            for c in 0..<channels { occluded[base + (y * width + x) * channels + c] = baseline }
                        }
                    }
                }
            }
            let scores = try network.forward(
                Tensor(shape: [rows * columns, height, width, channels], values: occluded))
            let full = Double(reference.values[b * classCount + targets[b]])
            for r in 0..<rows {
                for q in 0..<columns {
                    let difference = full - Double(scores.values[(r * columns + q) * classCount + targets[b]])
                    for y in (r * stride.height)..<min(r * stride.height + window.height, height) {
                        for x in (q * stride.width)..<min(q * stride.width + window.width, width) {
                            counts[(b * height + y) * width + x] += 1
                            for c in 0..<channels { total[b * size + (y * width + x) * channels + c] += difference }
                        }
                    }
                }
            }
        }
        var attribution = Tensor(zeros: input.shape)
        for i in attribution.values.indices {
            let count = counts[i / channels]
            attribution.values[i] = count == 0 ? 0 : Float(total[i] / Double(count))
        }
        return attribution
    }
}
