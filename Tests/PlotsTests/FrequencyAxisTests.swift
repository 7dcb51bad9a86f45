import Foundation
import Testing

@testable import Plots

@Test func binMappingInterpolatesBetweenCentresAndExtendsTheEnds() {
    let mapping = BinFrequencyMapping(frequencies: [100, 200, 400, 800])
    #expect(mapping.index(ofFrequency: 100) == 0)
    #expect(mapping.index(ofFrequency: 300) == 1.5)
    #expect(mapping.index(ofFrequency: 600) == 2.5)
    #expect(mapping.index(ofFrequency: 800) == 3)
    // Beyond the centres, the end intervals continue: 100 Hz per bin below, 400 Hz above.
    #expect(mapping.index(ofFrequency: 50) == -0.5)
    #expect(mapping.index(ofFrequency: 1000) == 3.5)
    #expect(mapping.frequency(atIndex: 2.25) == 500)
    #expect(mapping.edgeFrequencies == 50...1000)
    #expect(!mapping.isUniform)
    for index in stride(from: -0.5, through: 3.5, by: 0.25) {
        #expect(abs(mapping.index(ofFrequency: mapping.frequency(atIndex: index)) - index) < 1e-12)
    }
}

@Test func evenlySpacedBinsAreUniform() {
    #expect(BinFrequencyMapping(frequencies: (0..<201).map { Double($0) * 40 }).isUniform)
    #expect(!BinFrequencyMapping(frequencies: slaneyMelCenters(count: 80, maximum: 8000)).isUniform)
}

@Test func melAxisTicksAreRoundFrequenciesAtTheirTruePlaces() throws {
    let centres = slaneyMelCenters(count: 80, maximum: 8000)
    let mapping = BinFrequencyMapping(frequencies: centres)
    let length = 300.0
    let ticks = FrequencyTicks.ticks(
        mapping: mapping, length: length, minimumSpacing: 30, labelGap: 4, labelExtent: { _ in 7.3 })
    let values = ticks.compactMap { Double($0.label) }
    #expect(values.count == ticks.count)
    // The octave series spreads over the logarithmic part of the axis.
    for expected in [500.0, 1000, 2000, 4000] {
        #expect(values.contains(expected), "missing \(expected) Hz in \(values)")
    }
    #expect(values == values.sorted())
    let pointsPerBin = length / 80
    for (tick, value) in zip(ticks, values) {
        #expect(tick.position == mapping.index(ofFrequency: value))
        #expect((-0.5...79.5).contains(tick.position))
    }
    for (a, b) in zip(ticks, ticks.dropFirst()) {
        #expect((b.position - a.position) * pointsPerBin >= 30)
    }
    // 1 kHz sits where the mel scale puts it: 15 of 45.25 mels, a third of the way up.
    let match = ticks.first(where: { $0.label == "1000" })
    let thousand = try #require(match)
    #expect(abs(mapping.frequency(atIndex: thousand.position) - 1000) < 1e-9)
    #expect(abs((thousand.position + 1) / 81 - 15 / 45.245) < 0.01)
}

@Test func linearFrequencyAxisGetsEvenlySpacedTicks() {
    let mapping = BinFrequencyMapping(frequencies: (0..<201).map { Double($0) * 40 })
    let ticks = FrequencyTicks.ticks(
        mapping: mapping, length: 300, minimumSpacing: 30, labelGap: 4, labelExtent: { _ in 7.3 })
    #expect(ticks.map(\.label) == ["0", "1000", "2000", "3000", "4000", "5000", "6000", "7000", "8000"])
    #expect(ticks.map(\.position) == [0, 25, 50, 75, 100, 125, 150, 175, 200])
}
