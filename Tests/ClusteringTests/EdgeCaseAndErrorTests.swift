import Foundation
import Testing

@testable import Clustering

/// The documented decisions (zero vectors, identical rows, two items) and every bad input
/// throwing its named error.
struct EdgeCaseAndErrorTests {
    @Test func zeroVectorsUnderCosineAndConstantRowsUnderCorrelation() throws {
        let data: [Double] = [0, 0, 0, 0, 0, 0, 1, 2, 3]
        let cosine = try PairwiseDistances.compute(data, rows: 3, dimension: 3, metric: .cosine)
        #expect(cosine.values == [0, 1, 1])
        let constant: [Double] = [2, 2, 2, 0.1, 0.1, 0.1, 1, 2, 4]
        let correlation = try PairwiseDistances.compute(constant, rows: 3, dimension: 3, metric: .correlation)
        #expect(correlation.values == [0, 1, 1])
        let z = try HierarchicalClustering.linkage(data, rows: 3, dimension: 3, method: .average, metric: .cosine)
        #expect(z.merges[0] == .init(first: 0, second: 1, height: 0, size: 2))
        #expect(z.merges[1].height == 1)
    }

    @Test(arguments: DistanceMetric.allCases)
    func identicalRowsMergeAtHeightZero(_ metric: DistanceMetric) throws {
        let row: [Double] = [0.1, 0.7, -0.3, 2.9, 1e-3]
        let data = row + [1, 2, 3, 4, 5] + row + row.map { $0 * 3 }
        let distances = try PairwiseDistances.compute(data, rows: 4, dimension: 5, metric: metric)
        #expect(distances[0, 2] == 0)
        let z = try HierarchicalClustering.linkage(distances: distances, method: .average)
        #expect(z.merges[0].first == 0 && z.merges[0].second == 2 && z.merges[0].height == 0)
        if metric != .euclidean { #expect(distances[0, 3] < 1e-15) }  // scaled copy: same direction
    }

    @Test func twoItems() throws {
        for method in LinkageMethod.allCases {
            let z = try HierarchicalClustering.linkage(
                [1, 4], rows: 2, dimension: 1, method: method, metric: .euclidean)
            #expect(z.merges == [.init(first: 0, second: 1, height: 3, size: 2)])
        }
    }

    @Test func badInputsThrowNamedErrors() throws {
        #expect(throws: ClusteringError.nonFiniteValue(row: 1, column: 0, value: .nan)) {
            try PairwiseDistances.compute([1, 2, .nan, 4], rows: 2, dimension: 2, metric: .euclidean)
        }
        #expect(throws: ClusteringError.nonFiniteValue(row: 0, column: 1, value: .infinity)) {
            try HierarchicalClustering.linkage(
                [1, .infinity, 3, 4], rows: 2, dimension: 2, method: .single, metric: .euclidean)
        }
        #expect(throws: ClusteringError.nonFiniteDistance(first: 0, second: 1, value: .infinity)) {
            try PairwiseDistances.compute([-1e300, 1e300], rows: 2, dimension: 1, metric: .euclidean)
        }
        #expect(throws: ClusteringError.tooFewItems(count: 1)) {
            try HierarchicalClustering.linkage([1, 2], rows: 1, dimension: 2, method: .average, metric: .euclidean)
        }
        #expect(throws: ClusteringError.tooFewItems(count: 1)) {
            try HierarchicalClustering.linkage(distances: CondensedDistances(count: 1, values: []), method: .average)
        }
        #expect(throws: ClusteringError.invalidShape(rows: 2, dimension: 2, valueCount: 3)) {
            try PairwiseDistances.compute([1, 2, 3], rows: 2, dimension: 2, metric: .cosine)
        }
        #expect(throws: ClusteringError.invalidShape(rows: 0, dimension: 2, valueCount: 0)) {
            try PairwiseDistances.compute([], rows: 0, dimension: 2, metric: .cosine)
        }
        for method in [LinkageMethod.ward, .centroid, .median] {
            #expect(throws: ClusteringError.requiresEuclidean(method: method, metric: .cosine)) {
                try HierarchicalClustering.linkage(
                    [1, 2, 3, 4], rows: 2, dimension: 2, method: method, metric: .cosine)
            }
        }
        let message = ClusteringError.requiresEuclidean(method: .ward, metric: .cosine).description
        #expect(message.contains("method 'ward' requires the distance metric to be Euclidean"))
        #expect(throws: ClusteringError.condensedLength(count: 3, valueCount: 2)) {
            try CondensedDistances(count: 3, values: [1, 2])
        }
        #expect(throws: ClusteringError.nonFiniteDistance(first: 1, second: 2, value: .nan)) {
            try HierarchicalClustering.linkage(
                distances: CondensedDistances(count: 3, values: [1, 2, .nan]), method: .ward)
        }
        let z = try HierarchicalClustering.linkage(
            [0, 1, 5], rows: 3, dimension: 1, method: .average, metric: .euclidean)
        #expect(throws: ClusteringError.invalidClusterCount(0)) { try HierarchicalClustering.clusters(z, count: 0) }
        #expect(try HierarchicalClustering.clusters(z, count: 7) == [1, 2, 3])
        #expect(throws: ClusteringError.self) { try HierarchicalClustering.newick(z, labels: ["a"]) }
        let two = try CondensedDistances(count: 2, values: [1])
        #expect(throws: ClusteringError.self) { try HierarchicalClustering.optimalLeafOrdering(z, distances: two) }
        #expect(throws: ClusteringError.self) { try HierarchicalClustering.copheneticCorrelation(z, distances: two) }
        let three = try CondensedDistances(count: 3, values: [1, 2, 3])
        #expect(throws: ClusteringError.invalidLabelCount(labels: 1, items: 3)) {
            try ClusterScores.silhouette(labels: [0, 0, 0], distances: three)
        }
        #expect(throws: ClusteringError.invalidLabelCount(labels: 3, items: 3)) {
            try ClusterScores.silhouette(labels: [0, 1, 2], distances: three)
        }
        #expect(throws: ClusteringError.self) { try ClusterScores.silhouette(labels: [0, 1], distances: three) }
        #expect(throws: ClusteringError.self) { try ClusterScores.adjustedRandIndex([0, 1], [0]) }
        #expect(throws: ClusteringError.self) { try ClusterScores.purity(predicted: [0], truth: []) }
        #expect(throws: ClusteringError.tooFewItems(count: 0)) { try ClusterScores.purity(predicted: [], truth: []) }
    }

    @Test func invalidLinkageMatricesAreRefused() {
        #expect(throws: ClusteringError.self) {
            try LinkageMatrix(merges: [.init(first: 0, second: 0, height: 1, size: 2)], leafCount: 2)
        }
        #expect(throws: ClusteringError.self) {
            try LinkageMatrix(merges: [.init(first: 0, second: 2, height: 1, size: 2)], leafCount: 2)
        }
        #expect(throws: ClusteringError.self) {
            try LinkageMatrix(merges: [.init(first: 0, second: 1, height: 1, size: 3)], leafCount: 2)
        }
        #expect(throws: ClusteringError.self) { try LinkageMatrix(scipyArray: [0, 1.5, 1, 2], leafCount: 2) }
        #expect(throws: ClusteringError.self) { try LinkageMatrix(scipyArray: [0, 1, 1], leafCount: 2) }
    }
}
