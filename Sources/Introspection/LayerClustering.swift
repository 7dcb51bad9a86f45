import Clustering
import Phonetics

/// How well one layer's profiles cluster by phonetic class (SCIENCE.md, "Clustering and
/// topography": the papers' dendrograms turned into numbers).
public struct LayerClusterScore: Sendable, Codable, Equatable {
    public var index: Int
    public var name: String
    public var groups: Int
    public var classes: Int
    /// Mean silhouette of the groups under their phonetic classes, on the clustering's distances.
    public var silhouette: Double
    /// Adjusted Rand index and purity of the dendrogram cut into as many clusters as there are classes.
    public var adjustedRandIndex: Double
    public var purity: Double
    /// Pearson's correlation of cophenetic and original distances: how faithful the tree is.
    public var copheneticCorrelation: Double

    public init(
        index: Int, name: String, groups: Int, classes: Int, silhouette: Double, adjustedRandIndex: Double,
        purity: Double, copheneticCorrelation: Double
    ) {
        self.index = index
        self.name = name
        self.groups = groups
        self.classes = classes
        self.silhouette = silhouette
        self.adjustedRandIndex = adjustedRandIndex
        self.purity = purity
        self.copheneticCorrelation = copheneticCorrelation
    }
}

/// The dendrogram of one layer: groups clustered by their time-independent NAPs.
public struct LayerDendrogram: Sendable {
    public var groups: [String]
    public var classes: [String]
    public var linkage: LinkageMatrix
    public var distances: CondensedDistances
    public var score: LayerClusterScore

    public init(
        groups: [String], classes: [String], linkage: LinkageMatrix, distances: CondensedDistances,
        score: LayerClusterScore
    ) {
        self.groups = groups
        self.classes = classes
        self.linkage = linkage
        self.distances = distances
        self.score = score
    }
}

public enum LayerClustering {
    /// The class a group is scored against: for phonemes their phonetic class (SCIENCE.md's
    /// seven), for classes the class itself, for letters "vowel letter" / "consonant letter" /
    /// "other" (letters have no sound class; this split is the crudest one a letter model could
    /// learn).
    public static func phoneticClass(of group: String, unit: ProfileOptions.Unit) -> String {
        switch unit {
        case .phoneticClass:
            return group
        case .letter:
            guard group.count == 1, let letter = group.first, letter.isLetter else { return "other" }
            return "aeiouyäöü".contains(letter) ? "vowel letter" : "consonant letter"
        case .phoneme:
            return PhonemeInventory.phoneme(group)?.phoneticClass.rawValue ?? "other"
        }
    }

    /// Each group's time-independent contrastive NAP in layer `l`, group after group in the
    /// file's order (`file.groups`), one value per unit: the points that clustering and the
    /// projections describe the groups by. A group missing from the layer gets zeros.
    public static func profileMatrix(
        _ file: ProfileFile, layer l: Int, weighting: ProfileFile.GroupWeighting = .uniform
    ) -> [Double] {
        let profiles = file.timeIndependent(l, weighting: weighting)
        let channels = file.layers[l].channels
        return file.groups.flatMap { profiles[$0] ?? [Double](repeating: 0, count: channels) }
    }

    /// Clusters the groups of layer position `l` of `file` by their time-independent contrastive
    /// NAPs (the reference: cosine distance, average linkage, optimal leaf ordering) and scores
    /// the tree against the groups' classes.
    public static func dendrogram(
        _ file: ProfileFile, layer l: Int, metric: DistanceMetric = .cosine, method: LinkageMethod = .average,
        optimalOrdering: Bool = true, weighting: ProfileFile.GroupWeighting = .uniform
    ) throws -> LayerDendrogram {
        let groups = file.groups
        let data = profileMatrix(file, layer: l, weighting: weighting)
        let channels = file.layers[l].channels
        if method.requiresEuclidean && metric != .euclidean {
            throw ClusteringError.requiresEuclidean(method: method, metric: metric)
        }
        // The distances once, for the tree and for its scores.
        let distances = try PairwiseDistances.compute(data, rows: groups.count, dimension: channels, metric: metric)
        let linkage = try HierarchicalClustering.linkage(
            distances: distances, method: method, optimalOrdering: optimalOrdering)
        let classes = groups.map { phoneticClass(of: $0, unit: file.info.options.unit) }
        let names = Array(Set(classes)).sorted()
        let truth = classes.map { names.firstIndex(of: $0) ?? 0 }
        let k = max(2, min(names.count, groups.count))
        let cut = try HierarchicalClustering.clusters(linkage, count: k)
        let score = LayerClusterScore(
            index: file.layers[l].index, name: file.layers[l].name, groups: groups.count, classes: names.count,
            silhouette: try ClusterScores.silhouette(labels: truth, distances: distances),
            adjustedRandIndex: try ClusterScores.adjustedRandIndex(cut, truth),
            purity: try ClusterScores.purity(predicted: cut, truth: truth),
            copheneticCorrelation: try HierarchicalClustering.copheneticCorrelation(linkage, distances: distances))
        return LayerDendrogram(groups: groups, classes: classes, linkage: linkage, distances: distances, score: score)
    }
}
