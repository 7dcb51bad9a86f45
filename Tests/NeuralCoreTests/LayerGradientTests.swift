import Testing

@testable import NeuralCore

/// Finite-difference checks of every other layer's backward pass.
struct LayerGradientTests {
    func check(
        _ layer: Layer, input shape: [Int], seed: UInt64 = 3, step: Float = 1e-2, tolerance: Double = 2e-3,
        distinct: Bool = false
    ) throws {
        var input = GradientCheck.random(shape, seed: seed)
        if distinct {
            // Max pooling is not differentiable at ties: values at least 0.05 apart, shuffled.
            let order = input.values.indices.sorted { input.values[$0] < input.values[$1] }
            for (rank, index) in order.enumerated() { input.values[index] = Float(rank) * 0.05 }
        }
        let worst = try GradientCheck.worstError(
            of: layer.forward, backward: layer.backward, parameters: layer.parameters, input: input, step: step)
        #expect(worst < tolerance, "\(layer.name): worst relative error \(worst)")
    }

    @Test func linear() throws {
        var initializer = SeededInitializer(seed: 1)
        try check(Linear(name: "fc", inFeatures: 6, outFeatures: 4, initializer: &initializer), input: [3, 2, 6])
        try check(
            Linear(name: "fc", inFeatures: 5, outFeatures: 2, bias: false, initializer: &initializer), input: [4, 5])
    }

    @Test func softmaxAndLogSoftmax() throws {
        try check(Softmax(name: "softmax"), input: [4, 6], step: 1e-3)
        try check(LogSoftmax(name: "log_softmax"), input: [2, 3, 5], step: 1e-3)
        let rows = try Softmax(name: "s").forward(GradientCheck.random([3, 7], seed: 2, scale: 30))
        for r in 0..<3 { #expect(abs(rows.values[(r * 7)..<(r * 7 + 7)].reduce(0, +) - 1) < 1e-6) }
        let logs = try LogSoftmax(name: "l").forward(Tensor(shape: [1, 3], values: [1000, 1000, -1000]))
        #expect(logs.values.allSatisfy { $0.isFinite })
        #expect(abs(logs.values[0] - -Float(0.693_147_2)) < 1e-5)
    }

    @Test func conv2d() throws {
        var initializer = SeededInitializer(seed: 2)
        try check(
            Conv2d(
                name: "conv", inChannels: 2, outChannels: 3, kernelSize: (3, 3), padding: (1, 1),
                initializer: &initializer),
            input: [2, 5, 4, 2])
        try check(
            Conv2d(
                name: "conv", inChannels: 3, outChannels: 2, kernelSize: (2, 3), stride: (2, 1),
                initializer: &initializer),
            input: [1, 6, 5, 3])
    }

    @Test func pooling() throws {
        try check(Pooling(name: "max", kind: .max, kernelSize: (2, 2)), input: [2, 4, 6, 3], distinct: true)
        try check(Pooling(name: "avg", kind: .average, kernelSize: (3, 2), stride: (1, 2)), input: [1, 5, 4, 2])
        try check(
            Pooling.overTime(name: "maxT", kind: .max, kernelSize: 3, stride: 2), input: [2, 9, 3], distinct: true)
        let pooled = try Pooling(name: "p", kind: .max, kernelSize: (2, 2)).forward(
            Tensor(shape: [1, 2, 2, 1], values: [1, 4, 3, 2]))
        #expect(pooled.values == [4])
    }

    @Test func flattenAndDropout() throws {
        try check(Flatten(name: "flat"), input: [2, 3, 2, 2])
        let dropout = try Dropout(name: "drop", probability: 0.5, seed: 9)
        let input = Tensor(shape: [1000], values: [Float](repeating: 1, count: 1000))
        let dropped = try dropout.forward(input)
        let zeros = dropped.values.filter { $0 == 0 }.count
        #expect(zeros > 430 && zeros < 570)
        #expect(dropped.values.allSatisfy { $0 == 0 || $0 == 2 })
        // Backward uses the same mask.
        #expect(dropout.backward(input).values == dropped.values)
        // Same seed, same masks; evaluation is the identity.
        #expect(try Dropout(name: "drop", probability: 0.5, seed: 9).forward(input) == dropped)
        dropout.isTraining = false
        #expect(try dropout.forward(input) == input)
        #expect(throws: NeuralCoreError.self) { _ = try Dropout(name: "d", probability: 1, seed: 1) }
    }
}
