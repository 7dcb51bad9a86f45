import XCTest

@testable import Projections

final class PrincipalComponentsTests: XCTestCase {
    func testEqualsScikitLearn() throws {
        for c in try Fixtures.decode(Fixtures.PCAFile.self, "pca.json").cases {
            let points = try PointSet(values: c.data, count: c.rows, dimension: c.dimension)
            for limit in [PrincipalComponents.denseLimit, 4] {  // Jacobi, then subspace iteration
                let pca = try PrincipalComponents.fit(points, components: c.components, denseLimit: limit)
                let transformed = try pca.transform(points)
                var worst = 0.0
                for (j, m) in c.mean.enumerated() { worst = max(worst, abs(pca.mean[j] - m)) }
                for (k, row) in c.componentsMatrix.enumerated() {
                    for (j, v) in row.enumerated() { worst = max(worst, abs(pca.components[k * c.dimension + j] - v)) }
                }
                for (i, row) in c.transformed.enumerated() {
                    for (k, v) in row.enumerated() { worst = max(worst, abs(transformed[i * c.components + k] - v)) }
                }
                for (k, v) in c.explainedVarianceRatio.enumerated() {
                    worst = max(worst, abs(pca.explainedVarianceRatio[k] - v))
                }
                for (k, v) in c.explainedVariance.enumerated() {
                    worst = max(worst, abs(pca.explainedVariance[k] - v) / max(v, 1))
                }
                XCTAssertLessThan(worst, 1e-4, "\(c.name), dense limit \(limit)")
                print("PCA \(c.name) dense limit \(limit): max difference from scikit-learn \(worst)")
            }
        }
    }

    func testRefusesBadComponentCounts() throws {
        let points = try PointSet(values: [1, 2, 3, 4, 5, 7], count: 3, dimension: 2)
        XCTAssertThrowsError(try PrincipalComponents.fit(points, components: 3)) { error in
            XCTAssertTrue("\(error)".contains("components 3 is invalid"), "\(error)")
        }
        XCTAssertThrowsError(
            try PrincipalComponents.fit(try PointSet(values: [1, 2], count: 1, dimension: 2), components: 1))
    }
}
