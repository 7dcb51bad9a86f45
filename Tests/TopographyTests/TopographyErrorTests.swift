import Testing

@testable import Topography

@Suite struct TopographyErrorTests {
    let data: [Double] = [0, 1, 2, 3, 4, 5, 6, 7]

    func train(_ data: [Double], count: Int, dimension: Int, _ configuration: SOMConfiguration) throws {
        _ = try SelfOrganizingMap.train(data: data, count: count, dimension: dimension, configuration: configuration)
    }

    @Test func emptyGridIsNamed() {
        #expect(throws: TopographyError.invalidConfiguration("grid 0 x 5: rows and columns must each be in 1...200")) {
            try train(data, count: 4, dimension: 2, SOMConfiguration(rows: 0, columns: 5, iterations: 10))
        }
    }

    @Test func absurdGridIsNamed() {
        #expect(
            throws: TopographyError.invalidConfiguration("grid 1000 x 1000: rows and columns must each be in 1...200")
        ) {
            try train(data, count: 4, dimension: 2, SOMConfiguration(rows: 1000, columns: 1000, iterations: 10))
        }
    }

    @Test func zeroIterationsAreNamed() {
        #expect(throws: TopographyError.invalidConfiguration("iterations 0: must be at least 1")) {
            try train(data, count: 4, dimension: 2, SOMConfiguration(rows: 2, columns: 2, iterations: 0))
        }
    }

    @Test func badRatesAreNamed() {
        #expect(throws: TopographyError.invalidConfiguration("sigma 0.0: must be finite and greater than 0")) {
            try train(data, count: 4, dimension: 2, SOMConfiguration(rows: 2, columns: 2, sigma: 0, iterations: 5))
        }
        #expect(
            throws: TopographyError.invalidConfiguration("learning rate -0.5: must be finite and greater than 0")
        ) {
            try train(
                data, count: 4, dimension: 2, SOMConfiguration(rows: 2, columns: 2, learningRate: -0.5, iterations: 5))
        }
    }

    @Test func nanInDataIsNamed() {
        var bad = data
        bad[5] = .nan
        #expect {
            try train(bad, count: 4, dimension: 2, SOMConfiguration(rows: 2, columns: 2, iterations: 5))
        } throws: { error in
            guard case .nonFiniteData(let item, let feature, _) = error as? TopographyError else { return false }
            return item == 2 && feature == 1
        }
    }

    @Test func noItemsAreNamed() {
        #expect(throws: TopographyError.emptyData(count: 0, dimension: 2)) {
            try train([], count: 0, dimension: 2, SOMConfiguration(rows: 2, columns: 2, iterations: 5))
        }
    }

    @Test func dimensionMismatchIsNamed() {
        #expect(throws: TopographyError.dimensionMismatch(expected: 9, actual: 8, count: 3, dimension: 3)) {
            try train(data, count: 3, dimension: 3, SOMConfiguration(rows: 2, columns: 2, iterations: 5))
        }
        #expect(throws: TopographyError.dimensionMismatch(expected: 12, actual: 4, count: 4, dimension: 3)) {
            try SelfOrganizingMap(
                configuration: SOMConfiguration(rows: 2, columns: 2, iterations: 1), weights: [0, 0, 0, 0],
                dimension: 3)
        }
    }

    @Test func pcaOnOneFeatureIsNamed() {
        #expect(throws: TopographyError.pcaNeedsTwoItemsAndFeatures(count: 8, dimension: 1)) {
            try train(
                data, count: 8, dimension: 1, SOMConfiguration(rows: 2, columns: 2, iterations: 5, initialization: .pca)
            )
        }
    }

    @Test func messagesNameTheValue() {
        #expect(TopographyError.nonFiniteData(item: 2, feature: 1, value: .nan).description.contains("item 2"))
        #expect(TopographyError.emptyData(count: 0, dimension: 3).description.contains("0 items"))
    }
}
