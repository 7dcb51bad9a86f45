import Foundation
import Testing

@testable import NeuralCore

/// Conv1d against a direct (brute-force) convolution and against finite differences.
struct Conv1dTests {
    struct Setting: Sendable, CustomTestStringConvertible {
        let kernel: Int, stride: Int, padding: Int, dilation: Int, bias: Bool
        var paddingRight: Int? = nil
        var testDescription: String {
            "k\(kernel) s\(stride) p\(padding)\(paddingRight.map { "/\($0)" } ?? "") d\(dilation)\(bias ? "" : " no bias")"
        }
    }

    static let settings = [
        Setting(kernel: 3, stride: 1, padding: 1, dilation: 1, bias: true),
        Setting(kernel: 5, stride: 2, padding: 2, dilation: 1, bias: true),
        Setting(kernel: 3, stride: 1, padding: 0, dilation: 2, bias: false),
        Setting(kernel: 4, stride: 3, padding: 3, dilation: 2, bias: true),
        Setting(kernel: 1, stride: 1, padding: 0, dilation: 1, bias: true),
        // Keras-style "same" for an even kernel: one more zero frame on the right.
        Setting(kernel: 4, stride: 2, padding: 1, dilation: 1, bias: true, paddingRight: 2),
        Setting(kernel: 4, stride: 1, padding: 2, dilation: 1, bias: false, paddingRight: 0),
        // Longer than Conv1d.shiftedBackwardLimit: shifted forward, im2col backward.
        Setting(kernel: 10, stride: 1, padding: 4, dilation: 1, bias: true, paddingRight: 5),
    ]

    func layer(_ s: Setting, inChannels: Int = 3, outChannels: Int = 4) throws -> Conv1d {
        var initializer = SeededInitializer(seed: 1)
        return try Conv1d(
            name: "conv", inChannels: inChannels, outChannels: outChannels, kernelSize: s.kernel, stride: s.stride,
            padding: s.padding, paddingRight: s.paddingRight, dilation: s.dilation, bias: s.bias,
            initializer: &initializer)
    }

    @Test(arguments: settings)
    func forwardEqualsTheDefinition(_ s: Setting) throws {
        let conv = try layer(s)
        let input = GradientCheck.random([2, 11, 3], seed: 5)
        let output = try conv.forward(input)
        let frames = conv.outputLength(11)
        #expect(output.shape == [2, frames, 4])
        let w = conv.weight.value.values
        for b in 0..<2 {
            for t in 0..<frames {
                for o in 0..<4 {
                    var sum = Double(conv.bias?.value.values[o] ?? 0)
                    for c in 0..<3 {
                        for k in 0..<s.kernel {
                            let source = t * s.stride - s.padding + k * s.dilation
                            guard source >= 0, source < 11 else { continue }
                            sum +=
                                Double(w[(o * 3 + c) * s.kernel + k]) * Double(input.values[(b * 11 + source) * 3 + c])
                        }
                    }
                    #expect(abs(Double(output.values[(b * frames + t) * 4 + o]) - sum) < 1e-5)
                }
            }
        }
    }

    @Test(arguments: settings)
    func backwardEqualsFiniteDifferences(_ s: Setting) throws {
        let conv = try layer(s)
        let worst = try GradientCheck.worstError(
            of: conv.forward, backward: conv.backward, parameters: conv.parameters,
            input: GradientCheck.random([2, 9, 3], seed: 7))
        #expect(worst < 2e-3, "worst relative error \(worst)")
    }

