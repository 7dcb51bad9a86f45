import Foundation
import Testing

@testable import Plots

/// Leaves a, b, c: merge 0 joins a and b at 1, merge 1 joins c with them at 2, so SciPy's
/// order is c, a, b (the root's first child, leaf 2, comes first).
private func threeLeafFigure() -> DendrogramFigure {
    var figure = DendrogramFigure(
        merges: [DendrogramMerge(first: 0, second: 1, height: 1), DendrogramMerge(first: 2, second: 3, height: 2)],
        leafLabels: ["a", "b", "c"], heightLabel: "distance", title: "three leaves")
    figure.size = (400, 300)
    return figure
}

private let red = RGBColor(red: 1, green: 0, blue: 0)
private let blue = RGBColor(red: 0, green: 0, blue: 1)

private func layout(of figure: DendrogramFigure) throws -> DendrogramFigure.Layout {
    figure.layout(on: try measuringCanvas(for: figure), style: .standard)
}

/// The y (`.top`) or x (`.left`) of the tick labelled `label` on the height axis.
private func tickCoordinate(_ label: String, in layout: DendrogramFigure.Layout) throws -> Double {
    let tick = try #require(layout.heightAxis.ticks.first { $0.label == label }, "no tick \(label)")
    return layout.heightAxis.coordinate(of: tick.position, along: layout.plot)
}

private func isBranchGrey(_ color: RGBColor) -> Bool {
    nearlyEqual(color, FigureStyle.standard.branchColor, tolerance: 0.1)
}

private func isWhite(_ color: RGBColor) -> Bool { nearlyEqual(color, .white, tolerance: 0.02) }

private func isReddish(_ color: RGBColor) -> Bool { color.red > 0.6 && color.green < 0.45 && color.blue < 0.45 }

@Test func dendrogramFigureWritesPNGSVGAndPDF() throws {
    var figure = threeLeafFigure()
    try expectWritesEveryFormat(pixelSize: (800, 600)) { try figure.write(to: $0) }
    figure.orientation = .left
    figure.legend = [LegendEntry(label: "class", color: red)]
    try expectWritesEveryFormat(pixelSize: (800, 600)) { try figure.write(to: $0) }
}

@Test func dendrogramLeafOrderIsSciPysLeavesList() {
    // numpy.random.default_rng(3).normal(size=(10, 4)); z = linkage(x, "average"),
    // leaves_list(z) with SciPy 1.17.1.
    let rows: [(Int, Int, Double)] = [
        (1, 3, 1.091), (4, 6, 1.4174), (5, 7, 1.5691), (8, 12, 1.8143), (11, 13, 2.1188), (10, 14, 2.6947),
        (2, 15, 3.3917), (9, 16, 3.6808), (0, 17, 4.4421),
    ]
    let tree = DendrogramTree(
        merges: rows.map { DendrogramMerge(first: $0.0, second: $0.1, height: $0.2) },
        leafLabels: (0..<10).map { "\($0)" })
    let layout = DendrogramLayout(tree: tree)
    #expect(layout.order == [0, 9, 2, 1, 3, 4, 6, 8, 5, 7])
    // Merges sit midway between their children: cluster 10 joins leaves 1 and 3 (slots 3, 4).
    #expect(layout.positions[10] == 3.5)
    #expect(layout.heights[18] == 4.4421)
    #expect(DendrogramLayout(tree: tree, leafOrder: Array(0..<10)).order == Array(0..<10))
}

@Test func dendrogramBarsLieAtTheirHeightsOnTheAxis() throws {
    let figure = threeLeafFigure()
    let layout = try layout(of: figure)
    #expect(layout.tree.order == [2, 0, 1])
    let image = try renderedPNG { try figure.write(to: $0) }
    let plot = layout.plot
    func slotX(_ slot: Double) -> Double { plot.minX + (slot + 0.5) * plot.width / 3 }
    // The root's bar spans slot 0 (c) to slot 1.5 (the a-b merge), at the tick "2".
    let rootY = try tickCoordinate("2", in: layout)
    let rootX = slotX(0.75)
    #expect(isBranchGrey(try pngPixel(image, atPoint: rootX, rootY)), "no bar at height 2")
    #expect(isWhite(try pngPixel(image, atPoint: rootX, rootY - 4)))
    #expect(isWhite(try pngPixel(image, atPoint: rootX, rootY + 4)))
    // The a-b bar at the tick "1", between slots 1 and 2; at slot 1.75, right of the
    // root's leg (slot 1.5), nothing above it, and the root's bar ends before it.
    let mergeY = try tickCoordinate("1", in: layout)
    #expect(isBranchGrey(try pngPixel(image, atPoint: slotX(1.75), mergeY)), "no bar at height 1")
    #expect(isWhite(try pngPixel(image, atPoint: slotX(1.75), mergeY - 4)))
    #expect(isWhite(try pngPixel(image, atPoint: slotX(1.75), rootY)))
    #expect(isBranchGrey(try pngPixel(image, atPoint: slotX(1.5), (rootY + mergeY) / 2)))
    // Leaf c's leg runs from 0 up to the root.
    #expect(isBranchGrey(try pngPixel(image, atPoint: slotX(0), (rootY + plot.maxY) / 2)))
}

