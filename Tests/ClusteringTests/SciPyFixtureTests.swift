import Foundation
import Testing

@testable import Clustering

/// Every data set x metric x method of the fixtures against SciPy: pdist, linkage Z (merges equal
/// where the fixture has no ties; for tied data the multiset of heights and the cophenetic
/// matrix), optimal leaf ordering, cophenetic correlation, fcluster maxclust, silhouettes.
struct SciPyFixtureTests {
    static var cases: [(Fixtures.Dataset, Fixtures.MetricCase)] {
        (Fixtures.linkage?.datasets ?? []).flatMap { set in set.metrics.map { (set, $0) } }
    }

    static var caseNames: [String] { cases.map { "\($0.0.name) \($0.1.metric)" } }

    @Test func fixturesLoad() throws {
        let file = try Fixtures.load("linkage.json", as: Fixtures.LinkageFile.self)
        #expect(file.datasets.count >= 8)
        #expect(Self.cases.count >= 20)
    }

    @Test(arguments: caseNames)
    func distancesEqualPdist(_ name: String) throws {
        let (set, metricCase) = try #require(Self.cases.first { "\($0.0.name) \($0.1.metric)" == name })
        let metric = try #require(DistanceMetric(rawValue: metricCase.metric))
        let ours = try PairwiseDistances.compute(set.data, rows: set.rows, dimension: set.dimension, metric: metric)
        #expect(ours.count == set.rows)
        if let theirs = metricCase.distances {
            #expect(ours.values.count == theirs.count)
            for (index, (a, b)) in zip(ours.values, theirs).enumerated() {
                #expect(close(a, b, relative: 1e-9), "pair \(index): \(a) vs \(b)")
            }
        }
        for sample in metricCase.distanceSample ?? [] {
            let index = Int(sample[0])
            #expect(close(ours.values[index], sample[1], relative: 1e-9), "pair \(index)")
        }
    }

