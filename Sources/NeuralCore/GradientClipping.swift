/// Gradient clipping by the total norm, as `torch.nn.utils.clip_grad_norm_` (norm type 2).
///
/// Pascanu, Mikolov and Bengio (2013), "On the difficulty of training recurrent neural networks"
/// (ICML): rescaling the gradient when its norm is large keeps one bad batch from throwing the
/// weights far away.
public enum GradientClipping {
    /// Scales every gradient by min(1, maxNorm / (norm + 1e-6)), where norm is the L2 norm of all
    /// gradients together (as if concatenated into one vector); returns that norm, before clipping.
    ///
    /// Concretely, as PyTorch computes it in float32: coefficient = (1 / (norm + 1e-6)) * maxNorm,
    /// clamped to at most 1, so gradients are scaled down only when the norm exceeds maxNorm (by
    /// more than about 1e-6). The sum of squares is accumulated in double precision, so the norm is
    /// correctly rounded; PyTorch sums small tensors in float32 and may differ by an ulp.
    ///
    /// Non-finite gradients give a non-finite norm; then, as in PyTorch (with
    /// `error_if_nonfinite=False`), finite gradients become 0 and infinite ones NaN (norm infinite), or all NaN (norm NaN). Check
    /// the returned norm and skip the optimiser step when it is not finite.
    ///
    /// - Parameters:
    ///   - parameters: whose `gradient`s are measured and scaled in place.
    ///   - maxNorm: the largest total norm left unscaled; must be 0 or more.
    /// - Returns: the total norm before clipping (0 for no parameters).
    @discardableResult
    public static func clipNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
        precondition(maxNorm >= 0, "clipNorm: maxNorm \(maxNorm) must be 0 or more")
        var sumOfSquares = 0.0
        for parameter in parameters {
            for g in parameter.gradient.values { sumOfSquares += Double(g) * Double(g) }
        }
        let norm = Float(sumOfSquares.squareRoot())
        let coefficient = (1 / (norm + 1e-6)) * maxNorm
        let scale = coefficient.isNaN ? coefficient : min(coefficient, 1)
        if scale != 1 {
            for parameter in parameters {
                parameter.gradient.values.withUnsafeMutableBufferPointer { g in
                    for i in g.indices { g[i] *= scale }
                }
            }
        }
        return norm
    }
}