@Test func dendrogramRootAtTheLeftHasItsBarAtItsHeight() throws {
    var figure = threeLeafFigure()
    figure.orientation = .left
    let layout = try layout(of: figure)
    let image = try renderedPNG { try figure.write(to: $0) }
    let plot = layout.plot
    // Height grows to the left; the root's vertical bar is at the tick "2".
    let rootX = try tickCoordinate("2", in: layout)
    #expect(rootX < (try tickCoordinate("1", in: layout)))
    let y = plot.minY + 0.75 * plot.height / 3 + plot.height / 6
    #expect(isBranchGrey(try pngPixel(image, atPoint: rootX, y)), "no bar at height 2")
    #expect(isWhite(try pngPixel(image, atPoint: rootX - 4, y)))
    #expect(isWhite(try pngPixel(image, atPoint: rootX + 4, y)))
}

@Test func dendrogramColoursSubtreesOfOneColourAndLabelsByLeaf() throws {
    var figure = threeLeafFigure()
    figure.leafColors = [red, red, blue]
    let layout = try layout(of: figure)
    #expect(layout.tree.uniformColors[3] == red)  // a and b
    #expect(layout.tree.uniformColors[4] == nil)  // the root: red and blue
    let image = try renderedPNG { try figure.write(to: $0) }
    let plot = layout.plot
    func slotX(_ slot: Double) -> Double { plot.minX + (slot + 0.5) * plot.width / 3 }
    #expect(isReddish(try pngPixel(image, atPoint: slotX(1.5), try tickCoordinate("1", in: layout))))
    #expect(isBranchGrey(try pngPixel(image, atPoint: slotX(0.75), try tickCoordinate("2", in: layout))))
    // Label pixels under each leaf: red under a (slot 1), none red under c (slot 0).
    func labelPixels(slot: Double) throws -> [RGBColor] {
        var pixels: [RGBColor] = []
        for dx in stride(from: -6.0, through: 6, by: 0.5) {
            for dy in stride(from: 1.0, through: 16, by: 0.5) {
                pixels.append(try pngPixel(image, atPoint: slotX(slot) + dx, plot.maxY + dy))
            }
        }
        return pixels
    }
    #expect(try labelPixels(slot: 1).filter(isReddish).count > 5)
    #expect(try labelPixels(slot: 0).filter(isReddish).isEmpty)
    #expect(try labelPixels(slot: 0).contains { $0.blue > 0.6 && $0.red < 0.45 })
}

@Test func dendrogramLabelsTurnUpwardWhenCrowdedAndShrinkWhenStacked() throws {
    func figure(leaves: Int, label: (Int) -> String) -> DendrogramFigure {
        DendrogramFigure(
            merges: (0..<leaves - 1).map { k in
                DendrogramMerge(first: k == 0 ? 0 : leaves + k - 1, second: k + 1, height: Double(k + 1))
            },
            leafLabels: (0..<leaves).map(label), heightLabel: "d", title: "")
    }
    let few = try layout(of: figure(leaves: 5) { ["ʃ", "s", "aɪ", "iː", "m"][$0] })
    #expect(few.labels.rotation == .horizontal && few.labels.fontSize == FigureStyle.standard.tickLabelSize)
    let crowded = try layout(of: figure(leaves: 45) { "phoneme \($0)" })
    #expect(crowded.labels.rotation == .upward)
    #expect(crowded.labels.labels.count == 45)
    var stacked = figure(leaves: 45) { "p\($0)" }
    stacked.orientation = .left
    let left = try layout(of: stacked)
    #expect(left.labels.fontSize < FigureStyle.standard.tickLabelSize)
    #expect(left.labels.fontSize >= FigureStyle.standard.minimumLeafLabelSize)
    // Everything inside the page: labels below (`.top`) or beside (`.left`) the plot.
    let canvas = try measuringCanvas(for: stacked)
    let padding = FigureStyle.standard.outerPadding
    #expect(left.plot.maxX + 4 + left.labels.depth(stacked: true, on: canvas) <= 900 - padding + 1e-9)
    #expect(
        crowded.plot.maxY + 4 + crowded.labels.depth(stacked: false, on: canvas) <= 500 - padding + 1e-9)
}

@Test func dendrogramValidationNamesTheBadParameterAndWritesNothing() throws {
    let cases: [(name: String, change: (inout DendrogramFigure) -> Void)] = [
        (
            "leafLabels.count",
            {
                $0.leafLabels = ["a"]
                $0.merges = []
            }
        ),
        ("merges.count", { $0.merges.removeLast() }),
        ("merges[0].first", { $0.merges[0].first = 3 }),
        ("merges[1].second", { $0.merges[1].second = 5 }),
        ("merges[1].first", { $0.merges[1].first = 0 }),
        ("merges[0].second", { $0.merges[0].second = -1 }),
        ("merges[1].height", { $0.merges[1].height = .nan }),
        ("merges[0].height", { $0.merges[0].height = -1 }),
        ("leafColors.count", { $0.leafColors = [red] }),
        ("leafOrder.count", { $0.leafOrder = [0, 1] }),
        ("leafOrder[2]", { $0.leafOrder = [0, 1, 1] }),
        ("size", { $0.size = (100, 100) }),
        ("pixelsPerPoint", { $0.pixelsPerPoint = 0 }),
    ]
    try expectInvalidParameters(cases, of: threeLeafFigure, fileName: "dendrogram.png") { try $0.write(to: $1) }
}
