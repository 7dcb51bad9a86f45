import Foundation
import PhonoscopeIO
import Testing

@testable import NeuralCore

/// SGD, Adam and gradient clipping against torch.optim and torch.nn.utils.clip_grad_norm_
/// (fixtures by Scripts/make_safetensors_fixtures.py), and exact resume from saved state.
struct OptimizerTests {
    struct Manifest: Decodable {
        struct Options: Decodable {
            let lr: Double
            let momentum: Double?
            let weightDecay: Double?
            let nesterov: Bool?

            enum CodingKeys: String, CodingKey {
                case lr, momentum, nesterov
                case weightDecay = "weight_decay"
            }
        }
        struct Case: Decodable {
            let name: String
            let kind: String
            let options: Options
            let results: [[String]]
        }
        struct Clipping: Decodable {
            let name: String
            let maxNorm: Float
            let norm: String
            let gradients: [String]

            enum CodingKeys: String, CodingKey {
                case name, norm, gradients
                case maxNorm = "max_norm"
            }
        }
        let steps: Int
        let parameters: [String]
        let initial: [String]
        let gradients: [[String]]
        let optimizers: [Case]
        let clipping: [Clipping]
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/optim")
    static let manifest: Manifest = {
        do {
            let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
            return try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            fatalError("cannot read the optimiser fixture manifest: \(error)")
        }
    }()

    static func npy(_ file: String) throws -> Tensor {
        let array = try NPYArray<Float>(contentsOf: directory.appendingPathComponent(file))
        return Tensor(shape: array.shape, values: array.elements)
    }

    static func freshParameters() throws -> [Parameter] {
        try zip(manifest.parameters, manifest.initial).map { Parameter(name: $0, value: try npy($1)) }
    }

    static func setGradients(_ parameters: [Parameter], step: Int) throws {
        for (parameter, file) in zip(parameters, manifest.gradients[step]) { parameter.gradient = try npy(file) }
    }

    static func optimizer(_ c: Manifest.Case) throws -> any Optimizer {
        switch c.kind {
        case "sgd":
            return try SGD(
                learningRate: c.options.lr, momentum: c.options.momentum ?? 0, weightDecay: c.options.weightDecay ?? 0,
                nesterov: c.options.nesterov ?? false)
        default:
            return try Adam(learningRate: c.options.lr, weightDecay: c.options.weightDecay ?? 0)
        }
    }

    /// The largest |ours - theirs| / |theirs| (|ours| where theirs is 0).
    static func worstRelative(_ ours: Tensor, _ theirs: Tensor) -> Float {
        precondition(ours.shape == theirs.shape, "shapes \(ours.shape) and \(theirs.shape)")
        return zip(ours.values, theirs.values).map { abs($0 - $1) / (abs($1) > 0 ? abs($1) : 1) }.max() ?? 0
    }

    static func worstRelative(_ parameters: [Parameter], _ files: [String]) throws -> Float {
        try zip(parameters, files).map { worstRelative($0.value, try npy($1)) }.max() ?? 0
    }

    static var caseNames: [String] { manifest.optimizers.map(\.name) }

    @Test(arguments: caseNames)
    func matchesPyTorchAtEveryStep(_ name: String) throws {
        let c = try #require(Self.manifest.optimizers.first { $0.name == name })
        let parameters = try Self.freshParameters()
        var optimizer = try Self.optimizer(c)
        for step in 0..<Self.manifest.steps {
            try Self.setGradients(parameters, step: step)
            let gradients = parameters.map(\.gradient)
            optimizer.step(parameters)
            #expect(parameters.map(\.gradient) == gradients, "step must not change gradients")
            let worst = try Self.worstRelative(parameters, c.results[step])
            #expect(worst <= 1e-6, "\(name) step \(step + 1): relative error \(worst)")
        }
    }

