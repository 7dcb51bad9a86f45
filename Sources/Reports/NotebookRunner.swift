import Foundation
import PhonoscopeIO

/// Runs a notebook's blocks in order from the repository root and renders each block's output
/// region: the command's standard output as a text block (its error message for a `fails`
/// block), then the figures its arguments name. A full run writes the regions into the file
/// (atomically) and the figures into NAME/ beside it; `check` compares instead of writing;
/// `quick` uses the variables' quick values and a temporary `$OUT`, and compares only the
/// blocks whose output cannot depend on them.
public struct NotebookRunner {
    /// What one command printed and how it exited.
    public struct CommandResult {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String

        public init(status: Int32, standardOutput: String, standardError: String) {
            self.status = status
            self.standardOutput = standardOutput
            self.standardError = standardError
        }
    }

    /// Runs `phonoscope ARGUMENTS` (the arguments after the word `phonoscope`) in `directory`.
    public typealias Execute = (_ arguments: [String], _ directory: URL) throws -> CommandResult

    /// A block whose fresh output is not the recorded one.
    public struct Difference: Equatable, CustomStringConvertible {
        public var location: String
        public var recorded: [String]?
        public var actual: [String]

        public var description: String {
            guard let recorded else {
                return "\(location): no recorded output (run without --check to record it)"
            }
            let index =
                zip(recorded, actual).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(recorded.count, actual.count)
            func line(_ lines: [String]) -> String { index < lines.count ? "`\(lines[index])`" : "(nothing)" }
            return "\(location): output line \(index + 1) was \(line(recorded)), is now \(line(actual))"
        }
    }

    public struct Report {
        public var path: String
        public var blocks = 0
        public var commands = 0
        public var compared = 0
        public var differences: [Difference] = []
        /// Blocks not compared, with the reason.
        public var notCompared: [(location: String, reason: String)] = []
        public var wrote = false
    }

    public static let markerName = ".phonoscope-notebook"
    /// Longer outputs are cut after this many lines.
    public static let maximumLines = 60
    /// Files a block writes that the notebook links to: figures are shown inline, PDFs get a
    /// plain link. (Audio is not linked: prose links the few files a notebook keeps.)
    public static let figureExtensions: Set<String> = ["png", "svg", "pdf"]
    static let inlineExtensions: Set<String> = ["png", "svg"]

    public let notebookURL: URL
    public let root: URL
    public let quick: Bool
    public let check: Bool

    public init(notebook: URL, root: URL, quick: Bool, check: Bool) {
        notebookURL = notebook.standardizedFileURL
        self.root = root.standardizedFileURL
        self.quick = quick
        self.check = check
    }

    /// The notebook's output folder of a full run: NAME/ beside NAME.md.
    public var outputFolder: URL { notebookURL.deletingPathExtension() }
    var stem: String { notebookURL.deletingPathExtension().lastPathComponent }

    /// `url`'s path relative to the root when it is inside it, else absolute.
    func display(_ url: URL) -> String {
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return url.path.hasPrefix(base) ? String(url.path.dropFirst(base.count)) : url.path
    }

