/// What the stored sums give (SCIENCE.md, "NAP family"): means, confidence intervals, global
/// field power, contrastive and time-independent NAPs.
extension ProfileFile {
    /// How the grand average over groups weighs them for contrastive NAPs: equally (the
    /// reference code), or by their event counts.
    public enum GroupWeighting: String, Sendable, CaseIterable { case uniform, size }

    public func count(_ group: String) -> Int { accumulator.counts[group] ?? 0 }

    /// NAP_g of layer position `l`: sum / count, [W x C] time-major.
    public func mean(_ l: Int, group: String) -> [Double] {
        guard let sums = accumulator.sums[l][group] else { return [] }
        let n = Double(max(count(group), 1))
        return sums.sum.map { FixedPoint.double($0) / n }
    }

    /// The standard error of each cell of NAP_g: sample standard deviation / sqrt(n) (0 for n < 2).
    public func standardError(_ l: Int, group: String) -> [Double] {
        guard let sums = accumulator.sums[l][group] else { return [] }
        return Self.standardErrors(sum: sums.sum, sumOfSquares: sums.sumOfSquares, count: count(group))
    }

    /// Mean single-trial global field power of group g over the window, [W].
    public func gfpMean(_ l: Int, group: String) -> [Double] {
        guard let sums = accumulator.sums[l][group] else { return [] }
        let n = Double(max(count(group), 1))
        return sums.gfpSum.map { FixedPoint.double($0) / n }
    }

    public func gfpStandardError(_ l: Int, group: String) -> [Double] {
        guard let sums = accumulator.sums[l][group] else { return [] }
        return Self.standardErrors(sum: sums.gfpSum, sumOfSquares: sums.gfpSumOfSquares, count: count(group))
    }

    static func standardErrors(sum: [Int128], sumOfSquares: [Int128], count: Int) -> [Double] {
        guard count >= 2 else { return [Double](repeating: 0, count: sum.count) }
        let n = Double(count)
        return zip(sum, sumOfSquares).map { s, q in
            let total = FixedPoint.double(s)
            let variance = max(0, (FixedPoint.double(q) - total * total / n) / (n - 1))
            return (variance / n).squareRoot()
        }
    }

    /// Contrastive NAPs: NAP_g minus the average NAP over groups (equal weights, or weighted by
    /// event counts), each [W x C]. `among` restricts both the groups and their average to a
    /// subset (e.g. the phonemes two models share); nil means every group.
    public func contrastive(_ l: Int, weighting: GroupWeighting = .uniform, among: [String]? = nil)
        -> [String: [Double]]
    {
        let groups = among ?? groups
        let means = groups.map { mean(l, group: $0) }
        guard let size = means.first?.count else { return [:] }
        let weights = groups.map { weighting == .uniform ? 1.0 : Double(count($0)) }
        let total = weights.reduce(0, +)
        var grand = [Double](repeating: 0, count: size)
        for (w, m) in zip(weights, means) {
            for i in 0..<size { grand[i] += w * m[i] / total }
        }
        var result: [String: [Double]] = [:]
        for (group, m) in zip(groups, means) { result[group] = zip(m, grand).map { $0 - $1 } }
        return result
    }

    /// Time-independent NAPs: the contrastive NAP averaged over the window, one value per channel.
    public func timeIndependent(_ l: Int, weighting: GroupWeighting = .uniform, among: [String]? = nil)
        -> [String: [Double]]
    {
        let channels = layers[l].channels
        return contrastive(l, weighting: weighting, among: among).mapValues { values in
            let window = values.count / channels
            return (0..<channels).map { c in
                (0..<window).reduce(0.0) { $0 + values[$1 * channels + c] } / Double(window)
            }
        }
    }
}
