import Foundation

/// The conditional probabilities p_{j|i} of t-SNE, each point's Gaussian bandwidth found by
/// binary search so that the distribution's perplexity is the one asked for, as scikit-learn's
/// `_binary_search_perplexity` finds it (van der Maaten & Hinton 2008, section 2).
///
/// Concretely: for point i with squared distances d_ij to its candidates j, p_{j|i} =
/// exp(-β d_ij) / Σ_j exp(-β d_ij) and H_i = log Σ_j exp(-β d_ij) + β Σ_j d_ij p_{j|i} (nats);
/// β starts at 1 and is doubled or halved until the target log(perplexity) is bracketed, then
/// bisected, at most 100 steps, until |H_i - log(perplexity)| <= 1e-5. A zero sum becomes 1e-8
/// (scikit-learn's `EPSILON_DBL`), so a point far from everything gets p = 0, not NaN.
enum PerplexitySearch {
    /// `squaredDistances` is n x k row-major; `skipDiagonal` (the exact method, k = n) leaves
    /// column i of row i at probability 0. Returns n x k conditional probabilities.
    static func conditionalProbabilities(
        squaredDistances: [Double], count n: Int, candidates k: Int, perplexity: Double, skipDiagonal: Bool
    ) -> [Double] {
        let target = log(perplexity)
        var p = [Double](repeating: 0, count: n * k)
        for i in 0..<n {
            var betaMin = -Double.infinity
            var betaMax = Double.infinity
            var beta = 1.0
            let row = i * k
            for _ in 0..<100 {
                var sum = 0.0
                for j in 0..<k where !(skipDiagonal && j == i) {
                    let value = exp(-squaredDistances[row + j] * beta)
                    p[row + j] = value
                    sum += value
                }
                if sum == 0 { sum = 1e-8 }
                var weighted = 0.0
                for j in 0..<k {
                    p[row + j] /= sum
                    weighted += squaredDistances[row + j] * p[row + j]
                }
                let difference = log(sum) + beta * weighted - target
                if abs(difference) <= 1e-5 { break }
                if difference > 0 {
                    betaMin = beta
                    beta = betaMax == .infinity ? beta * 2 : (beta + betaMax) / 2
                } else {
                    betaMax = beta
                    beta = betaMin == -.infinity ? beta / 2 : (beta + betaMin) / 2
                }
            }
        }
        return p
    }
}
