import Foundation
import Testing

@testable import Clustering

/// Independent re-implementations on tiny cases: average linkage by hand, a naive O(n^3)
/// agglomeration for every method, single-linkage cophenetics as minimax paths, exact optimal
/// leaf ordering against all leaf orders a tree allows.
struct BruteForceTests {
    /// Deterministic pseudo-random points (no ties in practice).
    static func points(_ n: Int, _ d: Int, seed: UInt64) -> [Double] {
        var state = seed
        return (0..<(n * d)).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53) * 2 - 1
        }
    }

    @Test func averageLinkageOfFourPointsByHand() throws {
        // Points on a line at 0, 1, 5, 11.
        let z = try HierarchicalClustering.linkage(
            [0, 1, 5, 11], rows: 4, dimension: 1, method: .average, metric: .euclidean)
        // {0,1} at 1; then d({0,1}, 5) = (5 + 4) / 2 = 4.5 < 6 = d(5, 11) -> {0,1,5} at 4.5;
        // then d({0,1,5}, 11) = (11 + 10 + 6) / 3 = 9.
        #expect(
            z.merges == [
                .init(first: 0, second: 1, height: 1, size: 2),
                .init(first: 2, second: 4, height: 4.5, size: 3),
                .init(first: 3, second: 5, height: 9, size: 4),
            ])
        #expect(z.scipyArray == [0, 1, 1, 2, 2, 4, 4.5, 3, 3, 5, 9, 4])
        #expect(HierarchicalClustering.leafOrder(z) == [3, 2, 0, 1])
        // SciPy's numbering: the cut subtree {0, 1, 2} is entered before leaf 3 is labelled.
        #expect(try HierarchicalClustering.clusters(z, count: 2) == [1, 1, 1, 2])
        #expect(HierarchicalClustering.cophenetic(z).values == [1, 4.5, 9, 4.5, 9, 9])
    }

    /// Naive agglomeration: merge the closest pair of clusters (by the definition of each method
    /// on the original points), record heights in merge order.
    static func naiveHeights(_ data: [Double], rows n: Int, dimension d: Int, method: LinkageMethod) -> [Double] {
        func point(_ i: Int) -> [Double] { Array(data[(i * d)..<(i * d + d)]) }
        func distance(_ a: [Double], _ b: [Double]) -> Double {
            zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        }
        func centroid(_ members: [Int]) -> [Double] {
            (0..<d).map { k in members.map { point($0)[k] }.reduce(0, +) / Double(members.count) }
        }
        // For weighted and median the cluster distance depends on the merge history: keep it.
        var clusters: [[Int]] = (0..<n).map { [$0] }
        var medianPoints: [[Double]] = (0..<n).map(point)
        var weighted: [[Double]] = (0..<n).map { i in (0..<n).map { distance(point(i), point($0)) } }
        var heights: [Double] = []
        while clusters.count > 1 {
            var best = (Double.infinity, 0, 0)
            for a in 0..<clusters.count {
                for b in (a + 1)..<clusters.count {
                    let x = clusters[a]
                    let y = clusters[b]
                    let pairs = x.flatMap { i in y.map { distance(point(i), point($0)) } }
                    let value: Double
                    switch method {
                    case .single: value = pairs.min() ?? 0
                    case .complete: value = pairs.max() ?? 0
                    case .average: value = pairs.reduce(0, +) / Double(pairs.count)
                    case .weighted: value = weighted[a][b]
                    case .centroid: value = distance(centroid(x), centroid(y))
                    case .median: value = distance(medianPoints[a], medianPoints[b])
                    case .ward:
                        let nx = Double(x.count)
                        let ny = Double(y.count)
                        value = (2 * nx * ny / (nx + ny)).squareRoot() * distance(centroid(x), centroid(y))
                    }
                    if value < best.0 { best = (value, a, b) }
                }
            }
            let (height, a, b) = best
            heights.append(height)
            let merged = clusters[a] + clusters[b]
            let mid = zip(medianPoints[a], medianPoints[b]).map { ($0 + $1) / 2 }
            var row = weighted[a].indices.map { 0.5 * (weighted[a][$0] + weighted[b][$0]) }
            row.remove(at: b)
            clusters.remove(at: b)
            medianPoints.remove(at: b)
            weighted.remove(at: b)
            for i in weighted.indices { weighted[i].remove(at: b) }
            clusters[a] = merged
            medianPoints[a] = mid
            weighted[a] = row
            for i in weighted.indices { weighted[i][a] = row[i] }
        }
        return heights
    }

    @Test(arguments: LinkageMethod.allCases)
    func everyMethodEqualsNaiveAgglomeration(_ method: LinkageMethod) throws {
        for seed in 1...4 {
            let data = Self.points(11, 3, seed: UInt64(seed))
            let z = try HierarchicalClustering.linkage(data, rows: 11, dimension: 3, method: method, metric: .euclidean)
            let naive = Self.naiveHeights(data, rows: 11, dimension: 3, method: method)
            // SciPy's monotone methods list merges by height, centroid and median in merge order.
            let ours = method == .centroid || method == .median ? z.heights : z.heights.sorted()
            let theirs = method == .centroid || method == .median ? naive : naive.sorted()
            for (a, b) in zip(ours, theirs) { #expect(close(a, b, relative: 1e-10), "\(method) seed \(seed)") }
        }
    }

    @Test func singleLinkageCopheneticIsTheMinimaxPath() throws {
        let n = 9
        let data = Self.points(n, 2, seed: 9)
        let distances = try PairwiseDistances.compute(data, rows: n, dimension: 2, metric: .euclidean)
        let z = try HierarchicalClustering.linkage(distances: distances, method: .single)
        // Floyd-Warshall on (max, min).
        var minimax = (0..<n).map { i in (0..<n).map { distances[i, $0] } }
        for k in 0..<n {
            for i in 0..<n {
                for j in 0..<n { minimax[i][j] = min(minimax[i][j], max(minimax[i][k], minimax[k][j])) }
            }
        }
        let cophenetic = HierarchicalClustering.cophenetic(z)
        for i in 0..<n {
            for j in (i + 1)..<n { #expect(cophenetic[i, j] == minimax[i][j]) }
        }
    }

    /// Every leaf order a dendrogram allows (2^(n-1) flips).
    static func allOrders(_ z: LinkageMatrix, node: Int) -> [[Int]] {
        if node < z.leafCount { return [[node]] }
        let (a, b) = z.children(node)
        let left = allOrders(z, node: a)
        let right = allOrders(z, node: b)
        return left.flatMap { l in right.flatMap { r in [l + r, r + l] } }
    }

    @Test func exactLeafOrderingIsOptimalAndSciPysIsNoBetter() throws {
        for seed in 1...6 {
            let n = 8
            let data = Self.points(n, 3, seed: UInt64(40 + seed))
            let distances = try PairwiseDistances.compute(data, rows: n, dimension: 3, metric: .euclidean)
            let z = try HierarchicalClustering.linkage(distances: distances, method: .average)
            func cost(_ order: [Int]) -> Double { zip(order, order.dropFirst()).map { distances[$0, $1] }.reduce(0, +) }
            let best = Self.allOrders(z, node: 2 * n - 2).map(cost).min() ?? 0
            let exact = try HierarchicalClustering.optimalLeafOrdering(z, distances: distances, algorithm: .exact)
            let scipy = try HierarchicalClustering.optimalLeafOrdering(z, distances: distances)
            #expect(abs(cost(HierarchicalClustering.leafOrder(exact)) - best) < 1e-12)
            #expect(cost(HierarchicalClustering.leafOrder(scipy)) >= best - 1e-12)
            #expect(exact.heights == z.heights && scipy.heights == z.heights)
        }
    }
}
