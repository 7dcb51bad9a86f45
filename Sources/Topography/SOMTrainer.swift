import COpenBLAS

/// How the training loop holds the weights while it runs.
enum TrainingStrategy: Sendable, CaseIterable {
    /// `.dataSpace` when there are at most half as many items as features (and at most 4096
    /// items), `.direct` otherwise.
    case automatic
    /// Weights as they are: per step one `dgemv` over all cells for the winner and one pass of
    /// `dimension` over each active cell.
    case direct
    /// Weights as combinations of the data rows (see `SOMTrainer.trainInDataSpace`): per step
    /// work in `count`, not `dimension`, and one `dgemm` at the end.
    case dataSpace
}

/// The training loop of MiniSom's `train(data, T, random_order=True)` for a given start and
/// sample order: for each step `t`, the winner of `x = data[order[t]]`, then for every cell
/// `w += g(t, cell) (x - w)` with `GaussianNeighbourhood`'s `g`.
enum SOMTrainer {
    /// The `.automatic` choice for `count` items of `dimension` features.
    static func resolved(_ strategy: TrainingStrategy, count: Int, dimension: Int) -> TrainingStrategy {
        guard strategy == .automatic else { return strategy }
        return 2 * count <= dimension && count <= 4096 ? .dataSpace : .direct
    }

    /// The trained weights (cells x dimension, row-major) from `initialWeights` (cells x
    /// dimension) with the item of each step in `order`.
    ///
    /// `initialRows`, when each initial weight is a data row, says which (lets `.dataSpace` start
    /// exactly, so that cells that start equal stay tied as they do in MiniSom). `iterations` is
    /// MiniSom's `num_iteration`, the `T` of the decays: `order.count` unless given (less only to
    /// stop part way, as the tests do). Steps below `negligibleStep` are skipped (0: update all).
    static func train(
        data: [Double], count: Int, dimension: Int, grid: SOMGrid, sigma: Double, learningRate: Double,
        initialWeights: [Double], initialRows: [Int]?, order: [Int], iterations: Int? = nil,
        strategy: TrainingStrategy = .automatic, negligibleStep: Double = 1e-16
    ) -> [Double] {
        precondition(initialWeights.count == grid.cellCount * dimension && data.count == count * dimension)
        precondition(order.allSatisfy { (0..<count).contains($0) })
        var neighbourhood = GaussianNeighbourhood(
            grid: grid, sigma: sigma, learningRate: learningRate, iterations: iterations ?? order.count,
            negligibleStep: negligibleStep)
        switch resolved(strategy, count: count, dimension: dimension) {
        case .dataSpace:
            return trainInDataSpace(
                data: data, count: count, dimension: dimension, grid: grid, initialWeights: initialWeights,
                initialRows: initialRows, order: order, neighbourhood: &neighbourhood)
        case .direct, .automatic:
            if grid.cellCount * dimension <= 1 << 16 {
                return trainDirectlyInDouble(
                    data: data, dimension: dimension, grid: grid, initialWeights: initialWeights, order: order,
                    neighbourhood: &neighbourhood)
            }
            return trainDirectly(
                data: data, dimension: dimension, grid: grid, initialWeights: initialWeights, order: order,
                neighbourhood: &neighbourhood)
        }
    }

