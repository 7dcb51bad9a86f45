import Testing

@testable import Plots

private func entry(_ map: Colormap, _ index: Int) -> RGBColor {
    let table = map.table
    return RGBColor(
        red: Double(table[3 * index]), green: Double(table[3 * index + 1]), blue: Double(table[3 * index + 2]))
}

@Test(arguments: Colormap.allCases)
func colormapTablesHave256Entries(map: Colormap) {
    #expect(map.table.count == 3 * 256)
    #expect(map.table.allSatisfy { (0...1).contains($0) })
}

@Test(arguments: Colormap.allCases)
func colormapEndsAreTheTableEndsAndInputsAreClamped(map: Colormap) {
    #expect(map.color(at: 0) == entry(map, 0))
    #expect(map.color(at: 1) == entry(map, 255))
    #expect(map.color(at: -3) == map.color(at: 0))
    #expect(map.color(at: 7) == map.color(at: 1))
    #expect(map.color(at: .nan) == map.color(at: 0))
    #expect(map.color(at: .infinity) == map.color(at: 1))
}

@Test func colormapInterpolatesBetweenEntries() {
    let halfway = Colormap.viridis.color(at: 0.5 / 255)
    let a = entry(.viridis, 0)
    let b = entry(.viridis, 1)
    #expect(abs(halfway.green - (a.green + b.green) / 2) < 1e-9)
    #expect(Colormap.viridis.color(at: 10.0 / 255) == entry(.viridis, 10))
}

@Test func colormapsRunTheRightWay() {
    // magma: near black to pale yellow.
    let magmaLow = Colormap.magma.color(at: 0)
    let magmaHigh = Colormap.magma.color(at: 1)
    #expect(magmaLow.red + magmaLow.green + magmaLow.blue < 0.1)
    #expect(magmaHigh.red > 0.95 && magmaHigh.green > 0.95)
    // viridis: dark purple-blue to yellow.
    #expect(Colormap.viridis.color(at: 0).blue > Colormap.viridis.color(at: 0).green)
    #expect(Colormap.viridis.color(at: 1).red > 0.9 && Colormap.viridis.color(at: 1).blue < 0.2)
    // blueWhiteRed: blue, near white in the middle, red.
    let low = Colormap.blueWhiteRed.color(at: 0)
    let middle = Colormap.blueWhiteRed.color(at: 0.5)
    let high = Colormap.blueWhiteRed.color(at: 1)
    #expect(low.blue > low.red + 0.2)
    #expect(high.red > high.blue + 0.2)
    #expect(middle.red > 0.9 && middle.green > 0.9 && middle.blue > 0.9)
}
