/// Pearson's and Spearman's correlation of two equal-length vectors, and average ranks: the
/// statistics representational similarity analysis and the explainers' sanity checks share.
public enum RankCorrelation {
    /// Pearson's correlation (NaN when either vector is constant or shorter than 2).
    public static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "pearson needs vectors of one length")
        let n = Double(a.count)
        guard a.count >= 2 else { return .nan }
        let ma = a.reduce(0, +) / n
        let mb = b.reduce(0, +) / n
        var sab = 0.0
        var saa = 0.0
        var sbb = 0.0
        for (x, y) in zip(a, b) {
            sab += (x - ma) * (y - mb)
            saa += (x - ma) * (x - ma)
            sbb += (y - mb) * (y - mb)
        }
        guard saa > 0, sbb > 0 else { return .nan }
        return sab / (saa * sbb).squareRoot()
    }

    /// Ranks 1...n with ties given their average rank (as scipy.stats.rankdata does).
    public static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var result = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let average = Double(i + j) / 2 + 1
            for k in i...j { result[order[k]] = average }
            i = j + 1
        }
        return result
    }

    /// Spearman's rank correlation (scipy.stats.spearmanr): Pearson's of the average ranks.
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double { pearson(ranks(a), ranks(b)) }
}
