/// One row of a linkage matrix in SciPy's convention: clusters `first` and `second` join at
/// `height` into a new cluster.
///
/// Concretely (`scipy.cluster.hierarchy.linkage`): with n leaves numbered 0 ..< n, merge k
/// (row k) creates cluster n + k; `first` and `second` are SciPy's `Z[k, 0]` and `Z[k, 1]`
/// and `height` is `Z[k, 2]` (the fourth column, the leaf count, follows from the tree).
public struct DendrogramMerge: Sendable, Equatable {
    public var first: Int
    public var second: Int
    public var height: Double

    public init(first: Int, second: Int, height: Double) {
        self.first = first
        self.second = second
        self.height = height
    }
}

/// A hierarchical clustering of n labelled leaves: what a dendrogram draws.
///
/// ```swift
/// // Z from scipy.cluster.hierarchy.linkage(embeddings, "average", metric="cosine")
/// let tree = DendrogramTree(
///     merges: z.map { DendrogramMerge(first: Int($0[0]), second: Int($0[1]), height: $0[2]) },
///     leafLabels: phonemes, leafColors: phonemes.map { classColor[$0] })
/// ```
public struct DendrogramTree: Sendable {
    /// n - 1 merges in SciPy's layout (see `DendrogramMerge`).
    public var merges: [DendrogramMerge]
    /// One label per leaf, e.g. a phoneme in IPA ("ʃ", "aɪ").
    public var leafLabels: [String]
    /// One colour per leaf, e.g. by phonetic class; nil: labels in the text colour and every
    /// branch dark grey.
    public var leafColors: [RGBColor]?

    public init(merges: [DendrogramMerge], leafLabels: [String], leafColors: [RGBColor]? = nil) {
        self.merges = merges
        self.leafLabels = leafLabels
        self.leafColors = leafColors
    }

    /// The number of leaves, n.
    public var leafCount: Int { leafLabels.count }

    /// Checks that the merges form one tree over the leaves, SciPy-style; parameter names in
    /// errors start with `prefix` ("left." in a tanglegram).
    ///
    /// Concretely: at least 2 leaves, n - 1 merges, merge k joining two different clusters
    /// made before it (ids below n + k), no cluster joined twice (so every cluster but the
    /// root is joined exactly once), heights finite and non-negative, one colour per leaf.
    func validate(prefix: String = "") throws {
        let invalid = FigureValidation.invalid
        let count = leafCount
        guard count >= 2 else { throw invalid("\(prefix)leafLabels.count", count, "at least 2 leaves") }
        guard merges.count == count - 1 else {
            throw invalid("\(prefix)merges.count", merges.count, "leafLabels.count - 1 = \(count - 1) merges")
        }
        var joined = [Bool](repeating: false, count: 2 * count - 1)
        for (k, merge) in merges.enumerated() {
            for (part, id) in [("first", merge.first), ("second", merge.second)] {
                let name = "\(prefix)merges[\(k)].\(part)"
                guard id >= 0 && id < count + k else {
                    throw invalid(
                        name, id, "a leaf (0 ..< \(count)) or an earlier merge's cluster (below \(count + k))")
                }
                guard !joined[id] else { throw invalid(name, id, "a cluster not joined by an earlier merge") }
                joined[id] = true
            }
            guard merge.height.isFinite && merge.height >= 0 else {
                throw invalid("\(prefix)merges[\(k)].height", merge.height, "a finite height >= 0")
            }
        }
        if let leafColors, leafColors.count != count {
            throw invalid("\(prefix)leafColors.count", leafColors.count, "one colour per leaf, \(count)")
        }
    }

    /// A leaf order given by the caller must hold every leaf once.
    static func validate(leafOrder: [Int]?, leafCount: Int, name: String) throws {
        guard let leafOrder else { return }
        let invalid = FigureValidation.invalid
        guard leafOrder.count == leafCount else {
            throw invalid("\(name).count", leafOrder.count, "every leaf once, \(leafCount) entries")
        }
        var seen = [Bool](repeating: false, count: leafCount)
        for (index, leaf) in leafOrder.enumerated() {
            guard leaf >= 0 && leaf < leafCount && !seen[leaf] else {
                throw invalid("\(name)[\(index)]", leaf, "a leaf 0 ..< \(leafCount) not listed before")
            }
            seen[leaf] = true
        }
    }
}

/// A legend entry: a label and the colour it stands for, e.g. a phonetic class.
public struct LegendEntry: Sendable, Equatable {
    public var label: String
    public var color: RGBColor

    public init(label: String, color: RGBColor) {
        self.label = label
        self.color = color
    }
}
