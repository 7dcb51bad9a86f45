/// How well a flat clustering fits the distances or a reference labelling (SCIENCE.md,
/// "Clustering and topography": silhouette, adjusted Rand index and purity of a k-cut against
/// phonetic classes). Labels are any integers; only equality matters.
public enum ClusterScores {
    /// The mean silhouette, equal to `sklearn.metrics.silhouette_score(D, labels, metric="precomputed")`.
    ///
    /// Concretely, for item i with a(i) the mean distance to the other members of its cluster and
    /// b(i) the smallest mean distance to the members of another cluster:
    /// s(i) = (b - a) / max(a, b); s(i) = 0 for an item alone in its cluster and where a = b = 0
    /// (scikit-learn's `nan_to_num`). The score is the mean of s over all items, in [-1, 1].
    ///
    /// - Throws: ``ClusteringError/countMismatch(what:expected:actual:)`` unless there is one
    ///   label per item; ``ClusteringError/invalidLabelCount(labels:items:)`` unless there are
    ///   2 to n - 1 distinct labels (scikit-learn refuses the rest too).
    public static func silhouette(labels: [Int], distances: CondensedDistances) throws -> Double {
        let n = distances.count
        guard labels.count == n else {
            throw ClusteringError.countMismatch(what: "labels of \(n) items", expected: n, actual: labels.count)
        }
        let (cluster, clusterCount) = denseLabels(labels)
        guard clusterCount >= 2 && clusterCount <= n - 1 else {
            throw ClusteringError.invalidLabelCount(labels: clusterCount, items: n)
        }
        var members = [Double](repeating: 0, count: clusterCount)
        for c in cluster { members[c] += 1 }
        // sums[i * clusterCount + c]: the sum of distances from item i to the members of cluster c.
        var sums = [Double](repeating: 0, count: n * clusterCount)
        var position = 0
        for i in 0..<n {
            for j in (i + 1)..<n {
                let value = distances.values[position]
                sums[i * clusterCount + cluster[j]] += value
                sums[j * clusterCount + cluster[i]] += value
                position += 1
            }
        }
        var total = 0.0
        for i in 0..<n {
            let own = cluster[i]
            guard members[own] > 1 else { continue }
            let a = sums[i * clusterCount + own] / (members[own] - 1)
            var b = Double.infinity
            for c in 0..<clusterCount where c != own {
                b = min(b, sums[i * clusterCount + c] / members[c])
            }
            let scale = max(a, b)
            if scale > 0 { total += (b - a) / scale }
        }
        return total / Double(n)
    }

    /// The adjusted Rand index of two labellings, equal to `sklearn.metrics.adjusted_rand_score`.
    ///
    /// Concretely, with pair counts (each unordered pair of items counted twice, as scikit-learn's
    /// `pair_confusion_matrix`) tp: together in both, tn: apart in both, fp, fn: together in one
    /// only: ARI = 2 (tp tn - fn fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn)); 1 when the
    /// labellings agree on every pair (including n < 2). Symmetric; 0 in expectation for random
    /// labellings, 1 for identical partitions. Counts are exact (Int128).
    ///
    /// - Throws: ``ClusteringError/countMismatch(what:expected:actual:)`` unless the labellings
    ///   are of the same length.
    public static func adjustedRandIndex(_ a: [Int], _ b: [Int]) throws -> Double {
        guard a.count == b.count else {
            throw ClusteringError.countMismatch(
                what: "labels of the second labelling", expected: a.count, actual: b.count)
        }
        let (rowsOf, rowCount) = denseLabels(a)
        let (columnsOf, columnCount) = denseLabels(b)
        var cells: [Int: Int128] = [:]
        var rowSums = [Int128](repeating: 0, count: rowCount)
        var columnSums = [Int128](repeating: 0, count: columnCount)
        for (r, c) in zip(rowsOf, columnsOf) {
            cells[r * columnCount + c, default: 0] += 1
            rowSums[r] += 1
            columnSums[c] += 1
        }
        let count = Int128(a.count)
        let sumSquares = cells.values.reduce(Int128(0)) { $0 + $1 * $1 }
        var rowDot: Int128 = 0  // sum over cells of n_rc * (size of column c)
        var columnDot: Int128 = 0  // sum over cells of n_rc * (size of row r)
        for (key, value) in cells {
            rowDot += value * columnSums[key % columnCount]
            columnDot += value * rowSums[key / columnCount]
        }
        let tp = sumSquares - count
        let fp = rowDot - sumSquares
        let fn = columnDot - sumSquares
        let tn = count * count - fp - fn - sumSquares
        if fn == 0 && fp == 0 { return 1 }
        let numerator = 2 * (tp * tn - fn * fp)
        let denominator = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn)
        return Double(numerator) / Double(denominator)
    }

    /// The purity of a clustering against reference classes: the fraction of items that belong
    /// to the most common class of their cluster.
    ///
    /// Concretely: (1/n) sum over clusters of max over classes of |cluster ∩ class|; 1 when
    /// every cluster holds one class, and at least (largest class)/n... for one cluster.
    ///
    /// - Throws: ``ClusteringError/countMismatch(what:expected:actual:)`` unless there is one
    ///   class per item, ``ClusteringError/tooFewItems(count:)`` for no items.
    public static func purity(predicted: [Int], truth: [Int]) throws -> Double {
        guard predicted.count == truth.count else {
            throw ClusteringError.countMismatch(
                what: "true classes of the items", expected: predicted.count, actual: truth.count)
        }
        guard !predicted.isEmpty else { throw ClusteringError.tooFewItems(count: 0) }
        var cells: [Int: [Int: Int]] = [:]
        for (p, t) in zip(predicted, truth) { cells[p, default: [:]][t, default: 0] += 1 }
        let correct = cells.values.reduce(0) { $0 + ($1.values.max() ?? 0) }
        return Double(correct) / Double(predicted.count)
    }

    /// Labels renumbered 0..<count in order of first appearance, and the count.
    static func denseLabels(_ labels: [Int]) -> ([Int], Int) {
        var numbers: [Int: Int] = [:]
        let dense = labels.map { label in
            if let number = numbers[label] { return number }
            let number = numbers.count
            numbers[label] = number
            return number
        }
        return (dense, numbers.count)
    }
}
