import ArgumentParser
import Foundation
import Introspection
import Phonetics
import Plots
import Recognizer

/// `phonoscope erp --naps NAPS --layer L -o FIG`: ERP-style figures of one layer's profiles.
struct ERPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erp",
        abstract: "Draw one layer's profiles as ERP figures: lines with 95 % bands, ERP image, heatmaps.",
        discussion: """
            --plot lines (default): one line per group over the epoch (time in ms, t = 0
            the event), with a 95 % confidence band (mean +- 1.96 standard errors over
            events): the layer's global field power (the standard deviation over its units
            of each event's epoch, averaged over events), or with --units one panel per
            unit.
            --plot image: the ERP image, one row per kept event (single-trial global field
            power), sorted by the phone's duration, which is marked on each row.
            --plot heatmap: the contrastive NAP (the group's NAP minus the average over
            groups) as units x time for --group (default the most frequent group), or with
            --heatmap groups the time-independent NAP as units x groups; diverging
            colours, symmetric limits.
            --plot spectrogram (input layer only): the contrastive NAP of layer 0 per
            group, an average spectrogram of each phoneme minus the grand average.
            --plot all: every figure that applies, as FIG's name plus -lines, -image,
            -heatmap, -heatmap-groups and -spectrogram. Groups are ordered by phonetic
            class (vowels, diphthongs, plosives, fricatives, affricates, nasals,
            approximants), then by symbol. Heatmaps and spectrograms put their symmetric
            colour limits at the 99th percentile of |value|, so a few rare groups do not
            wash out the rest (larger values saturate; the colour bar says so). The format
            follows the extension: .png, .svg or .pdf.

            Examples:
              phonoscope erp --naps en.naps --layer 5 -o erp-5.png
              phonoscope erp --naps en.naps --layer conv9 --units 3,17,42 --groups \\
                "s,ʃ,t,iː" -o units.pdf
              phonoscope erp --naps en.naps --layer 0 --plot all -o input.png
            """)

    enum Plot: String, ExpressibleByArgument, CaseIterable { case lines, image, heatmap, spectrogram, all }
    enum HeatmapColumns: String, ExpressibleByArgument, CaseIterable { case time, groups }

    @Option(help: "NAPs file (from phonoscope nap).")
    var naps: String

    @Option(help: "Layer: its index (0 = input features) or name (conv5).")
    var layer: String

    @Option(name: .shortAndLong, help: "Figure file (.png, .svg or .pdf); with --plot all, the base name.")
    var output: String

    @Option(help: "lines, image, heatmap, spectrogram or all.")
    var plot: Plot = .lines

    @Option(
        help:
            "Groups to draw (comma-separated); default the 8 most frequent (lines, image), all (heatmap, spectrogram).")
    var groups: String?

    @Option(help: "Units (channels) to draw as panels instead of the global field power, e.g. 3,17,42.")
    var units: String?

    @Option(help: "Heatmap columns: time (units x time for --group) or groups (time-independent NAP).")
    var heatmap: HeatmapColumns = .time

    @Option(help: "The group of a units x time heatmap; default the most frequent.")
    var group: String?

    @Option(help: "Contrastive NAPs subtract the average over groups weighted uniformly or by size.")
    var weighting: ProfileFile.GroupWeighting = .uniform

    func validate() throws {
        try OutputPath.checkDirectory(of: output)
        let ext = URL(fileURLWithPath: output).pathExtension.lowercased()
        guard ["png", "svg", "pdf"].contains(ext) else {
            throw ValidationError("-o \(output): the extension must be .png, .svg or .pdf")
        }
    }

    func run() throws {
        let file = try ProfileFile(contentsOf: URL(fileURLWithPath: naps))
        let l = try file.layerPosition(layer)
        let info = file.layers[l]
        let all = Self.orderedByClass(file.groups)
        let byCount = all.sorted { (file.count($0), $1) > (file.count($1), $0) }
        var chosen: [String]?
        if let groups {
            let list = groups.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            let missing = list.filter { !all.contains($0) }
            if !missing.isEmpty {
                Console.warn(
                    "groups not in \(naps) (no events, or under --min-count), skipped: \(missing.joined(separator: " ")); it has: \(all.joined(separator: " "))"
                )
            }
            chosen = list.filter { all.contains($0) }
            guard chosen?.isEmpty == false else { throw ValidationError("none of --groups \(groups) is in \(naps)") }
        }
        let lineGroups = chosen ?? Array(byCount.prefix(8))
        let title =
            "\(file.info.options.kind.rawValue.uppercased()) · \(info.name) · \(URL(fileURLWithPath: file.info.model).lastPathComponent)"
        let outputURL = URL(fileURLWithPath: output)
        func path(_ suffix: String) -> URL {
            guard plot == .all else { return outputURL }
            let base = outputURL.deletingPathExtension()
            return base.deletingLastPathComponent().appendingPathComponent(
                base.lastPathComponent + "-" + suffix + "." + outputURL.pathExtension)
        }
        var written: [String] = []
        if plot == .lines || plot == .all {
            try lines(file, l, groups: lineGroups, title: title).write(to: path("lines"))
            written.append(path("lines").path)
        }
        if plot == .image || plot == .all {
            try erpImage(file, l, groups: lineGroups, title: title).write(to: path("image"))
            written.append(path("image").path)
        }
        if plot == .heatmap || plot == .all {
            let columns: [HeatmapColumns] = plot == .all ? [.time, .groups] : [heatmap]
            for column in columns {
                let suffix = column == .time ? "heatmap" : "heatmap-groups"
                try heatmapFigure(file, l, columns: column, groups: chosen ?? all, fallback: byCount[0], title: title)
                    .write(to: path(suffix))
                written.append(path(suffix).path)
            }
        }
        if plot == .spectrogram || (plot == .all && info.index == 0) {
            guard info.index == 0 else {
                throw ValidationError(
                    "--plot spectrogram draws the input layer (0); \(info.name) is layer \(info.index)")
            }
            try spectrograms(file, l, groups: chosen ?? all, title: title).write(to: path("spectrogram"))
            written.append(path("spectrogram").path)
        }
        print("wrote " + written.joined(separator: ", "))
    }

    /// Groups by phonetic class, then symbol; groups that are not phonemes (letters) by symbol.
    static func orderedByClass(_ groups: [String]) -> [String] {
        func rank(_ group: String) -> Int {
            if let known = PhoneticClass(rawValue: group) { return PhoneticClass.allCases.firstIndex(of: known) ?? 0 }
            guard let phoneme = PhonemeInventory.phoneme(group) else { return PhoneticClass.allCases.count }
            return PhoneticClass.allCases.firstIndex(of: phoneme.phoneticClass) ?? 0
        }
        return groups.sorted { (rank($0), $0) < (rank($1), $1) }
    }

    /// Symmetric limits at the 99th percentile of |value| (nil when every value is 0).
    static func robustLimits(_ values: [Float]) -> ClosedRange<Float>? {
        let magnitudes = values.filter(\.isFinite).map(abs).sorted()
        guard let top = magnitudes.last, top > 0 else { return nil }
        let limit = magnitudes[Int(Double(magnitudes.count - 1) * 0.99)]
        let bound = limit > 0 ? limit : top
        return -bound...bound
    }

    /// The unit indices of --units, checked against the layer.
    func unitIndices(channels: Int, layerName: String) throws -> [Int]? {
        guard let units else { return nil }
        let values = units.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && (0..<channels).contains($0 ?? -1) }) else {
            throw ValidationError(
                "--units \(units) is invalid; valid: unit indices 0-\(channels - 1) of layer \(layerName), comma-separated"
            )
        }
        return values.compactMap { $0 }
    }

    func lines(_ file: ProfileFile, _ l: Int, groups: [String], title: String) throws -> LinePanelsFigure {
        let layer = file.layers[l]
        let channels = layer.channels
        var panels: [LinePanel] = []
        let z = 1.959964
        if let units = try unitIndices(channels: channels, layerName: layer.name) {
            for unit in units {
                let series = groups.map { group -> LineSeries in
                    let mean = file.mean(l, group: group)
                    let error = file.standardError(l, group: group)
                    let window = mean.count / channels
                    let m = (0..<window).map { mean[$0 * channels + unit] }
                    let e = (0..<window).map { error[$0 * channels + unit] }
                    return LineSeries(
                        label: "\(group) (n=\(file.count(group)))", values: m, lower: zip(m, e).map { $0 - z * $1 },
                        upper: zip(m, e).map { $0 + z * $1 })
                }
                panels.append(LinePanel(title: "unit \(unit)", series: series))
            }
        } else {
            let series = groups.map { group -> LineSeries in
                let m = file.gfpMean(l, group: group)
                let e = file.gfpStandardError(l, group: group)
                return LineSeries(
                    label: "\(group) (n=\(file.count(group)))", values: m, lower: zip(m, e).map { $0 - z * $1 },
                    upper: zip(m, e).map { $0 + z * $1 })
            }
            panels.append(LinePanel(title: "global field power of \(layer.name) (\(channels) units)", series: series))
        }
        var figure = LinePanelsFigure(
            x: file.times(l), panels: panels, xLabel: "Time relative to the event (ms)",
            yLabel: units == nil ? "global field power" : "activation", title: title)
        figure.columns = min(panels.count, 3)
        return figure
    }

    func erpImage(_ file: ProfileFile, _ l: Int, groups: [String], title: String) throws -> MatrixFigure {
        let kept = file.accumulator.trials.filter { groups.contains($0.group) }.sorted {
            ($0.duration, $0.utterance, $0.event) < ($1.duration, $1.utterance, $1.event)
        }
        guard !kept.isEmpty else {
            throw ValidationError("\(naps) keeps no single trials of these groups (made with --trials 0?)")
        }
        let times = file.times(l)
        var figure = MatrixFigure(
            values: kept.flatMap { $0.traces[l] }, rowCount: kept.count, columnCount: times.count,
            columns: .values(times, label: "Time relative to the event (ms)"),
            rows: .index(label: "event (sorted by duration)"), colorbarLabel: "global field power",
            title: title + " · ERP image of \(groups.joined(separator: " "))")
        figure.colormap = .magma
        figure.symmetricLimits = false
        figure.verticalMarkers = [0]
        if file.info.options.anchor == .onset { figure.rowMarkers = kept.map { $0.duration * 1000 } }
        return figure
    }

    func heatmapFigure(
        _ file: ProfileFile, _ l: Int, columns: HeatmapColumns, groups: [String], fallback: String, title: String
    ) throws -> MatrixFigure {
        let channels = file.layers[l].channels
        switch columns {
        case .time:
            let name = group ?? fallback
            guard let values = file.contrastive(l, weighting: weighting)[name] else {
                throw ValidationError(
                    "--group \(name) is not in \(naps); it has: \(file.groups.joined(separator: " "))")
            }
            let times = file.times(l)
            let window = times.count
            // Units as rows, time as columns.
            var matrix = [Float](repeating: 0, count: channels * window)
            for t in 0..<window {
                for c in 0..<channels { matrix[c * window + t] = Float(values[t * channels + c]) }
            }
            var figure = MatrixFigure(
                values: matrix, rowCount: channels, columnCount: window,
                columns: .values(times, label: "Time relative to the event (ms)"), rows: .index(label: "unit"),
                colorbarLabel: "contrastive NAP (\(name) minus the mean over groups)",
                title: title + " · \(name) (n=\(file.count(name)))")
            figure.verticalMarkers = [0]
            figure.colorLimits = Self.robustLimits(matrix)
            return figure
        case .groups:
            let profiles = file.timeIndependent(l, weighting: weighting)
            var matrix = [Float](repeating: 0, count: channels * groups.count)
            for (g, name) in groups.enumerated() {
                let values = profiles[name] ?? []
                for c in 0..<min(channels, values.count) { matrix[c * groups.count + g] = Float(values[c]) }
            }
            var figure = MatrixFigure(
                values: matrix, rowCount: channels, columnCount: groups.count,
                columns: .categories(groups, label: "group"), rows: .index(label: "unit"),
                colorbarLabel: "time-independent contrastive NAP", title: title + " · units x groups")
            figure.colorLimits = Self.robustLimits(matrix)
            return figure
        }
    }

    func spectrograms(_ file: ProfileFile, _ l: Int, groups: [String], title: String) throws -> HeatmapGridFigure {
        let bins = file.layers[l].channels
        let profiles = file.contrastive(l, weighting: weighting)
        let panels = groups.compactMap { name -> HeatmapPanel? in
            guard let values = profiles[name] else { return nil }
            return HeatmapPanel(title: "\(name) (n=\(file.count(name)))", values: values.map { Float($0) })
        }
        let times = file.times(l)
        let frequencies = try? Recognizer(directory: URL(fileURLWithPath: file.info.model)).featureConfiguration?
            .melFilterbank().centerFrequencies
        var figure = HeatmapGridFigure(
            panels: panels, frameCount: times.count, binCount: bins, frameTimes: times,
            timeLabel: "Time (ms)", binFrequencies: frequencies?.count == bins ? frequencies : nil,
            colorbarLabel: "features minus the grand average (z)", title: title + " · average spectrogram per group")
        figure.colorLimits = Self.robustLimits(panels.flatMap(\.values))
        figure.columns = min(7, max(1, Int(Double(panels.count).squareRoot().rounded(.up))))
        let rows = (panels.count + figure.columns - 1) / figure.columns
        figure.size = (max(600, Double(figure.columns) * 170), max(400, Double(rows) * 150 + 80))
        return figure
    }
}

extension ProfileFile.GroupWeighting: ExpressibleByArgument {}
