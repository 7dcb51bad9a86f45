import ArgumentParser
import Foundation
import Introspection
import NeuralCore
import PhonoscopeIO
import Plots
import Topography

/// `phonoscope som`: self-organising maps of first-layer filters, of a layer's units by their
/// profiles, or of the rows of any matrix.
struct SOMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "som",
        abstract: "Self-organising map (Kohonen) of filters, of units by their NAPs, or of any matrix's rows.",
        discussion: """
            --model MODEL --layer L --filters: the items are the layer's convolution
            filters (for layer 1 the 250 spectro-temporal filters, 128 mel bands x 48
            taps), each scaled to unit length (--no-normalize keeps their sizes); each
            cell of the figure shows the filter mapped to it that lies nearest the cell's
            weight, as a frequency (up) x time (right) patch, with the number of filters
            mapped there; grey cells have none.
            --naps NAPS --layer L: the items are the layer's units, each described by its
            time-independent contrastive NAP across the groups; the figure has one
            topographic map per group (EEG scalp-map style, [TOPOMAP23]): each cell's
            value is the mean profile value of the units mapped to it, interpolated
            between cell centres, blue-white-red with symmetric limits.
            --input X.npy: the rows of a matrix; the figure is the U-matrix. Defaults
            follow [TOPOMAP23]: a square grid of side floor(sqrt(n)) + 1 for n items,
            sigma 1, learning rate 0.5, 10 n iterations in random order (MiniSom's update,
            asymptotic decay).
            --json prints quantization_error, topographic_error, the grid and each item's
            cell.

            Examples:
              phonoscope som --model Corpora/models/en-small --layer 1 --filters -o \\
                filters.png --json
              phonoscope som --naps en.naps --layer 9 --groups "s,ʃ,t,iː,ɑː,n" -o \\
                topomaps.png
              phonoscope som --input X.npy --grid 10x10 --topology hexagonal --umatrix \\
                u.png --json
            """)

    @Option(help: "Model directory (with --filters).")
    var model: String?

    @Option(help: "NAPs file (units by their profiles).")
    var naps: String?

    @Option(help: "A matrix (.npy, rows are items).")
    var input: String?

    @Option(help: "Layer index or name (with --model or --naps).")
    var layer: String?

    @Flag(help: "Map the layer's convolution filters (with --model).")
    var filters = false

    @Flag(inversion: .prefixedNo, help: "Scale each filter to unit length before mapping.")
    var normalize = true

    @Option(help: "Grid as RxC, e.g. 16x16 (default: floor(sqrt(n)) + 1 square).")
    var grid: String?

    @Option(help: "rectangular or hexagonal.")
    var topology: SOMConfiguration.Topology = .rectangular

    @Option(help: "Training steps (default 10 n).")
    var iterations: Int?

    @Option(help: "Neighbourhood width in grid units at the start.")
    var sigma = 1.0

    @Option(help: "Learning rate at the start.")
    var learningRate = 0.5

    @Option(help: "Initial weights: random (data rows) or pca.")
    var initialization: SOMConfiguration.Initialization = .random

    @Option(help: "Seed of the initial rows and the order.")
    var seed: UInt64 = 0

    @Option(help: "Groups to map (with --naps; comma-separated, default all).")
    var groups: String?

    @Option(name: .shortAndLong, help: "Figure (.png, .svg or .pdf).")
    var output: String?

    @Option(help: "Also draw the U-matrix (distances between neighbouring cells).")
    var umatrix: String?

    @Flag(help: "Print errors, grid and cells as JSON.")
    var json = false

    func validate() throws {
        let sources = [model != nil, naps != nil, input != nil].filter { $0 }.count
        guard sources == 1 else {
            throw ValidationError("give one of --model MODEL --layer L --filters, --naps NAPS --layer L, --input X.npy")
        }
        if model != nil && !filters { throw ValidationError("--model maps filters: add --filters") }
        if filters && model == nil { throw ValidationError("--filters needs --model") }
        if (model != nil || naps != nil) && layer == nil {
            throw ValidationError("--layer is needed with --model or --naps")
        }
        if let iterations, iterations < 1 {
            throw ValidationError("--iterations \(iterations) is invalid; valid: 1 or more")
        }
        _ = try gridSize(items: 1)
        for path in [output, umatrix].compactMap({ $0 }) { try OutputPath.checkDirectory(of: path) }
    }

    /// --grid as rows and columns, or the [TOPOMAP23] default for `items`.
    func gridSize(items: Int) throws -> (rows: Int, columns: Int) {
        guard let grid else {
            let side = Int(Double(items).squareRoot().rounded(.down)) + 1
            return (side, side)
        }
        let parts = grid.lowercased().split(separator: "x").map { Int($0) }
        guard parts.count == 2, let rows = parts[0], let columns = parts[1],
            (1...SOMConfiguration.maximumSide).contains(rows), (1...SOMConfiguration.maximumSide).contains(columns)
        else {
            throw ValidationError(
                "--grid \(grid) is invalid; valid: RxC with 1 to \(SOMConfiguration.maximumSide) cells a side, e.g. 16x16"
            )
        }
        return (rows, columns)
    }

    func run() throws {
        let items: (data: [Double], count: Int, dimension: Int, names: [String])
        var patchShape: (height: Int, width: Int)?
        var profileFile: ProfileFile?
        var profileLayer = 0
        if let model, let layer {
            let recognizer = try ModelInput.recognizer(model)
            let convolutions = recognizer.network.layers.compactMap { $0 as? Conv1d }
            guard
                let conv = convolutions.first(where: { $0.name == layer })
                    ?? Int(layer).flatMap({ (1...convolutions.count).contains($0) ? convolutions[$0 - 1] : nil })
            else {
                throw ValidationError(
                    "--layer \(layer): no such convolution in \(model); valid: 1-\(convolutions.count) or \(convolutions.map(\.name).joined(separator: ", "))"
                )
            }
            let size = conv.inChannels * conv.kernelSize
            var data = conv.weight.value.values.map(Double.init)
            if normalize {
                for o in 0..<conv.outChannels {
                    let norm = (0..<size).reduce(0.0) { $0 + data[o * size + $1] * data[o * size + $1] }.squareRoot()
                    if norm > 0 { for i in 0..<size { data[o * size + i] /= norm } }
                }
            }
            items = (data, conv.outChannels, size, (0..<conv.outChannels).map { "\(conv.name) filter \($0)" })
            patchShape = (conv.inChannels, conv.kernelSize)
        } else if let naps, let layer {
            let file = try ProfileFile(contentsOf: URL(fileURLWithPath: naps))
            let l = try file.layerPosition(layer)
            let chosen = try chosenGroups(file)
            let profiles = file.timeIndependent(l)
            let channels = file.layers[l].channels
            var data: [Double] = []
            for unit in 0..<channels { data += chosen.map { profiles[$0]?[unit] ?? 0 } }
            items = (data, channels, chosen.count, (0..<channels).map { "unit \($0)" })
            profileFile = file
            profileLayer = l
        } else if let input {
            let matrix = try ModelInput.matrix(input)
            items = (matrix.values, matrix.rows, matrix.columns, (0..<matrix.rows).map(String.init))
        } else {
            throw ValidationError("nothing to map")
        }
        let (rows, columns) = try gridSize(items: items.count)
        let configuration = SOMConfiguration(
            rows: rows, columns: columns, topology: topology, sigma: sigma, learningRate: learningRate,
            iterations: iterations ?? 10 * items.count, initialization: initialization, seed: seed)
        let map = try SelfOrganizingMap.train(
            data: items.data, count: items.count, dimension: items.dimension, configuration: configuration)
        let cells = map.bestMatchingUnits(data: items.data, count: items.count)
        let quantization = map.quantizationError(data: items.data, count: items.count)
        let topographic = map.topographicError(data: items.data, count: items.count)
        var counts = [Int](repeating: 0, count: rows * columns)
        for cell in cells { counts[cell] += 1 }
        let title =
            "SOM \(rows)x\(columns) \(topology.rawValue), \(configuration.iterations) steps: quantization error \(String(format: "%.3g", quantization)), topographic error \(String(format: "%.3f", topographic))"
        // Plots draws hexagonal maps with odd rows shifted right; mirror the columns when the
        // map's own geometry shifts them the other way (a mirror image keeps every neighbour).
        let mirrored = topology == .hexagonal && rows > 1 && map.cellPosition(columns).x < map.cellPosition(0).x
        func drawn(_ cell: Int) -> Int {
            mirrored ? (cell / columns) * columns + (columns - 1 - cell % columns) : cell
        }
        let figureTopology: SOMGridFigure.Topology = topology == .hexagonal ? .hexagonal : .rectangular
        if let output {
            if let patchShape {
                var patches = [[Float]?](repeating: nil, count: rows * columns)
                var drawnCounts = [Int](repeating: 0, count: rows * columns)
                for cell in 0..<(rows * columns) where counts[cell] > 0 {
                    let weight = map.weights[(cell * items.dimension)..<((cell + 1) * items.dimension)]
                    let nearest = cells.indices.filter { cells[$0] == cell }.min { a, b in
                        distance(items.data, a, weight, items.dimension)
                            < distance(items.data, b, weight, items.dimension)
                    }
                    if let nearest {
                        patches[drawn(cell)] = items.data[
                            (nearest * items.dimension)..<((nearest + 1) * items.dimension)
                        ]
                        .map { Float($0) }
                    }
                    drawnCounts[drawn(cell)] = counts[cell]
                }
                var figure = SOMGridFigure(
                    rows: rows, columns: columns, topology: figureTopology, patches: patches,
                    patchWidth: patchShape.width, patchHeight: patchShape.height, colorbarLabel: "filter weight",
                    title: title)
                figure.counts = drawnCounts
                figure.patchAxisNote =
                    "each cell: the filter nearest its weight, input channel (\(layer == "1" || layer == "conv1" ? "mel band, low at the bottom" : "unit")) up x tap (time) right; the number says how many filters the cell holds"
                try figure.write(to: URL(fileURLWithPath: output))
            } else if let file = profileFile {
                let chosen = try chosenGroups(file)
                let positions = (0..<(rows * columns)).map { cell -> GridPoint in
                    let p = map.cellPosition(cell)
                    return GridPoint(x: p.x, y: p.y)
                }
                let panels = chosen.enumerated().map { g, group -> TopographicPanel in
                    var sums = [Double](repeating: 0, count: rows * columns)
                    for (unit, cell) in cells.enumerated() { sums[cell] += items.data[unit * items.dimension + g] }
                    let values = (0..<(rows * columns)).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : .nan }
                    return TopographicPanel(title: "\(group) (n=\(file.count(group)))", values: values)
                }
                var figure = TopographicMapFigure(
                    cellPositions: positions, panels: panels,
                    colorbarLabel: "time-independent contrastive NAP (mean of the cell's units)",
                    title: "\(file.layers[profileLayer].name) units on a \(title)")
                figure.columns = min(7, max(1, Int(Double(panels.count).squareRoot().rounded(.up))))
                let panelRows = (panels.count + figure.columns - 1) / figure.columns
                figure.size = (max(600, Double(figure.columns) * 160 + 120), max(400, Double(panelRows) * 160 + 90))
                try figure.write(to: URL(fileURLWithPath: output))
            } else {
                try uMatrixFigure(map, counts: counts, drawn: drawn, title: title).write(
                    to: URL(fileURLWithPath: output))
            }
        }
        if let umatrix {
            try uMatrixFigure(map, counts: counts, drawn: drawn, title: title).write(to: URL(fileURLWithPath: umatrix))
        }
        if json {
            let report: [String: Any] = [
                "quantization_error": quantization, "topographic_error": topographic, "grid": [rows, columns],
                "topology": topology.rawValue, "iterations": configuration.iterations, "items": items.count,
                "cells_used": counts.filter { $0 > 0 }.count, "cells": cells, "seed": seed,
            ]
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(
                "mapped \(items.count) items on \(rows)x\(columns) cells (\(counts.filter { $0 > 0 }.count) used): quantization error \(String(format: "%.3f", quantization)), topographic error \(String(format: "%.3f", topographic))"
            )
        }
    }

    func distance(_ data: [Double], _ item: Int, _ weight: ArraySlice<Double>, _ dimension: Int) -> Double {
        var sum = 0.0
        for (i, w) in weight.enumerated() {
            let d = data[item * dimension + i] - w
            sum += d * d
        }
        return sum
    }

    func chosenGroups(_ file: ProfileFile) throws -> [String] {
        let all = ERPCommand.orderedByClass(file.groups)
        guard let groups else { return all }
        let list = groups.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        let known = list.filter(all.contains)
        let missing = list.filter { !all.contains($0) }
        if !missing.isEmpty { Console.warn("groups not in the NAPs file, skipped: \(missing.joined(separator: " "))") }
        guard known.count >= 2 else {
            throw ValidationError(
                "--groups \(groups): fewer than 2 of them are in the file; it has: \(all.joined(separator: " "))")
        }
        return known
    }

    func uMatrixFigure(_ map: SelfOrganizingMap, counts: [Int], drawn: (Int) -> Int, title: String) -> SOMGridFigure {
        let u = map.uMatrix()
        let cellCount = map.configuration.rows * map.configuration.columns
        var values = [Double](repeating: 0, count: cellCount)
        var drawnCounts = [Int](repeating: 0, count: cellCount)
        for cell in 0..<cellCount {
            values[drawn(cell)] = u[cell]
            drawnCounts[drawn(cell)] = counts[cell]
        }
        var figure = SOMGridFigure(
            rows: map.configuration.rows, columns: map.configuration.columns,
            topology: map.configuration.topology == .hexagonal ? .hexagonal : .rectangular, cellValues: values,
            colorbarLabel: "mean distance to neighbouring cells (U-matrix, max 1)", title: "U-matrix · " + title)
        figure.counts = drawnCounts
        return figure
    }
}

extension SOMConfiguration.Topology: ExpressibleByArgument {}
extension SOMConfiguration.Initialization: ExpressibleByArgument {}
