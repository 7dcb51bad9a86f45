import Foundation
import PhonoscopeIO

/// One labelled stretch of time on a tier, in seconds. An empty label is silence (as Praat and
/// the Montreal Forced Aligner write it).
public struct Interval: Sendable, Equatable, Codable {
    public var start: Double
    public var end: Double
    public var label: String

    public init(start: Double, end: Double, label: String) {
        self.start = start
        self.end = end
        self.label = label
    }

    public var duration: Double { end - start }
}

/// A Praat interval tier: intervals that tile [xmin, xmax] in order, without gaps or overlaps.
public struct IntervalTier: Sendable, Equatable, Codable {
    public var name: String
    public var xmin: Double
    public var xmax: Double
    public var intervals: [Interval]

    public init(name: String, xmin: Double, xmax: Double, intervals: [Interval]) {
        self.name = name
        self.xmin = xmin
        self.xmax = xmax
        self.intervals = intervals
    }

    /// A tier over [xmin, xmax] from labelled stretches that may leave gaps (filled with empty
    /// intervals). The stretches must be sorted and must not overlap.
    public init(name: String, xmin: Double, xmax: Double, filling stretches: [Interval]) {
        var intervals: [Interval] = []
        var time = xmin
        for stretch in stretches {
            if stretch.start > time { intervals.append(Interval(start: time, end: stretch.start, label: "")) }
            intervals.append(stretch)
            time = stretch.end
        }
        if xmax > time { intervals.append(Interval(start: time, end: xmax, label: "")) }
        self.init(name: name, xmin: xmin, xmax: xmax, intervals: intervals)
    }

    /// The intervals with a label (the non-silent ones).
    public var labelled: [Interval] { intervals.filter { !$0.label.isEmpty } }
}

/// Errors reading or checking TextGrids; each names the file, the tier and the interval.
public enum TextGridError: Error, CustomStringConvertible, Equatable {
    case malformed(path: String, reason: String)
    case unsorted(path: String, tier: String, index: Int, start: Double, previousEnd: Double)
    case overlapping(path: String, tier: String, index: Int, start: Double, previousEnd: Double)
    case emptyInterval(path: String, tier: String, index: Int, start: Double, end: Double)
    case outOfRange(path: String, tier: String, index: Int, start: Double, end: Double, xmin: Double, xmax: Double)
    case missingTier(path: String, tier: String, available: [String])

    public var description: String {
        switch self {
        case .malformed(let path, let reason):
            return "\(path): not a Praat TextGrid: \(reason)"
        case .unsorted(let path, let tier, let index, let start, let previousEnd):
            return
                "\(path): tier \"\(tier)\" interval \(index) starts at \(start) s, before the previous interval's start; intervals must be sorted by time (previous ends at \(previousEnd) s)"
        case .overlapping(let path, let tier, let index, let start, let previousEnd):
            return
                "\(path): tier \"\(tier)\" interval \(index) starts at \(start) s but the previous one ends at \(previousEnd) s; intervals must not overlap"
        case .emptyInterval(let path, let tier, let index, let start, let end):
            return
                "\(path): tier \"\(tier)\" interval \(index) runs from \(start) s to \(end) s; an interval must end after it starts"
        case .outOfRange(let path, let tier, let index, let start, let end, let xmin, let xmax):
            return
                "\(path): tier \"\(tier)\" interval \(index) (\(start)-\(end) s) lies outside the tier's range \(xmin)-\(xmax) s"
        case .missingTier(let path, let tier, let available):
            return
                "\(path): no tier named \"\(tier)\"; the file has \(available.map { "\"\($0)\"" }.joined(separator: ", "))"
        }
    }
}

/// A Praat TextGrid (the format Praat reads and the Montreal Forced Aligner writes) with interval
/// tiers. Reads Praat's long and short text formats, UTF-8 or UTF-16; writes the long format
/// in UTF-8 with shortest round-trip numbers, so the same content gives the same bytes.
public struct TextGrid: Sendable, Equatable {
    public var xmin: Double
    public var xmax: Double
    public var tiers: [IntervalTier]