    @Test(arguments: caseNames)
    func linkageEqualsSciPy(_ name: String) throws {
        let (set, metricCase) = try #require(Self.cases.first { "\($0.0.name) \($0.1.metric)" == name })
        let metric = try #require(DistanceMetric(rawValue: metricCase.metric))
        let distances = try PairwiseDistances.compute(
            set.data, rows: set.rows, dimension: set.dimension, metric: metric)
        for expected in metricCase.linkages {
            let method = try #require(LinkageMethod(rawValue: expected.method))
            let z = try HierarchicalClustering.linkage(
                set.data, rows: set.rows, dimension: set.dimension, method: method, metric: metric)
            let label = "\(name) \(method)"
            let theirs = LinkageMatrix.rows(expected.z)
            try #require(z.merges.count == theirs.count, "\(label)")
            #expect(z.leafCount == set.rows)
            if expected.tied {
                let ours = z.merges.map(\.height).sorted()
                let sorted = theirs.map(\.height).sorted()
                for (a, b) in zip(ours, sorted) { #expect(close(a, b), "\(label): heights \(a) vs \(b)") }
                let levels = try #require(expected.copheneticLevels)
                let index = try #require(expected.copheneticIndex)
                // Correlation distances of centred rows carry SciPy's own last-bit rounding, so
                // mathematically tied pairs can come out of pdist in either order; from our
                // distances only the heights must agree there (the check below on SciPy's own
                // distances covers the tie-breaking).
                if metric != .correlation {
                    let cophenetic = HierarchicalClustering.cophenetic(z).values
                    for (position, (a, level)) in zip(cophenetic, index).enumerated() {
                        #expect(close(a, levels[level]), "\(label): cophenetic \(position): \(a) vs \(levels[level])")
                    }
                }
            } else {
                for (row, (a, b)) in zip(z.merges, theirs).enumerated() {
                    #expect(
                        a.first == b.first && a.second == b.second && a.size == b.size && close(a.height, b.height),
                        "\(label) row \(row): \(a) vs \(b)")
                }
                #expect(HierarchicalClustering.leafOrder(z) == expected.leaves, "\(label)")
            }
            // From SciPy's own distances the rows are SciPy's exactly, ties and all.
            if let theirDistances = metricCase.distances {
                let fromTheirs = try HierarchicalClustering.linkage(
                    distances: CondensedDistances(count: set.rows, values: theirDistances), method: method)
                for (row, (a, b)) in zip(fromTheirs.merges, theirs).enumerated() {
                    #expect(
                        a.first == b.first && a.second == b.second && a.size == b.size && close(a.height, b.height),
                        "\(label) from SciPy's distances, row \(row): \(a) vs \(b)")
                }
            }
            // The same from the condensed distances, and the SciPy array round trip.
            #expect(try HierarchicalClustering.linkage(distances: distances, method: method) == z)
            #expect(try LinkageMatrix(scipyArray: z.scipyArray, leafCount: z.leafCount) == z)
            if let c = expected.copheneticCorrelation {
                let ours = try HierarchicalClustering.copheneticCorrelation(z, distances: distances)
                #expect(close(ours, c, relative: 1e-9), "\(label): cophenetic correlation \(ours) vs \(c)")
            } else {
                #expect(try HierarchicalClustering.copheneticCorrelation(z, distances: distances).isNaN)
            }
        }
    }

    @Test(arguments: caseNames)
    func optimalLeafOrderingEqualsSciPy(_ name: String) throws {
        let (set, metricCase) = try #require(Self.cases.first { "\($0.0.name) \($0.1.metric)" == name })
        let metric = try #require(DistanceMetric(rawValue: metricCase.metric))
        let distances = try PairwiseDistances.compute(
            set.data, rows: set.rows, dimension: set.dimension, metric: metric)
        for expected in metricCase.linkages {
            guard let leaves = expected.optimalLeaves, let swapped = expected.optimalSwapped else { continue }
            let method = try #require(LinkageMethod(rawValue: expected.method))
            let z = try HierarchicalClustering.linkage(distances: distances, method: method)
            let ordered = try HierarchicalClustering.optimalLeafOrdering(z, distances: distances)
            #expect(HierarchicalClustering.leafOrder(ordered) == leaves, "\(name) \(method)")
            #expect(ordered == z.swapping(rows: swapped), "\(name) \(method)")
            let direct = try HierarchicalClustering.linkage(
                set.data, rows: set.rows, dimension: set.dimension, method: method, metric: metric,
                optimalOrdering: true)
            #expect(direct == ordered)
        }
    }

    @Test(arguments: caseNames)
    func flatClustersAndSilhouettesEqualSciPy(_ name: String) throws {
        let (set, metricCase) = try #require(Self.cases.first { "\($0.0.name) \($0.1.metric)" == name })
        let metric = try #require(DistanceMetric(rawValue: metricCase.metric))
        let distances = try PairwiseDistances.compute(
            set.data, rows: set.rows, dimension: set.dimension, metric: metric)
        for expected in metricCase.linkages {
            let method = try #require(LinkageMethod(rawValue: expected.method))
            // On tied data our tree may differ from SciPy's by equal-height rearrangements; use theirs.
            let z = try LinkageMatrix(merges: LinkageMatrix.rows(expected.z), leafCount: set.rows)
            for (key, labels) in expected.maxclust {
                let k = try #require(Int(key))
                if k < 1 { continue }
                #expect(try HierarchicalClustering.clusters(z, count: k) == labels, "\(name) \(method) k=\(k)")
                if let silhouette = expected.silhouette[key] {
                    let ours = try ClusterScores.silhouette(labels: labels, distances: distances)
                    #expect(close(ours, silhouette, relative: 1e-9, absolute: 1e-12), "\(name) \(method) k=\(k)")
                }
            }
            if !expected.tied {
                let ours = try HierarchicalClustering.linkage(distances: distances, method: method)
                for k in 2...5 {
                    #expect(
                        try HierarchicalClustering.clusters(ours, count: k)
                            == HierarchicalClustering.clusters(z, count: k))
                }
            }
        }
    }
}
