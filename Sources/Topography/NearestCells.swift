import COpenBLAS

/// Nearest cells by euclidean distance, fast and exact where it matters.
///
/// Concretely: `|x - w_c|^2 = |x|^2 + s_c` with the score `s_c = |w_c|^2 - 2 x . w_c`, computed
/// for all cells with one `dgemv` (one `dgemm` for a batch). The score loses digits when
/// distances are small next to the norms, so every cell whose score is within
/// `1e-10 (|x|^2 + max |w|^2)` of the best (or second best) is measured again directly, and the
/// exact distances decide; exact ties go to the cell first in MiniSom's order (column-major),
/// as its `argmin` would.
enum NearestCells {
    /// Relative width of the band of scores that are measured again directly.
    static let refinementBand = 1e-10

    /// `sum_k (x_k - w_k)^2`, summed in order so identical weights give identical distances.
    static func squaredDistance(_ x: UnsafePointer<Double>, _ w: UnsafePointer<Double>, dimension: Int) -> Double {
        var sum = 0.0
        for k in 0..<dimension {
            let difference = x[k] - w[k]
            sum += difference * difference
        }
        return sum
    }

    /// The `k` (1 or 2) nearest cells to `x` with their squared distances, nearest first.
    ///
    /// `scores` holds `|w_c|^2 - 2 x . w_c` for every cell, `norms` `|w_c|^2` (only their maximum
    /// is used, for the band), `xNorm` is `|x|^2`, `weights` cells x dimension, row-major.
    static func nearest(
        k: Int, scores: UnsafePointer<Double>, norms: UnsafePointer<Double>, x: UnsafePointer<Double>,
        xNorm: Double, weights: UnsafePointer<Double>, dimension: Int, grid: SOMGrid
    ) -> [(cell: Int, squaredDistance: Double)] {
        let cells = grid.cellCount
        var best = (score: Double.infinity, cell: -1)
        var second = (score: Double.infinity, cell: -1)
        var maximumNorm = 0.0
        for c in 0..<cells {
            let s = scores[c]
            maximumNorm = max(maximumNorm, norms[c])
            if s < best.score {
                second = best
                best = (s, c)
            } else if s < second.score {
                second = (s, c)
            }
        }
        let reference = k == 1 || second.cell < 0 ? best.score : second.score
        let threshold = reference + refinementBand * (xNorm + maximumNorm)
        var candidates: [(cell: Int, squaredDistance: Double)] = []
        for c in 0..<cells where scores[c] <= threshold {
            candidates.append((c, squaredDistance(x, weights + c * dimension, dimension: dimension)))
        }
        if candidates.isEmpty {  // Non-finite scores: fall back to the plain order.
            candidates = [
                (max(best.cell, 0), squaredDistance(x, weights + max(best.cell, 0) * dimension, dimension: dimension))
            ]
        }
        if candidates.count > 1 {
            candidates.sort {
                $0.squaredDistance != $1.squaredDistance
                    ? $0.squaredDistance < $1.squaredDistance : grid.miniSomIndex($0.cell) < grid.miniSomIndex($1.cell)
            }
        }
        return Array(candidates.prefix(k))
    }

    /// `|w_c|^2` for every cell.
    static func squaredNorms(weights: [Double], cells: Int, dimension: Int) -> [Double] {
        weights.withUnsafeBufferPointer { w in
            (0..<cells).map { c in
                guard let base = w.baseAddress else { return 0 }
                return cblas_ddot(Int32(dimension), base + c * dimension, 1, base + c * dimension, 1)
            }
        }
    }

    /// The `k` nearest cells of every item of `data` (count x dimension), in batches of one `dgemm`.
    static func nearest(
        k: Int, data: [Double], count: Int, weights: [Double], dimension: Int, grid: SOMGrid
    ) -> [[(cell: Int, squaredDistance: Double)]] {
        let cells = grid.cellCount
        let norms = squaredNorms(weights: weights, cells: cells, dimension: dimension)
        let batch = max(1, min(count, 1 << 20 / max(cells, 1)))
        var dots = [Double](repeating: 0, count: batch * cells)
        var scores = [Double](repeating: 0, count: cells)
        var result: [[(cell: Int, squaredDistance: Double)]] = []
        result.reserveCapacity(count)
        data.withUnsafeBufferPointer { dataBuffer in
            weights.withUnsafeBufferPointer { weightBuffer in
                norms.withUnsafeBufferPointer { normBuffer in
                    guard let x0 = dataBuffer.baseAddress, let w = weightBuffer.baseAddress,
                        let n = normBuffer.baseAddress
                    else { return }
                    var start = 0
                    while start < count {
                        let rows = min(batch, count - start)
                        cblas_dgemm(
                            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(cells), Int32(dimension), 1,
                            x0 + start * dimension, Int32(dimension), w, Int32(dimension), 0, &dots, Int32(cells))
                        for item in 0..<rows {
                            let x = x0 + (start + item) * dimension
                            for c in 0..<cells { scores[c] = n[c] - 2 * dots[item * cells + c] }
                            let xNorm = cblas_ddot(Int32(dimension), x, 1, x, 1)
                            result.append(
                                nearest(
                                    k: k, scores: scores, norms: n, x: x, xNorm: xNorm, weights: w,
                                    dimension: dimension, grid: grid))
                        }
                        start += rows
                    }
                }
            }
        }
        return result
    }
}