    public init(xmin: Double, xmax: Double, tiers: [IntervalTier]) {
        self.xmin = xmin
        self.xmax = xmax
        self.tiers = tiers
    }

    /// The tier called `name`, or an error listing the tiers there are.
    public func tier(_ name: String, path: String = "<TextGrid>") throws -> IntervalTier {
        guard let tier = tiers.first(where: { $0.name == name }) else {
            throw TextGridError.missingTier(path: path, tier: name, available: tiers.map(\.name))
        }
        return tier
    }

    /// Checks that every tier's intervals are sorted, do not overlap, have positive length and
    /// lie within the tier. Gaps are allowed (point-like annotations from other tools).
    public func validate(path: String = "<TextGrid>") throws {
        let tolerance = 1e-9
        for tier in tiers {
            var previous: Interval?
            for (index, interval) in tier.intervals.enumerated() {
                if !(interval.end > interval.start) {
                    throw TextGridError.emptyInterval(
                        path: path, tier: tier.name, index: index + 1, start: interval.start, end: interval.end)
                }
                if interval.start < tier.xmin - tolerance || interval.end > tier.xmax + tolerance {
                    throw TextGridError.outOfRange(
                        path: path, tier: tier.name, index: index + 1, start: interval.start, end: interval.end,
                        xmin: tier.xmin, xmax: tier.xmax)
                }
                if let previous {
                    if interval.start < previous.start {
                        throw TextGridError.unsorted(
                            path: path, tier: tier.name, index: index + 1, start: interval.start,
                            previousEnd: previous.end)
                    }
                    if interval.start < previous.end - tolerance {
                        throw TextGridError.overlapping(
                            path: path, tier: tier.name, index: index + 1, start: interval.start,
                            previousEnd: previous.end)
                    }
                }
                previous = interval
            }
        }
    }

    // MARK: Writing

