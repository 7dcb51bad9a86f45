import Foundation

/// The a and b of UMAP's embedding membership 1 / (1 + a d^(2b)), fitted to the target curve
/// that min_dist and spread describe, as umap-learn's `find_ab_params` fits them.
///
/// Concretely: least squares over 300 points x = linspace(0, 3 spread) of
/// 1 / (1 + a x^(2b)) - f(x), f(x) = 1 for x < min_dist, exp(-(x - min_dist) / spread) above,
/// from (a, b) = (1, 1) by Levenberg-Marquardt (what `scipy.optimize.curve_fit` runs) with the
/// analytic Jacobian. min_dist 0.1, spread 1 gives a = 1.577, b = 0.895.
public enum CurveParameters {
    public static func fit(minimumDistance: Double, spread: Double) throws -> (a: Double, b: Double) {
        guard spread > 0, minimumDistance >= 0, minimumDistance <= spread else {
            throw ProjectionError.invalidParameter(
                name: "min_dist/spread", value: "\(minimumDistance)/\(spread)",
                valid: "0 <= min_dist <= spread, spread > 0")
        }
        let xs = (0..<300).map { 3 * spread * Double($0) / 299 }
        let targets = xs.map { $0 < minimumDistance ? 1 : exp(-($0 - minimumDistance) / spread) }
        func residuals(_ a: Double, _ b: Double) -> [Double] {
            zip(xs, targets).map { x, t in 1 / (1 + a * pow(x, 2 * b)) - t }
        }
        func cost(_ r: [Double]) -> Double { r.reduce(0) { $0 + $1 * $1 } }
        var a = 1.0
        var b = 1.0
        var r = residuals(a, b)
        var lambda = 1e-3
        for _ in 0..<500 {
            // J^T J and J^T r.
            var jaa = 0.0
            var jab = 0.0
            var jbb = 0.0
            var ga = 0.0
            var gb = 0.0
            for (index, x) in xs.enumerated() where x > 0 {
                let power = pow(x, 2 * b)
                let g = 1 / (1 + a * power)
                let da = -power * g * g
                let db = -a * power * 2 * log(x) * g * g
                jaa += da * da
                jab += da * db
                jbb += db * db
                ga += da * r[index]
                gb += db * r[index]
            }
            var improved = false
            for _ in 0..<30 {
                let m11 = jaa * (1 + lambda)
                let m22 = jbb * (1 + lambda)
                let det = m11 * m22 - jab * jab
                guard det != 0 else { break }
                let stepA = -(m22 * ga - jab * gb) / det
                let stepB = -(m11 * gb - jab * ga) / det
                let candidate = residuals(a + stepA, b + stepB)
                if cost(candidate) < cost(r) {
                    let change = abs(stepA) / max(abs(a), 1e-12) + abs(stepB) / max(abs(b), 1e-12)
                    a += stepA
                    b += stepB
                    r = candidate
                    lambda = max(lambda / 10, 1e-12)
                    improved = true
                    if change < 1e-12 { return (a, b) }
                    break
                }
                lambda *= 10
            }
            if !improved { break }
        }
        return (a, b)
    }
}