    /// Two steps, state through a safetensors checkpoint into a fresh optimiser and fresh
    /// parameters, three more steps: identical to five uninterrupted steps, and to PyTorch.
    @Test(arguments: caseNames)
    func resumesExactlyFromSavedState(_ name: String) throws {
        let c = try #require(Self.manifest.optimizers.first { $0.name == name })
        let parameters = try Self.freshParameters()
        var optimizer = try Self.optimizer(c)
        for step in 0..<2 {
            try Self.setGradients(parameters, step: step)
            optimizer.step(parameters)
        }
        var checkpoint = optimizer.state()
        for parameter in parameters { checkpoint[parameter.name] = parameter.value }
        let read = try SafeTensors(data: SafeTensors(tensors: checkpoint).encoded()).tensors

        var resumed = try Self.optimizer(c)
        try resumed.load(state: read)
        #expect(resumed.state() == optimizer.state())
        let resumedParameters = try parameters.map { Parameter(name: $0.name, value: try #require(read[$0.name])) }
        for step in 2..<Self.manifest.steps {
            try Self.setGradients(parameters, step: step)
            try Self.setGradients(resumedParameters, step: step)
            optimizer.step(parameters)
            resumed.step(resumedParameters)
            #expect(resumedParameters.map(\.value) == parameters.map(\.value), "\(name) step \(step + 1)")
            #expect(try Self.worstRelative(resumedParameters, c.results[step]) <= 1e-6)
        }
    }

    @Test func stateKeysNameOptimiserKindAndParameter() throws {
        let parameters = try Self.freshParameters()
        try Self.setGradients(parameters, step: 0)
        var adam = try Adam()
        var sgd = try SGD(learningRate: 0.1, momentum: 0.9)
        var plain = try SGD(learningRate: 0.1)
        adam.step(parameters)
        sgd.step(parameters)
        plain.step(parameters)
        #expect(
            Set(adam.state().keys) == [
                "adam.m.layer.weight", "adam.v.layer.weight", "adam.step.layer.weight", "adam.m.layer.bias",
                "adam.v.layer.bias", "adam.step.layer.bias",
            ])
        #expect(adam.state()["adam.step.layer.bias"] == Tensor(shape: [], values: [1]))
        #expect(Set(sgd.state().keys) == ["sgd.momentum.layer.weight", "sgd.momentum.layer.bias"])
        #expect(plain.state().isEmpty)
    }

    @Test func loadRejectsStateThatDoesNotFit() throws {
        var adam = try Adam()
        let m = Tensor(zeros: [2])
        #expect(
            throws: OptimizerError.invalidState(
                optimizer: "Adam", key: "adam.v.w", reason: "missing; m, v and step come together")
        ) { try adam.load(state: ["adam.m.w": m, "adam.step.w": Tensor(shape: [], values: [1])]) }
        #expect(throws: OptimizerError.self) {
            try adam.load(state: ["adam.m.w": m, "adam.v.w": Tensor(zeros: [3]), "adam.step.w": Tensor(zeros: [])])
        }
        #expect(throws: OptimizerError.self) {
            try adam.load(state: ["adam.m.w": m, "adam.v.w": m, "adam.step.w": Tensor(shape: [], values: [1.5])])
        }
        #expect(throws: OptimizerError.self) { try adam.load(state: ["adam.moment.w": m]) }
        var sgd = try SGD(learningRate: 1, momentum: 0.5)
        #expect(throws: OptimizerError.self) { try sgd.load(state: ["sgd.velocity.w": m]) }
        // Other keys (weights, another optimiser's state) are ignored.
        try sgd.load(state: ["w": m, "adam.m.w": m, "sgd.momentum.w": m])
        #expect(sgd.state() == ["sgd.momentum.w": m])
    }

    @Test func hyperparametersAreValidated() {
        #expect(
            throws: OptimizerError.invalidHyperparameter(
                optimizer: "SGD", name: "learningRate", value: -1, valid: "0 or more")
        ) { try SGD(learningRate: -1) }
        #expect(throws: OptimizerError.self) { try SGD(learningRate: 0.1, nesterov: true) }
        #expect(throws: OptimizerError.self) { try SGD(learningRate: .nan) }
        #expect(throws: OptimizerError.self) { try Adam(beta1: 1) }
        #expect(throws: OptimizerError.self) { try Adam(beta2: -0.1) }
        #expect(throws: OptimizerError.self) { try Adam(epsilon: -1) }
        #expect(throws: OptimizerError.self) { try Adam(weightDecay: -1) }
    }

    @Test func plainSGDIsGradientDescent() throws {
        let parameter = Parameter(name: "w", value: Tensor(shape: [3], values: [1, -2, 0.5]))
        parameter.gradient = Tensor(shape: [3], values: [0.5, 0.25, -4])
        var sgd = try SGD(learningRate: 0.5)
        sgd.step([parameter])
        #expect(parameter.value.values == [0.75, -2.125, 2.5])
    }

    // MARK: Gradient clipping

    @Test(arguments: manifest.clipping.map(\.name))
    func clippingMatchesPyTorch(_ name: String) throws {
        let c = try #require(Self.manifest.clipping.first { $0.name == name })
        let parameters = try Self.freshParameters()
        try Self.setGradients(parameters, step: 0)
        let norm = GradientClipping.clipNorm(parameters, maxNorm: c.maxNorm)
        let expectedNorm = try Self.npy(c.norm).values[0]
        #expect(abs(norm - expectedNorm) <= 1e-6 * expectedNorm, "norm \(norm), PyTorch \(expectedNorm)")
        for (parameter, file) in zip(parameters, c.gradients) {
            let worst = Self.worstRelative(parameter.gradient, try Self.npy(file))
            #expect(worst <= 1e-6, "\(name) \(parameter.name): relative error \(worst)")
        }
    }

    @Test func clippingBoundsTheNormAndLeavesSmallGradients() {
        let a = Parameter(name: "a", value: Tensor(zeros: [2]))
        let b = Parameter(name: "b", value: Tensor(zeros: [1]))
        a.gradient = Tensor(shape: [2], values: [3, 0])
        b.gradient = Tensor(shape: [1], values: [4])
        #expect(GradientClipping.clipNorm([a, b], maxNorm: 10) == 5)
        #expect(a.gradient.values == [3, 0] && b.gradient.values == [4])
        #expect(GradientClipping.clipNorm([a, b], maxNorm: 1) == 5)
        let clipped = (a.gradient.values + b.gradient.values).map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
        #expect(abs(clipped - 1) < 1e-6)
        #expect(GradientClipping.clipNorm([], maxNorm: 1) == 0)
        b.gradient = Tensor(shape: [1], values: [.infinity])
        #expect(GradientClipping.clipNorm([a, b], maxNorm: 1) == .infinity)
    }
}