    /// The long text format, as Praat's "Save as text file" writes it.
    public func encoded() -> String {
        func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
        }
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var lines = [
            "File type = \"ooTextFile\"", "Object class = \"TextGrid\"", "", "xmin = \(number(xmin)) ",
            "xmax = \(number(xmax)) ", "tiers? <exists> ", "size = \(tiers.count) ", "item []: ",
        ]
        for (t, tier) in tiers.enumerated() {
            lines += [
                "    item [\(t + 1)]:", "        class = \"IntervalTier\" ", "        name = \(quoted(tier.name)) ",
                "        xmin = \(number(tier.xmin)) ", "        xmax = \(number(tier.xmax)) ",
                "        intervals: size = \(tier.intervals.count) ",
            ]
            for (i, interval) in tier.intervals.enumerated() {
                lines += [
                    "        intervals [\(i + 1)]:", "            xmin = \(number(interval.start)) ",
                    "            xmax = \(number(interval.end)) ", "            text = \(quoted(interval.label)) ",
                ]
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the long text format to `url` atomically.
    public func write(to url: URL) throws {
        try AtomicFile.write(Data(encoded().utf8), to: url)
    }

    // MARK: Reading

    /// Reads a TextGrid file (long or short text format, UTF-8 or UTF-16) and validates it.
    public init(contentsOf url: URL) throws {
        try self.init(data: FileError.contents(of: url), path: url.path)
        try validate(path: url.path)
    }

    /// Parses TextGrid bytes without validating the intervals; `path` labels errors.
    public init(data: Data, path: String = "<TextGrid>") throws {
        let text: String
        if data.starts(with: [0xFE, 0xFF]) || data.starts(with: [0xFF, 0xFE]) {
            guard let decoded = String(data: data, encoding: .utf16) else {
                throw TextGridError.malformed(path: path, reason: "undecodable UTF-16")
            }
            text = decoded
        } else {
            text = String(decoding: data, as: UTF8.self)
        }
        var tokens = TextGridTokens(text: text, path: path)
        guard try tokens.string().hasPrefix("ooTextFile") else {
            throw TextGridError.malformed(path: path, reason: "the first line must name the file type \"ooTextFile\"")
        }
        guard try tokens.string() == "TextGrid" else {
            throw TextGridError.malformed(path: path, reason: "the object class must be \"TextGrid\"")
        }
        xmin = try tokens.number()
        xmax = try tokens.number()
        guard try tokens.flag() == "exists" else {
            tiers = []
            return
        }
        let count = try tokens.count()
        var tiers: [IntervalTier] = []
        for _ in 0..<count {
            let kind = try tokens.string()
            let name = try tokens.string()
            let tierMin = try tokens.number()
            let tierMax = try tokens.number()
            let size = try tokens.count()
            switch kind {
            case "IntervalTier":
                var intervals: [Interval] = []
                intervals.reserveCapacity(size)
                for _ in 0..<size {
                    let start = try tokens.number()
                    let end = try tokens.number()
                    intervals.append(Interval(start: start, end: end, label: try tokens.string()))
                }
                tiers.append(IntervalTier(name: name, xmin: tierMin, xmax: tierMax, intervals: intervals))
            case "TextTier":
                // Point tiers carry no intervals; read past their points.
                for _ in 0..<size {
                    _ = try tokens.number()
                    _ = try tokens.string()
                }
            default:
                throw TextGridError.malformed(
                    path: path, reason: "tier class \"\(kind)\" (valid: \"IntervalTier\", \"TextTier\")")
            }
        }
        self.tiers = tiers
    }
}

/// The values of a TextGrid in order - quoted strings, numbers and `<flags>` - skipping the
/// labels (`xmin =`), bracketed indices (`item [1]:`) and comments (`!`) of the long format, so
/// that long and short formats read alike.
struct TextGridTokens {
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private let path: String

    init(text: String, path: String) {
        scalars = Array(text.unicodeScalars)
        self.path = path
    }

    private enum Token {
        case string(String)
        case number(Double)
        case flag(String)
    }

    private mutating func next() throws -> Token {
        while position < scalars.count {
            let c = scalars[position]
            switch c {
            case "\"":
                position += 1
                var value = String.UnicodeScalarView()
                while true {
                    guard position < scalars.count else {
                        throw TextGridError.malformed(path: path, reason: "unterminated string")
                    }
                    let d = scalars[position]
                    position += 1
                    if d == "\"" {
                        if position < scalars.count && scalars[position] == "\"" {
                            value.append("\"")
                            position += 1
                        } else {
                            break
                        }
                    } else {
                        value.append(d)
                    }
                }
                return .string(String(value))
            case "[":
                while position < scalars.count && scalars[position] != "]" { position += 1 }
                position += 1
            case "<":
                let start = position + 1
                while position < scalars.count && scalars[position] != ">" { position += 1 }
                let flag = String(String.UnicodeScalarView(scalars[start..<min(position, scalars.count)]))
                position += 1
                return .flag(flag)
            case "!":
                while position < scalars.count && scalars[position] != "\n" { position += 1 }
            case "-", "+", ".", "0"..."9":
                let start = position
                while position < scalars.count, "0123456789.eE+-".unicodeScalars.contains(scalars[position]) {
                    position += 1
                }
                let literal = String(String.UnicodeScalarView(scalars[start..<position]))
                guard let value = Double(literal) else {
                    throw TextGridError.malformed(path: path, reason: "\"\(literal)\" is not a number")
                }
                return .number(value)
            default:
                position += 1
            }
        }
        throw TextGridError.malformed(path: path, reason: "the file ends early")
    }

    mutating func string() throws -> String {
        guard case .string(let value) = try next() else {
            throw TextGridError.malformed(path: path, reason: "expected a quoted string")
        }
        return value
    }

    mutating func number() throws -> Double {
        guard case .number(let value) = try next() else {
            throw TextGridError.malformed(path: path, reason: "expected a number")
        }
        return value
    }

    mutating func count() throws -> Int {
        let value = try number()
        guard value >= 0, value == value.rounded(), value < 1e9 else {
            throw TextGridError.malformed(path: path, reason: "\(value) is not a count")
        }
        return Int(value)
    }

    /// `<exists>` after `tiers?`; a file with no tiers has `<absent>`.
    mutating func flag() throws -> String {
        guard case .flag(let value) = try next() else {
            throw TextGridError.malformed(path: path, reason: "expected <exists> or <absent>")
        }
        return value
    }
}
