import Foundation

/// One layer of two models compared on the groups (phonemes) both profiles hold.
public struct LayerComparison: Sendable, Codable, Equatable {
    public var index: Int
    public var name: String
    /// Mean cosine similarity of a phoneme's time-independent NAP in model A and in model B,
    /// unit i against unit i (meaningful where units correspond, as in a model initialised from
    /// the other); nil when the layers' units cannot be paired.
    public var sameUnitSimilarity: Double?
    /// The same for different phonemes (A's p against B's q, p != q): the baseline.
    public var sameUnitSimilarityOtherPhonemes: Double?
    /// Representational similarity: Spearman's correlation of the two phoneme x phoneme cosine
    /// distance matrices of time-independent NAPs.
    public var rsa: Double
    /// Linear CKA of the two layers on matched conditions: rows are (phoneme, frame of the
    /// window) pairs, each the group's mean epoch at that frame.
    public var cka: Double
}

/// Two models' profiles side by side (SCIENCE.md: "early layers of an English and a German
/// model respond alike while predictions are language-specific").
public struct ProfileComparison: Sendable, Codable, Equatable {
    public var shared: [String]
    public var onlyFirst: [String]
    public var onlySecond: [String]
    public var layers: [LayerComparison]

    /// Compares the layers both files hold (matched by index). `unitLabels` pair the units of
    /// layers whose widths differ (the output layers of two alphabets) by label.
    public static func compare(
        _ a: ProfileFile, _ b: ProfileFile, outputLabels: (first: [String], second: [String])? = nil
    ) throws -> ProfileComparison {
        let shared = a.groups.filter { b.groups.contains($0) }
        guard shared.count >= 3 else {
            throw ProfileError.noEvents(
                reason:
                    "the two profiles share \(shared.count) groups (\(shared.joined(separator: " "))); comparing needs at least 3 (first: \(a.groups.joined(separator: " ")); second: \(b.groups.joined(separator: " ")))"
            )
        }
        var layers: [LayerComparison] = []
        for (la, layerA) in a.layers.enumerated() {
            guard let lb = b.layers.firstIndex(where: { $0.index == layerA.index }) else { continue }
            let layerB = b.layers[lb]
            let profilesA = timeIndependent(a, la, groups: shared)
            let profilesB = timeIndependent(b, lb, groups: shared)
            // Unit pairing: by index when the widths agree, by label for output layers.
            var pairs: [(Int, Int)]?
            if layerA.channels == layerB.channels {
                pairs = (0..<layerA.channels).map { ($0, $0) }
            } else if let labels = outputLabels, labels.first.count == layerA.channels,
                labels.second.count == layerB.channels
            {
                pairs = labels.first.enumerated().compactMap { i, label in
                    labels.second.firstIndex(of: label).map { (i, $0) }
                }
            }
            var same: Double?
            var other: Double?
            if let pairs, !pairs.isEmpty {
                func paired(_ p: [Double], _ q: [Double]) -> Double {
                    RepresentationSimilarity.cosineSimilarity(pairs.map { p[$0.0] }, pairs.map { q[$0.1] })
                }
                var sum = 0.0
                var otherSum = 0.0
                var otherCount = 0
                for i in shared.indices {
                    sum += paired(profilesA[i], profilesB[i])
                    for j in shared.indices where j != i {
                        otherSum += paired(profilesA[i], profilesB[j])
                        otherCount += 1
                    }
                }
                same = sum / Double(shared.count)
                other = otherSum / Double(max(1, otherCount))
            }
            let rsa = RepresentationSimilarity.spearman(
                RepresentationSimilarity.cosineDistances(profilesA), RepresentationSimilarity.cosineDistances(profilesB)
            )
            // CKA on (phoneme, frame) conditions: the windows must have the same length.
            let window = min(a.accumulator.window(la), b.accumulator.window(lb))
            let x = conditions(a, la, groups: shared, frames: window)
            let y = conditions(b, lb, groups: shared, frames: window)
            let cka = RepresentationSimilarity.linearCKA(
                x: x, y: y, count: shared.count * window, xDimension: layerA.channels, yDimension: layerB.channels)
            layers.append(
                LayerComparison(
                    index: layerA.index, name: layerA.name, sameUnitSimilarity: same,
                    sameUnitSimilarityOtherPhonemes: other, rsa: rsa, cka: cka))
        }
        return ProfileComparison(
            shared: shared, onlyFirst: a.groups.filter { !shared.contains($0) },
            onlySecond: b.groups.filter { !shared.contains($0) }, layers: layers)
    }

    /// Time-independent NAPs of `groups`, in their order, contrastive against the mean over
    /// those groups only.
    public static func timeIndependent(_ file: ProfileFile, _ l: Int, groups: [String]) -> [[Double]] {
        let profiles = file.timeIndependent(l, among: groups)
        return groups.map { profiles[$0] ?? [] }
    }

    /// The central `frames` frames of each group's mean epoch, stacked: [(groups x frames) x channels].
    static func conditions(_ file: ProfileFile, _ l: Int, groups: [String], frames: Int) -> [Double] {
        let channels = file.layers[l].channels
        var rows: [Double] = []
        for group in groups {
            let m = file.mean(l, group: group)
            let window = m.count / channels
            let first = (window - frames) / 2
            rows += m[(first * channels)..<((first + frames) * channels)]
        }
        return rows
    }
}