    /// The weights updated in place; the winner screened in single precision and decided in double.
    ///
    /// Concretely: distances do not change when the data mean `m` is subtracted from items and
    /// weights, so a `Float` copy of `w_c - m` is kept next to the weights and one `sgemv` gives
    /// the scores `|w_c - m|^2 - 2 (x - m) . (w_c - m)`. Rounding to `Float` and summing `d`
    /// terms in single precision moves a score by at most about `(d + 8) 2^-24 (|x - m|^2 +
    /// |w_c - m|^2)`, so every cell within twice that, `(d + 8) 2^-22 (|x - m|^2 + max |w - m|^2)`,
    /// of the best score is measured again in double precision on the original values: the
    /// winner is the one exact distances pick (as `NearestCells`), at half the memory traffic of
    /// a `dgemv` (the search is memory-bound). Subtracting the mean keeps the band narrow.
    static func trainDirectly(
        data: [Double], dimension: Int, grid: SOMGrid, initialWeights: [Double], order: [Int],
        neighbourhood: inout GaussianNeighbourhood
    ) -> [Double] {
        let cells = grid.cellCount
        let count = data.count / dimension
        var mean = [Double](repeating: 0, count: dimension)
        for i in 0..<count {
            for k in 0..<dimension { mean[k] += data[i * dimension + k] }
        }
        for k in 0..<dimension { mean[k] /= Double(count) }
        var centredData = [Float](repeating: 0, count: data.count)
        for i in 0..<count {
            for k in 0..<dimension { centredData[i * dimension + k] = Float(data[i * dimension + k] - mean[k]) }
        }
        let centredNorms = (0..<count).map { i in
            (0..<dimension).reduce(0.0) { sum, k in
                let v = Double(centredData[i * dimension + k])
                return sum + v * v
            }
        }
        var weights = initialWeights
        var shadow = [Float](repeating: 0, count: cells * dimension)  // Float(w - m)
        var norms = [Double](repeating: 0, count: cells)  // |Float(w - m)|^2, in double
        let dots = UnsafeMutablePointer<Float>.allocate(capacity: cells)
        defer { dots.deallocate() }
        let band = Double(dimension + 8) * 0x1p-22
        let dim = Int32(dimension)
        data.withUnsafeBufferPointer { dataBuffer in
            weights.withUnsafeMutableBufferPointer { weightBuffer in
                shadow.withUnsafeMutableBufferPointer { shadowBuffer in
                    norms.withUnsafeMutableBufferPointer { normBuffer in
                        centredData.withUnsafeBufferPointer { centredBuffer in
                            mean.withUnsafeBufferPointer { meanBuffer in
                                guard let x0 = dataBuffer.baseAddress, let w = weightBuffer.baseAddress,
                                    let f = shadowBuffer.baseAddress, let n = normBuffer.baseAddress,
                                    let xc0 = centredBuffer.baseAddress, let m = meanBuffer.baseAddress
                                else { return }
                                for c in 0..<cells {
                                    for k in 0..<dimension { f[c * dimension + k] = Float(w[c * dimension + k] - m[k]) }
                                    n[c] = squaredNorm(f + c * dimension, count: dimension)
                                }
                                for (t, item) in order.enumerated() {
                                    let x = x0 + item * dimension
                                    cblas_sgemv(
                                        CblasRowMajor, CblasNoTrans, Int32(cells), dim, 1, f, dim,
                                        xc0 + item * dimension, 1, 0, dots, 1)
                                    let winner = screenedWinner(
                                        dots: dots, norms: n, xNorm: centredNorms[item], band: band, x: x, weights: w,
                                        dimension: dimension, grid: grid)
                                    neighbourhood.compute(winner: winner, step: t)
                                    neighbourhood.withActiveSteps { active, steps in
                                        for cell in active {
                                            let g = steps[cell]
                                            let row = w + cell * dimension
                                            let shadowRow = f + cell * dimension
                                            for k in 0..<dimension {
                                                row[k] += g * (x[k] - row[k])
                                                shadowRow[k] = Float(row[k] - m[k])
                                            }
                                            n[cell] = squaredNorm(shadowRow, count: dimension)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return weights
    }

    /// `.direct` for small maps (weights within 512 KiB, where the search is not memory-bound):
    /// one `dgemv` gives `x . w_c`, the winner is refined as in `NearestCells` (band 1e-10), and
    /// `|w_c|^2` follows the update without another pass, `|w'|^2 = (1 - g)^2 |w|^2 + 2 g (1 - g)
    /// x . w + g^2 |x|^2` (its rounding, far inside the band, never decides: exact distances do).
    static func trainDirectlyInDouble(
        data: [Double], dimension: Int, grid: SOMGrid, initialWeights: [Double], order: [Int],
        neighbourhood: inout GaussianNeighbourhood
    ) -> [Double] {
        let cells = grid.cellCount
        let count = data.count / dimension
        var weights = initialWeights
        var norms = NearestCells.squaredNorms(weights: weights, cells: cells, dimension: dimension)
        let itemNorms = NearestCells.squaredNorms(weights: data, cells: count, dimension: dimension)
        let dots = UnsafeMutablePointer<Double>.allocate(capacity: cells)
        defer { dots.deallocate() }
        let dim = Int32(dimension)
        data.withUnsafeBufferPointer { dataBuffer in
            weights.withUnsafeMutableBufferPointer { weightBuffer in
                norms.withUnsafeMutableBufferPointer { normBuffer in
                    guard let x0 = dataBuffer.baseAddress, let w = weightBuffer.baseAddress,
                        let n = normBuffer.baseAddress
                    else { return }
                    for (t, item) in order.enumerated() {
                        let x = x0 + item * dimension
                        let xNorm = itemNorms[item]
                        cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(cells), dim, 1, w, dim, x, 1, 0, dots, 1)
                        let winner = screenedWinner(
                            dots: dots, norms: n, xNorm: xNorm, band: NearestCells.refinementBand, x: x, weights: w,
                            dimension: dimension, grid: grid)
                        neighbourhood.compute(winner: winner, step: t)
                        neighbourhood.withActiveSteps { active, steps in
                            for cell in active {
                                let g = steps[cell]
                                let keep = 1 - g
                                n[cell] = keep * keep * n[cell] + 2 * g * keep * dots[cell] + g * g * xNorm
                                let row = w + cell * dimension
                                for k in 0..<dimension { row[k] += g * (x[k] - row[k]) }
                            }
                        }
                    }
                }
            }
        }
        return weights
    }

    /// `sum_k v_k^2` in double precision, four running sums (a BLAS call costs more at these sizes).
    @inline(__always)
    static func squaredNorm(_ v: UnsafePointer<Float>, count: Int) -> Double {
        var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
        var k = 0
        while k + 4 <= count {
            let (a, b, c, d) = (Double(v[k]), Double(v[k + 1]), Double(v[k + 2]), Double(v[k + 3]))
            s0 += a * a
            s1 += b * b
            s2 += c * c
            s3 += d * d
            k += 4
        }
        while k < count {
            let a = Double(v[k])
            s0 += a * a
            k += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// The cell with the least exact distance among those whose single-precision score
    /// `norms[c] - 2 dots[c]` is within `band (xNorm + max norms)` of the best (see
    /// `trainDirectly`); exact ties to the cell first in MiniSom's order.
    static func screenedWinner<Dot: BinaryFloatingPoint>(
        dots: UnsafePointer<Dot>, norms: UnsafePointer<Double>, xNorm: Double, band: Double, x: UnsafePointer<Double>,
        weights: UnsafePointer<Double>, dimension: Int, grid: SOMGrid
    ) -> Int {
        let cells = grid.cellCount
        var best = Double.infinity
        var winner = 0
        var maximumNorm = 0.0
        for c in 0..<cells {
            let s = norms[c] - 2 * Double(dots[c])
            if s < best {
                best = s
                winner = c
            }
            if norms[c] > maximumNorm { maximumNorm = norms[c] }
        }
        let threshold = best + band * (xNorm + maximumNorm)
        var exactBest = Double.infinity
        var candidates = 0
        for c in 0..<cells where norms[c] - 2 * Double(dots[c]) <= threshold { candidates += 1 }
        guard candidates > 1 else { return winner }
        for c in 0..<cells where norms[c] - 2 * Double(dots[c]) <= threshold {
            let d = NearestCells.squaredDistance(x, weights + c * dimension, dimension: dimension)
            if d < exactBest || (d == exactBest && grid.miniSomIndex(c) < grid.miniSomIndex(winner)) {
                exactBest = d
                winner = c
            }
        }
        return winner
    }

    /// Training with each weight kept as `w_c = a_c w0_c + sum_i B[c, i] x_i`.
    ///
    /// Concretely, with the items' Gram matrix `K = X X^T` and `G[c, i] = x_i . w_c`, the update
    /// `w_c += g (x_t - w_c)` becomes, in `O(count)` per cell:
    ///
    ///     |w_c|^2 <- (1 - g)^2 |w_c|^2 + 2 g (1 - g) G[c, t] + g^2 K[t, t]
    ///     G[c, :] += g (K[t, :] - G[c, :]);   B[c, :] -= g B[c, :];   B[c, t] += g;   a_c -= g a_c
    ///
    /// and the winner of `x_t` is the least `|w_c|^2 - 2 G[c, t]` (exact ties in MiniSom's order).
    /// The weights are formed once at the end, `W = diag(a) W0 + B X` (one `dgemm`). For 250
    /// filters of 6144 values this is two orders of magnitude less work per step than `.direct`.
    static func trainInDataSpace(
        data: [Double], count: Int, dimension: Int, grid: SOMGrid, initialWeights: [Double], initialRows: [Int]?,
        order: [Int], neighbourhood: inout GaussianNeighbourhood
    ) -> [Double] {
        let cells = grid.cellCount
        let n = count
        let (dim, n32, cells32) = (Int32(dimension), Int32(count), Int32(cells))
        var gram = [Double](repeating: 0, count: n * n)
        var projections = [Double](repeating: 0, count: cells * n)  // G, cells x n
        var coefficients = [Double](repeating: 0, count: cells * n)  // B, cells x n
        var own = [Double](repeating: 0, count: cells)  // a
        var norms = [Double](repeating: 0, count: cells)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n32, n32, dim, 1, data, dim, data, dim, 0, &gram, n32)
        if let initialRows {
            for c in 0..<cells {
                let row = initialRows[c]
                for i in 0..<n { projections[c * n + i] = gram[row * n + i] }
                coefficients[c * n + row] = 1
                norms[c] = gram[row * n + row]
            }
        } else {
            cblas_dgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, cells32, n32, dim, 1, initialWeights, dim, data, dim, 0,
                &projections, n32)
            norms = NearestCells.squaredNorms(weights: initialWeights, cells: cells, dimension: dimension)
            for c in 0..<cells { own[c] = 1 }
        }
        gram.withUnsafeBufferPointer { kBuffer in
            projections.withUnsafeMutableBufferPointer { gBuffer in
                coefficients.withUnsafeMutableBufferPointer { bBuffer in
                    guard let k = kBuffer.baseAddress, let gp = gBuffer.baseAddress, let b = bBuffer.baseAddress
                    else { return }
                    for (t, item) in order.enumerated() {
                        var winner = 0
                        var best = Double.infinity
                        for c in 0..<cells {
                            let s = norms[c] - 2 * gp[c * n + item]
                            if s < best || (s == best && grid.miniSomIndex(c) < grid.miniSomIndex(winner)) {
                                best = s
                                winner = c
                            }
                        }
                        neighbourhood.compute(winner: winner, step: t)
                        let kRow = k + item * n
                        let kSelf = kRow[item]
                        for cell in neighbourhood.activeCells {
                            let g = neighbourhood.steps[cell]
                            let gRow = gp + cell * n
                            let bRow = b + cell * n
                            let keep = 1 - g
                            norms[cell] = keep * keep * norms[cell] + 2 * g * keep * gRow[item] + g * g * kSelf
                            for i in 0..<n {
                                gRow[i] += g * (kRow[i] - gRow[i])
                                bRow[i] -= g * bRow[i]
                            }
                            bRow[item] += g
                            own[cell] -= g * own[cell]
                        }
                    }
                }
            }
        }
        var weights = [Double](repeating: 0, count: cells * dimension)
        cblas_dgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, cells32, dim, n32, 1, coefficients, n32, data, dim, 0,
            &weights, dim)
        if initialRows == nil {
            for c in 0..<cells where own[c] != 0 {
                for j in 0..<dimension { weights[c * dimension + j] += own[c] * initialWeights[c * dimension + j] }
            }
        }
        return weights
    }
}
