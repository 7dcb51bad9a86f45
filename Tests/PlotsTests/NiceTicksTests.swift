import Testing

@testable import Plots

// Expectations computed by hand: raw step = span / intervals = f x 10^k, f rounded to 1 (< 1.5),
// 2 (< 3), 5 (< 7) or 10.

@Test(arguments: [
    (8000.0, 5, 2000.0),  // 1600: f = 1.6 -> 2
    (1.0, 4, 0.2),  // 0.25: f = 2.5 -> 2
    (80.0, 4, 20.0),  // 20: f = 2 -> 2
    (15.9, 5, 5.0),  // 3.18: f = 3.18 -> 5
    (75.0, 1, 100.0),  // 75: f = 7.5 -> 10
    (0.074, 3, 0.02),  // 0.02467: f = 2.467 -> 2
    (140.0, 10, 10.0),  // 14: f = 1.4 -> 1
])
func niceStep(span: Double, intervalCount: Int, expected: Double) {
    #expect(NiceTicks.step(span: span, intervalCount: intervalCount) == expected)
}

@Test func niceTicksOnTypicalRanges() {
    #expect(NiceTicks.values(in: 0...8000, intervalCount: 5) == [0, 2000, 4000, 6000, 8000])
    // Ends are included despite rounding, and 3 x 0.2 is exactly the double 0.6.
    #expect(NiceTicks.values(in: 0...1, intervalCount: 4) == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(NiceTicks.values(in: -80...0, intervalCount: 4) == [-80, -60, -40, -20, 0])
    // The range need not start or end on a tick.
    #expect(NiceTicks.values(in: -3.7...12.2, intervalCount: 5) == [0, 5, 10])
    #expect(NiceTicks.values(in: 0.013...0.087, intervalCount: 3) == [0.02, 0.04, 0.06, 0.08])
    // A spectrogram's time axis: 264 frames of 10 ms, from -5 ms to 2.635 s.
    #expect(NiceTicks.values(in: -0.005...2.635, intervalCount: 5) == [0, 0.5, 1, 1.5, 2, 2.5])
    #expect(NiceTicks.values(in: 1e6...5e6, intervalCount: 4) == [1e6, 2e6, 3e6, 4e6, 5e6])
}

@Test func niceTicksOnDegenerateRanges() {
    #expect(NiceTicks.values(in: 3...3, intervalCount: 5) == [3])
    #expect(NiceTicks.values(in: 0...Double.infinity, intervalCount: 5) == [])
}

@Test func tickLabelsHaveNoTrailingZeros() {
    #expect(TickLabelFormatter.label(0, step: 0.5) == "0")
    #expect(TickLabelFormatter.label(0.5, step: 0.5) == "0.5")
    #expect(TickLabelFormatter.label(1, step: 0.5) == "1")
    #expect(TickLabelFormatter.label(2000, step: 1000) == "2000")
    #expect(TickLabelFormatter.label(0.1 * 3, step: 0.1) == "0.3")
    #expect(TickLabelFormatter.label(0.25, step: 0.05) == "0.25")
    #expect(TickLabelFormatter.label(1e6, step: 1e6) == "1000000")
}

@Test func tinyStepsGetScientificLabels() {
    // Attributions of 1e-13 would all read "0" with fixed decimals.
    #expect(TickLabelFormatter.label(2e-13, step: 1e-13) == "2e-13")
    #expect(TickLabelFormatter.label(-1.5e-13, step: 5e-14) == "\u{2212}1.5e-13")
    #expect(TickLabelFormatter.label(1e-20, step: 1e-13) == "0")
    #expect(TickLabelFormatter.label(0.0002, step: 0.0001) == "0.0002")
}

@Test func negativeTickLabelsUseAMinusSignAndNeverMinusZero() {
    #expect(TickLabelFormatter.label(-20, step: 20) == "\u{2212}20")
    #expect(TickLabelFormatter.label(-0.0, step: 0.1) == "0")
    #expect(TickLabelFormatter.label(-1e-17, step: 0.2) == "0")
}

@Test func labelDecimalsFollowTheStep() {
    #expect(TickLabelFormatter.decimals(for: 5) == 0)
    #expect(TickLabelFormatter.decimals(for: 0.5) == 1)
    #expect(TickLabelFormatter.decimals(for: 0.02) == 2)
    #expect(TickLabelFormatter.decimals(for: 0.25) == 2)
}

@Test func fittedTicksLeaveRoomForTheirLabels() {
    // Labels 20 points wide on a 200-point axis over 0...10 with at least 30 points between
    // ticks: 1-unit steps are 20 points apart (too close), 2-unit steps 40 points (fine).
    let ticks = AxisTicks.linear(
        range: 0...10, length: 200, minimumSpacing: 30, labelGap: 5, labelExtent: { _ in 20 })
    #expect(ticks.map(\.label) == ["0", "2", "4", "6", "8", "10"])
    #expect(ticks.map(\.position) == [0, 2, 4, 6, 8, 10])
}