    public func run(execute: Execute, log: (String) -> Void) throws -> Report {
        let path = display(notebookURL)
        let text: String
        do {
            text = try String(contentsOf: notebookURL, encoding: .utf8)
        } catch {
            throw FileError.unreadable(path: notebookURL.path, reason: error.localizedDescription)
        }
        let notebook = try Notebook(text: text, path: path)
        let writes = !check && !quick
        let manager = FileManager.default

        // $OUT: for a full run that records, a staging folder beside NAME/ that replaces it
        // only once every block has run (a failure leaves the old figures); otherwise a fresh
        // temporary folder.
        let out: URL
        var temporary: URL?
        if writes {
            out = stagingFolder
            try prepareOutputFolder(out)
            temporary = out
        } else {
            let scratch = manager.temporaryDirectory.appendingPathComponent("phonoscope-notebook-\(UUID().uuidString)")
            temporary = scratch
            out = scratch.appendingPathComponent(stem)
            try manager.createDirectory(at: out, withIntermediateDirectories: true)
        }
        defer { if let temporary { try? manager.removeItem(at: temporary) } }
        let outValue = writes ? display(out) : out.path
        var variables = notebook.values(quick: quick)
        variables["OUT"] = outValue
        let sizes = Set(notebook.variables.filter { $0.full != $0.quick }.map(\.name))

        var report = Report(path: path)
        var regions: [[String]?] = []
        var sizedPaths: [String] = []
        for (number, block) in notebook.blocks.enumerated() {
            let location = "\(path):\(block.line)"
            var outputs: [String] = []
            var figures: [String] = []
            var used: Set<String> = []
            var paths: [String] = []
            for command in block.commands {
                let commandLocation = "\(path):\(command.line)"
                let split = try CommandWords.split(command.text, variables: variables) { commandLocation }
                used.formUnion(split.used)
                let arguments = Array(split.words.dropFirst())
                let pieces = arguments.flatMap { $0.split(separator: "=", omittingEmptySubsequences: false) }
                    .map(String.init)
                let outPaths = pieces.filter { $0 == outValue || $0.hasPrefix(outValue + "/") }
                paths += outPaths
                let before = Self.figureDates(under: out)
                let started = Date()
                let result = try execute(arguments, root)
                let shown = (["phonoscope"] + arguments.map(Self.quoted)).joined(separator: " ")
                let failed = result.status != 0
                if failed != block.tags.contains("fails") {
                    let tail = result.standardError.split(separator: "\n").suffix(8).joined(separator: "\n")
                    throw NotebookError.commandFailed(
                        location: commandLocation, command: shown, status: result.status, message: tail)
                }
                report.commands += 1
                log(
                    "  [\(number + 1)/\(notebook.blocks.count)] line \(command.line): "
                        + (failed ? "failed as expected" : "done") + " in "
                        + DemoRunner.formatSeconds(Date().timeIntervalSince(started)))
                if failed {
                    outputs.append(result.standardError)
                    outputs.append("(exit status \(result.status))\n")
                } else {
                    outputs.append(result.standardOutput)
                }
                if !failed { figures += Self.figures(written: before, under: out, named: outPaths, outValue: outValue) }
            }
            report.blocks += 1
            let region = render(outputs.joined(), figures: figures, out: out, outValue: outValue)

            // Does the output depend on the quick values (directly or through a file a
            // size-dependent block wrote)?
            let sizedBy = used.intersection(sizes).sorted()
            let through = paths.first { path in
                sizedPaths.contains { $0 == path || path.hasPrefix($0 + "/") || $0.hasPrefix(path + "/") }
            }
            if !sizedBy.isEmpty || through != nil { sizedPaths += paths }

            if block.tags.contains("no-check") {
                report.notCompared.append((location, "tagged no-check"))
            } else if quick && !sizedBy.isEmpty {
                report.notCompared.append((location, "uses " + sizedBy.map { "$" + $0 }.joined(separator: ", ")))
            } else if quick, let through {
                report.notCompared.append(
                    (
                        location,
                        "reads \(Self.normalize(through, out: out, outValue: outValue, root: root)), made with quick sizes"
                    ))
            } else if check || quick {
                report.compared += 1
                let recorded = block.recorded.map { $0.map(Self.trimTrailing) }
                if recorded != region.map(Self.trimTrailing) {
                    report.differences.append(Difference(location: location, recorded: recorded, actual: region))
                }
            }
            regions.append(region)
        }
        if writes {
            if manager.fileExists(atPath: outputFolder.path) { try manager.removeItem(at: outputFolder) }
            try manager.moveItem(at: out, to: outputFolder)
            temporary = nil
            try AtomicFile.write(Data(notebook.replacingOutputs(regions).utf8), to: notebookURL)
            report.wrote = true
        }
        return report
    }

    /// Where a full run writes before its outputs replace NAME/: .NAME.partial beside it.
    var stagingFolder: URL {
        notebookURL.deletingLastPathComponent().appendingPathComponent(".\(stem).partial")
    }

