import Foundation
import Testing

@testable import Plots

private let red = RGBColor(red: 1, green: 0, blue: 0)
private let green = RGBColor(red: 0, green: 0.8, blue: 0)
private let blue = RGBColor(red: 0, green: 0, blue: 1)

/// Left: a, b, c (b only here); right: c, a, x (x only here).
private func knownTanglegram() -> TanglegramFigure {
    let merges = [DendrogramMerge(first: 0, second: 1, height: 1), DendrogramMerge(first: 2, second: 3, height: 2)]
    var figure = TanglegramFigure(
        left: DendrogramTree(merges: merges, leafLabels: ["a", "b", "c"], leafColors: [red, green, blue]),
        right: DendrogramTree(merges: merges, leafLabels: ["c", "a", "x"]), leftTitle: "English",
        rightTitle: "German", heightLabel: "distance", title: "two trees")
    figure.size = (500, 400)
    return figure
}

private func layout(of figure: TanglegramFigure) throws -> TanglegramFigure.Layout {
    figure.layout(on: try measuringCanvas(for: figure), style: .standard)
}

@Test func tanglegramWritesPNGSVGAndPDF() throws {
    var figure = knownTanglegram()
    try expectWritesEveryFormat(pixelSize: (1000, 800)) { try figure.write(to: $0) }
    figure.legend = [LegendEntry(label: "vowel", color: red)]
    try expectWritesEveryFormat(pixelSize: (1000, 800)) { try figure.write(to: $0) }
}

@Test func tanglegramJoinsLeavesWithTheSameLabelInTheLeftLeafsColour() throws {
    let figure = knownTanglegram()
    let layout = try layout(of: figure)
    let lines = figure.lines(in: layout, style: .standard)
    // a and c are in both trees; b and x get no line.
    #expect(lines.count == 2)
    let image = try renderedPNG { try figure.write(to: $0) }
    func leftY(_ leaf: Int) throws -> Double {
        let slot = try #require(layout.leftTree.order.firstIndex(of: leaf))
        return layout.leftPoint(slot: Double(slot), height: 0).y
    }
    func rightY(_ leaf: Int) throws -> Double {
        let slot = try #require(layout.rightTree.order.firstIndex(of: leaf))
        return layout.rightPoint(slot: Double(slot), height: 0).y
    }
    func along(_ fraction: Double, from y0: Double, to y1: Double) throws -> RGBColor {
        let x = layout.lineStart + fraction * (layout.lineEnd - layout.lineStart)
        return try pngPixel(image, atPoint: x, y0 + fraction * (y1 - y0))
    }
    // a: left leaf 0 (red) to right leaf 1; c: left leaf 2 (blue) to right leaf 0.
    for fraction in [0.2, 0.5, 0.8] {
        let onA = try along(fraction, from: try leftY(0), to: try rightY(1))
        #expect(onA.red > 0.6 && onA.green < 0.5 && onA.blue < 0.5, "a at \(fraction): \(onA)")
        let onC = try along(fraction, from: try leftY(2), to: try rightY(0))
        #expect(onC.blue > 0.6 && onC.red < 0.5 && onC.green < 0.5, "c at \(fraction): \(onC)")
    }
    // b has no partner: nothing leaves its label column.
    let nearB = try along(0.05, from: try leftY(1), to: try leftY(1))
    #expect(nearlyEqual(nearB, .white, tolerance: 0.02), "b: \(nearB)")
}

@Test func tanglegramTurnsTheRightTreeToFollowTheLeft() {
    // The same tree on both sides, but each merge's children listed the other way round on
    // the right: SciPy's order is reversed there; untangled, it matches the left.
    let left = [
        DendrogramMerge(first: 0, second: 1, height: 1), DendrogramMerge(first: 2, second: 3, height: 1.5),
        DendrogramMerge(first: 4, second: 5, height: 3),
    ]
    let right = left.map { DendrogramMerge(first: $0.second, second: $0.first, height: $0.height) }
    let labels = ["p", "b", "t", "d"]
    var figure = TanglegramFigure(
        left: DendrogramTree(merges: left, leafLabels: labels),
        right: DendrogramTree(merges: right, leafLabels: labels),
        leftTitle: "", rightTitle: "", heightLabel: "", title: "")
    let leftLayout = DendrogramLayout(tree: figure.left)
    #expect(leftLayout.order == [0, 1, 2, 3])
    #expect(figure.rightOrder(following: leftLayout) == [0, 1, 2, 3])
    figure.untangles = false
    #expect(figure.rightOrder(following: leftLayout) == [3, 2, 1, 0])
    figure.rightLeafOrder = [1, 0, 3, 2]
    #expect(figure.rightOrder(following: leftLayout) == [1, 0, 3, 2])
}

@Test func tanglegramValidationNamesTheBadParameterAndWritesNothing() throws {
    let cases: [(name: String, change: (inout TanglegramFigure) -> Void)] = [
        ("left.merges.count", { $0.left.merges.removeLast() }),
        ("right.merges[1].first", { $0.right.merges[1].first = 1 }),
        ("right.leafColors.count", { $0.right.leafColors = [red] }),
        ("left.leafLabels[2]", { $0.left.leafLabels = ["a", "b", "a"] }),
        ("leftLeafOrder.count", { $0.leftLeafOrder = [0] }),
        ("rightLeafOrder[1]", { $0.rightLeafOrder = [0, 7, 1] }),
        ("size", { $0.size = (100, 100) }),
    ]
    try expectInvalidParameters(cases, of: knownTanglegram, fileName: "tanglegram.png") { try $0.write(to: $1) }
}