    /// im2col and col2im split their loops over threads; the results must not depend on it
    /// (OpenBLAS stays on one thread: its own partitioning changes the last bits).
    @Test func threadCountDoesNotChangeResults() throws {
        let setting = Setting(kernel: 7, stride: 2, padding: 3, dilation: 1, bias: true, paddingRight: 4)
        let input = GradientCheck.random([2, 300, 40], seed: 9)
        let outputGradient = GradientCheck.random([2, 151, 16], seed: 10)
        var results: [[[Float]]] = []
        ParallelLoop.setThreads(1)
        for threads in [1, 2] {
            ParallelLoop.setThreads(threads, blas: false)
            let conv = try layer(setting, inChannels: 40, outChannels: 16)
            let output = try conv.forward(input)
            #expect(output.shape == [2, 151, 16])
            let inputGradient = conv.backward(outputGradient)
            results.append([output.values, inputGradient.values, conv.weight.gradient.values])
        }
        ParallelLoop.setThreads(ProcessInfo.processInfo.activeProcessorCount)
        for (part, name) in ["output", "input gradient", "weight gradient"].enumerated() {
            let worst = zip(results[0][part], results[1][part]).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst == 0, "\(name): largest difference between 1 and 2 threads \(worst)")
        }
    }

    /// Without the input gradient, the parameter gradients stay the same and the input gradient is zeros.
    @Test(arguments: settings)
    func skippingTheInputGradientKeepsParameterGradients(_ s: Setting) throws {
        let input = GradientCheck.random([2, 11, 3], seed: 5)
        var gradients: [[[Float]]] = []
        for computes in [true, false] {
            let conv = try layer(s)
            conv.computesInputGradient = computes
            let output = try conv.forward(input)
            let inputGradient = conv.backward(GradientCheck.random(output.shape, seed: 6))
            #expect(inputGradient.shape == input.shape)
            if !computes { #expect(inputGradient.values.allSatisfy { $0 == 0 }) }
            gradients.append(conv.parameters.map(\.gradient.values))
        }
        #expect(gradients[0] == gradients[1])
    }

    /// The rearranged weight is cached; changing the parameter in place must be seen by the next pass.
    @Test(arguments: settings)
    func weightChangesReachTheNextForward(_ s: Setting) throws {
        let input = GradientCheck.random([2, 11, 3], seed: 5)
        let conv = try layer(s)
        _ = try conv.forward(input)
        conv.weight.value.values[0] += 0.5
        conv.weight.value.values[conv.weight.value.count - 1] -= 0.25
        let changed = try conv.forward(input)
        let fresh = try layer(s)
        fresh.weight.value = conv.weight.value
        #expect(changed == (try fresh.forward(input)))
    }

    @Test func shapesAndBadInput() throws {
        let conv = try layer(Setting(kernel: 5, stride: 1, padding: 0, dilation: 1, bias: true))
        #expect(try conv.forward(GradientCheck.random([7, 3], seed: 1)).shape == [3, 4])
        #expect(throws: NeuralCoreError.tooShort(layer: "conv", length: 4, required: 5)) {
            _ = try conv.forward(GradientCheck.random([4, 3], seed: 1))
        }
        #expect(throws: NeuralCoreError.self) { _ = try conv.forward(GradientCheck.random([7, 2], seed: 1)) }
        var initializer = SeededInitializer(seed: 1)
        #expect(throws: NeuralCoreError.self) {
            _ = try Conv1d(name: "bad", inChannels: 0, outChannels: 1, kernelSize: 1, initializer: &initializer)
        }
    }

    @Test func sameSeedSameWeights() throws {
        let a = try layer(Conv1dTests.settings[0])
        let b = try layer(Conv1dTests.settings[0])
        #expect(a.weight.value == b.weight.value)
        let bound = 1 / Float(3 * 3).squareRoot()
        #expect(a.weight.value.values.allSatisfy { abs($0) <= bound })
    }
}

/// A small stack: gradients through ReLU and several convolutions; hooks observe without changing.
struct SequentialTests {
    func network() throws -> Sequential {
        var initializer = SeededInitializer(seed: 3)
        return try Sequential([
            Conv1d(
                name: "conv1", inChannels: 4, outChannels: 6, kernelSize: 5, stride: 2, padding: 2,
                initializer: &initializer),
            ReLU(name: "relu1"),
            Conv1d(name: "conv2", inChannels: 6, outChannels: 5, kernelSize: 3, padding: 1, initializer: &initializer),
            ReLU(name: "relu2"),
            Conv1d(name: "conv3", inChannels: 5, outChannels: 3, kernelSize: 1, initializer: &initializer),
        ])
    }

    @Test func backwardEqualsFiniteDifferences() throws {
        let net = try network()
        let worst = try GradientCheck.worstError(
            of: net.forward, backward: { net.backward($0) }, parameters: net.parameters,
            input: GradientCheck.random([2, 10, 4], seed: 11), step: 1e-3)
        #expect(worst < 5e-3, "worst relative error \(worst)")
    }

    @Test func hooksSeeActivationsAndGradientsWithoutChangingResults() throws {
        let net = try network()
        let input = GradientCheck.random([1, 12, 4], seed: 2)
        let plain = try net.forward(input)
        let plainGradient = net.backward(GradientCheck.random(plain.shape, seed: 4))

        let seen = Recorder()
        try net.addForwardHook(layer: "relu1") { seen.record("forward \($0)", $1) }
        try net.addBackwardHook(layer: "conv2") { seen.record("backward \($0)", $1) }
        let hooked = try net.forward(input)
        let hookedGradient = net.backward(GradientCheck.random(plain.shape, seed: 4))
        #expect(hooked == plain)
        #expect(hookedGradient == plainGradient)
        #expect(seen.names == ["forward relu1", "backward conv2"])
        #expect(seen.tensors[0].shape == [1, 6, 6])
        #expect(seen.tensors[0].values.allSatisfy { $0 >= 0 })
        #expect(seen.tensors[1].shape == [1, 6, 5])
        #expect(throws: NeuralCoreError.self) { try net.addForwardHook(layer: "nope") { _, _ in } }
    }

    @Test func duplicateNamesAreRefused() throws {
        #expect(throws: NeuralCoreError.self) { _ = try Sequential([ReLU(name: "a"), ReLU(name: "a")]) }
    }
}

final class Recorder: @unchecked Sendable {
    var names: [String] = []
    var tensors: [Tensor] = []
    func record(_ name: String, _ tensor: Tensor) {
        names.append(name)
        tensors.append(tensor)
    }
}