    /// The modification dates of the figures under `out`, by path relative to it.
    static func figureDates(under out: URL) -> [String: Date] {
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(at: out, includingPropertiesForKeys: [.contentModificationDateKey])
        else { return [:] }
        var dates: [String: Date] = [:]
        let base = out.standardizedFileURL.path + "/"
        for case let url as URL in enumerator
        where figureExtensions.contains(url.pathExtension.lowercased()) {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(base) else { continue }
            let relative = String(path.dropFirst(base.count))
            let date = (try? url.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
            dates[relative] = date ?? .distantPast
        }
        return dates
    }

    /// The figures a command wrote (new or modified under `out`): those its arguments name
    /// first, in their order, then the others in the order they were written.
    static func figures(written before: [String: Date], under out: URL, named: [String], outValue: String) -> [String] {
        let after = figureDates(under: out)
        let written = Set(after.keys.filter { before[$0] != after[$0] })
        let namedFirst = named.map { String($0.dropFirst(min($0.count, outValue.count + 1))) }.filter(written.contains)
        var seen = Set<String>()
        let byTime = written.sorted { (after[$0] ?? .distantPast, $0) < (after[$1] ?? .distantPast, $1) }
        return (namedFirst + byTime).filter { seen.insert($0).inserted }
    }

    /// Creates a fresh staging folder `out` for a full run; refuses when NAME/ exists and no
    /// notebook run made it.
    func prepareOutputFolder(_ out: URL) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: outputFolder.path),
            !manager.fileExists(atPath: outputFolder.appendingPathComponent(Self.markerName).path)
        {
            throw NotebookError.foreignOutputFolder(path: display(outputFolder), marker: Self.markerName)
        }
        if manager.fileExists(atPath: out.path) { try manager.removeItem(at: out) }
        try manager.createDirectory(at: out, withIntermediateDirectories: true)
        let marker = out.appendingPathComponent(Self.markerName)
        try AtomicFile.write(
            Data("The outputs of \(notebookURL.lastPathComponent), remade by phonoscope notebook run.\n".utf8),
            to: marker)
    }

    /// A block's region: the printed text (cut at `maximumLines`), then its figures.
    func render(_ printed: String, figures: [String], out: URL, outValue: String) -> [String] {
        var lines = Self.normalize(printed, out: out, outValue: outValue, root: root)
            .components(separatedBy: "\n").map(Self.trimTrailing)
        while lines.last == "" { lines.removeLast() }
        while lines.first == "" { lines.removeFirst() }
        if lines.count > Self.maximumLines {
            let cut = lines.count - Self.maximumLines
            lines = Array(lines.prefix(Self.maximumLines)) + ["... (\(cut) more lines)"]
        }
        var region: [String] = []
        if !lines.isEmpty {
            let fence = lines.contains { $0.hasPrefix("```") } ? "````" : "```"
            region += [fence + "text"] + lines + [fence]
        }
        for figure in figures {
            if !region.isEmpty { region.append("") }
            let link = "\(stem)/\(figure)"
            let name = URL(fileURLWithPath: figure).lastPathComponent
            region.append(
                Self.inlineExtensions.contains(URL(fileURLWithPath: figure).pathExtension.lowercased())
                    ? "![\(name)](\(link))" : "[\(name)](\(link))")
        }
        return region
    }

    /// Paths of this run written as `$OUT/...` and relative to the root; escape codes removed.
    static func normalize(_ text: String, out: URL, outValue: String, root: URL) -> String {
        var result = text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*[A-Za-z]", with: "", options: .regularExpression)
        result = result.replacingOccurrences(of: "\r", with: "\n")
        result = result.replacingOccurrences(of: out.path, with: "$OUT")
        if outValue != out.path { result = result.replacingOccurrences(of: outValue, with: "$OUT") }
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return result.replacingOccurrences(of: base, with: "")
    }

    static func trimTrailing(_ line: String) -> String {
        var line = line
        while line.last == " " || line.last == "\t" { line.removeLast() }
        return line
    }

    /// A word as a reader would type it.
    static func quoted(_ word: String) -> String {
        if !word.isEmpty && word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,+%@".contains($0) }) {
            return word
        }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
