import NeuralCore
import SeededRandom

/// Finite-difference checks: the loss L = sum(output * weights) has dL/doutput = weights, so
/// backward(weights) must equal the numerical derivative of L with respect to every input and
/// parameter value, by central differences in double precision over float32 evaluations.
enum GradientCheck {
    static func random(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, values: (0..<count).map { _ in (2 * generator.unitFloat() - 1) * scale })
    }

    static func loss(_ output: Tensor, _ weights: Tensor) -> Double {
        zip(output.values, weights.values).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// The largest |analytic - numeric| / max(1, |numeric|) over the input and all parameters.
    static func worstError(
        of forward: (Tensor) throws -> Tensor, backward: (Tensor) -> Tensor, parameters: [Parameter], input: Tensor,
        step: Float = 1e-2
    ) throws -> Double {
        let output = try forward(input)
        let weights = random(output.shape, seed: 99)
        for parameter in parameters { parameter.zeroGradient() }
        _ = try forward(input)
        let inputGradient = backward(weights)
        var worst = 0.0
        func compare(_ analytic: Float, _ numeric: Double) {
            worst = max(worst, abs(Double(analytic) - numeric) / max(1, abs(numeric)))
        }
        var x = input
        for i in x.values.indices {
            let original = x.values[i]
            x.values[i] = original + step
            let plus = loss(try forward(x), weights)
            x.values[i] = original - step
            let minus = loss(try forward(x), weights)
            x.values[i] = original
            compare(inputGradient.values[i], (plus - minus) / (2 * Double(step)))
        }
        for parameter in parameters {
            let analytic = parameter.gradient.values
            for i in parameter.value.values.indices {
                let original = parameter.value.values[i]
                parameter.value.values[i] = original + step
                let plus = loss(try forward(input), weights)
                parameter.value.values[i] = original - step
                let minus = loss(try forward(input), weights)
                parameter.value.values[i] = original
                compare(analytic[i], (plus - minus) / (2 * Double(step)))
            }
        }
        return worst
    }
}
