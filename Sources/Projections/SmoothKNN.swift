import Foundation

/// Each point's distance to its nearest neighbour (rho) and the bandwidth (sigma) that makes
/// its fuzzy neighbourhood hold log2(k) of membership, as umap-learn's `smooth_knn_dist` finds
/// them (McInnes et al. 2018, section 3.1).
///
/// Concretely: rho_i is the distance to the `localConnectivity`-th non-zero neighbour
/// (interpolated for fractional values; the largest one if there are fewer); sigma_i solves
/// Σ_{j>0} exp(-max(d_ij - rho_i, 0) / sigma_i) = log2(k) by bisection from 1 (doubling
/// while there is no upper bound), 64 steps or |sum - target| < 1e-5; it is then kept at
/// least 1e-3 x the mean distance of the point's row (rho > 0) or of all rows (rho = 0).
enum SmoothKNN {
    /// `distances` is n x k (each row's first column the point itself, at 0).
    static func sigmasAndRhos(distances: [Double], count n: Int, neighbors k: Int, localConnectivity: Double = 1)
        -> (sigmas: [Double], rhos: [Double])
    {
        let tolerance = 1e-5
        let minimumScale = 1e-3
        let target = log2(Double(k))
        var rhos = [Double](repeating: 0, count: n)
        var sigmas = [Double](repeating: 0, count: n)
        let meanAll = distances.reduce(0, +) / Double(max(distances.count, 1))
        for i in 0..<n {
            let row = Array(distances[(i * k)..<((i + 1) * k)])
            let nonZero = row.filter { $0 > 0 }
            if Double(nonZero.count) >= localConnectivity {
                let index = Int(localConnectivity.rounded(.down))
                let interpolation = localConnectivity - Double(index)
                if index > 0 {
                    rhos[i] = nonZero[index - 1]
                    if interpolation > tolerance {
                        rhos[i] += interpolation * (nonZero[index] - nonZero[index - 1])
                    }
                } else {
                    rhos[i] = interpolation * nonZero[0]
                }
            } else if !nonZero.isEmpty {
                rhos[i] = nonZero.max() ?? 0
            }
            var low = 0.0
            var high = Double.infinity
            var mid = 1.0
            for _ in 0..<64 {
                var sum = 0.0
                for j in 1..<k {
                    let d = row[j] - rhos[i]
                    sum += d > 0 ? exp(-(d / mid)) : 1
                }
                if abs(sum - target) < tolerance { break }
                if sum > target {
                    high = mid
                    mid = (low + high) / 2
                } else {
                    low = mid
                    mid = high == .infinity ? mid * 2 : (low + high) / 2
                }
            }
            sigmas[i] = mid
            let floor = minimumScale * (rhos[i] > 0 ? row.reduce(0, +) / Double(k) : meanAll)
            if sigmas[i] < floor { sigmas[i] = floor }
        }
        return (sigmas, rhos)
    }
}
