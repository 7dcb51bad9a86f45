import Clustering
import Foundation

/// Numbers that say how alike two sets of representations are: rank correlation of their
/// distance structures (representational similarity analysis) and linear centred kernel
/// alignment (CKA, Kornblith et al. 2019).
public enum RepresentationSimilarity {
    /// Pearson's correlation of two equal-length vectors (NaN when either is constant).
    public static func pearson(_ a: [Double], _ b: [Double]) -> Double { RankCorrelation.pearson(a, b) }

    /// Ranks 1...n with ties given their average rank (as scipy.stats.rankdata does).
    public static func ranks(_ values: [Double]) -> [Double] { RankCorrelation.ranks(values) }

    /// Spearman's rank correlation (scipy.stats.spearmanr): Pearson's of the average ranks.
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double { RankCorrelation.spearman(a, b) }

    /// Linear CKA between X [n x p] and Y [n x q] (row-major, rows are the same n stimuli).
    ///
    /// Concretely: with columns centred, CKA = ||Y^T X||_F^2 / (||X^T X||_F ||Y^T Y||_F), which is 1
    /// when Y is X rotated or uniformly scaled and 0 when the two share no linear structure. NaN
    /// when either matrix is constant.
    public static func linearCKA(x: [Double], y: [Double], count n: Int, xDimension p: Int, yDimension q: Int)
        -> Double
    {
        precondition(x.count == n * p && y.count == n * q, "CKA needs n x p and n x q matrices")
        let cx = centred(x, rows: n, columns: p)
        let cy = centred(y, rows: n, columns: q)
        return n > max(p, q)
            ? featureSpaceCKA(cx, cy, count: n, xDimension: p, yDimension: q)
            : stimulusSpaceCKA(cx, cy, count: n, xDimension: p, yDimension: q)
    }

    /// CKA from the p x p, q x q and q x p products (cheaper for many stimuli); centred inputs.
    static func featureSpaceCKA(_ cx: [Double], _ cy: [Double], count n: Int, xDimension p: Int, yDimension q: Int)
        -> Double
    {
        let xt = transposed(cx, rows: n, columns: p)
        let yt = transposed(cy, rows: n, columns: q)
        let xx = gram(xt, rows: p, columns: n).reduce(0) { $0 + $1 * $1 }.squareRoot()
        let yy = gram(yt, rows: q, columns: n).reduce(0) { $0 + $1 * $1 }.squareRoot()
        var cross = 0.0
        for i in 0..<q {
            for j in 0..<p {
                var s = 0.0
                for r in 0..<n { s += yt[i * n + r] * xt[j * n + r] }
                cross += s * s
            }
        }
        guard xx > 0, yy > 0 else { return .nan }
        return cross / (xx * yy)
    }

    /// CKA from the n x n Gram matrices, ||Y^T X||_F^2 = <X X^T, Y Y^T>_F (cheaper for few
    /// stimuli); centred inputs.
    static func stimulusSpaceCKA(_ cx: [Double], _ cy: [Double], count n: Int, xDimension p: Int, yDimension q: Int)
        -> Double
    {
        let kx = gram(cx, rows: n, columns: p)
        let ky = gram(cy, rows: n, columns: q)
        var cross = 0.0
        var xx = 0.0
        var yy = 0.0
        for i in 0..<(n * n) {
            cross += kx[i] * ky[i]
            xx += kx[i] * kx[i]
            yy += ky[i] * ky[i]
        }
        guard xx > 0, yy > 0 else { return .nan }
        return cross / (xx.squareRoot() * yy.squareRoot())
    }

    static func centred(_ m: [Double], rows: Int, columns: Int) -> [Double] {
        var result = m
        for c in 0..<columns {
            var mean = 0.0
            for r in 0..<rows { mean += m[r * columns + c] }
            mean /= Double(rows)
            for r in 0..<rows { result[r * columns + c] -= mean }
        }
        return result
    }

    static func transposed(_ m: [Double], rows: Int, columns: Int) -> [Double] {
        var result = [Double](repeating: 0, count: m.count)
        for r in 0..<rows {
            for c in 0..<columns { result[c * rows + r] = m[r * columns + c] }
        }
        return result
    }

    static func gram(_ m: [Double], rows: Int, columns: Int) -> [Double] {
        var result = [Double](repeating: 0, count: rows * rows)
        for i in 0..<rows {
            for j in i..<rows {
                var s = 0.0
                for c in 0..<columns { s += m[i * columns + c] * m[j * columns + c] }
                result[i * rows + j] = s
                result[j * rows + i] = s
            }
        }
        return result
    }

    /// Cosine similarity of two vectors (0 when either is all zeros).
    public static func cosineSimilarity(_ a: [Double], _ b: [Double]) -> Double {
        var ab = 0.0
        var aa = 0.0
        var bb = 0.0
        for (x, y) in zip(a, b) {
            ab += x * y
            aa += x * x
            bb += y * y
        }
        guard aa > 0, bb > 0 else { return 0 }
        return ab / (aa * bb).squareRoot()
    }

    /// The condensed (i < j, row by row) matrix of cosine distances 1 - cos between rows.
    public static func cosineDistances(_ rows: [[Double]]) -> [Double] {
        var result: [Double] = []
        for i in rows.indices {
            for j in (i + 1)..<rows.count { result.append(1 - cosineSimilarity(rows[i], rows[j])) }
        }
        return result
    }
}
