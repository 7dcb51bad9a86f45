import Foundation

/// The points and weights on [0, 1] at which integrated gradients evaluates the gradient,
/// as Captum's approximation methods define them.
public enum Quadrature: String, CaseIterable, Sendable {
    /// Gauss-Legendre: the roots x_k of the Legendre polynomial P_n mapped to
    /// alpha_k = (1 + x_k) / 2, weights w_k / 2 (Captum's default).
    case gaussLegendre = "gausslegendre"
    /// The trapezoidal rule: n points alpha = 0, 1/(n-1), ..., 1; every weight 1/n, the first
    /// and last halved (Captum's riemann_trapezoid).
    case trapezoid = "riemann_trapezoid"
    /// Left, middle and right Riemann sums with weights 1/n.
    case left = "riemann_left"
    case middle = "riemann_middle"
    case right = "riemann_right"

    /// (alpha, weight) pairs for `n` points (n >= 2 for the trapezoid, 1 or more otherwise).
    public func nodes(_ n: Int) -> [(alpha: Double, weight: Double)] {
        let count = Double(n)
        switch self {
        case .gaussLegendre:
            return Self.legendre(n).map { ((1 + $0.x) / 2, $0.w / 2) }
        case .trapezoid:
            return (0..<n).map { k in
                let weight = (k == 0 || k == n - 1) ? 1 / (2 * count) : 1 / count
                return (n == 1 ? 0 : Double(k) / Double(n - 1), weight)
            }
        case .left: return (0..<n).map { (Double($0) / count, 1 / count) }
        case .middle: return (0..<n).map { ((Double($0) + 0.5) / count, 1 / count) }
        case .right: return (0..<n).map { (Double($0 + 1) / count, 1 / count) }
        }
    }

    /// Gauss-Legendre nodes on [-1, 1], ascending: Newton's method on P_n from Chebyshev-like
    /// starting points, P_n by its three-term recurrence.
    static func legendre(_ n: Int) -> [(x: Double, w: Double)] {
        var result: [(x: Double, w: Double)] = []
        for i in 0..<n {
            var x = -cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p0 = 1.0
                var p1 = x
                if n == 0 { p1 = 1 }
                if n >= 2 {
                    for k in 2...n {
                        let p2 = ((2 * Double(k) - 1) * x * p1 - (Double(k) - 1) * p0) / Double(k)
                        p0 = p1
                        p1 = p2
                    }
                }
                // P_n = p1, P_{n-1} = p0 (n >= 1).
                derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-16 { break }
            }
            result.append((x, 2 / ((1 - x * x) * derivative * derivative)))
        }
        return result
    }
}
