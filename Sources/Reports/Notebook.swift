import Foundation

/// An executable Markdown notebook: ordinary Markdown whose fenced blocks with the info string
/// `phonoscope` hold phonoscope commands. `phonoscope notebook run` executes them in order and
/// writes what they print (and the figures they draw) into the file right below each block,
/// between the markers `<!-- phonoscope:output -->` and `<!-- phonoscope:end -->`; with
/// `--check` it compares instead of writing, as a doctest.
///
/// A block's info string may add tags: `no-check` (its output is recorded but never
/// compared, e.g. timings) and `fails` (the command must exit non-zero; its error message is
/// recorded). Sizes are variables, declared once per notebook with a value for the full run
/// and one for the quick run that CI does:
///
///     <!-- notebook
///     COUNT: 400, quick 24
///     -->
///
/// A value is one word, used as it is (quotes in it are kept); `$OUT` is the notebook's own
/// output folder: NAME/ beside NAME.md in a full run, a temporary
/// folder in a quick run.
public struct Notebook: Equatable {
    public static let outputStart = "<!-- phonoscope:output -->"
    public static let outputEnd = "<!-- phonoscope:end -->"
    public static let tags: Set<String> = ["no-check", "fails"]

    /// A variable with its full and quick values.
    public struct Variable: Equatable {
        public var name: String
        public var full: String
        public var quick: String
    }

    /// One `phonoscope` block.
    public struct Block: Equatable {
        /// 1-based line of the opening fence.
        public var line: Int
        public var tags: Set<String>
        /// The command lines (continuations joined), each with the 1-based line it starts on.
        public var commands: [(line: Int, text: String)]
        /// Lines [start, end) of the file after the closing fence that the block's output
        /// region replaces: blank lines, then the recorded region if there is one.
        public var replaced: Range<Int>
        /// The recorded region's lines between the markers, or nil when there is none.
        public var recorded: [String]?

        public static func == (lhs: Block, rhs: Block) -> Bool {
            lhs.line == rhs.line && lhs.tags == rhs.tags && lhs.replaced == rhs.replaced
                && lhs.recorded == rhs.recorded && lhs.commands.map(\.line) == rhs.commands.map(\.line)
                && lhs.commands.map(\.text) == rhs.commands.map(\.text)
        }
    }

    /// The file's lines (without their newlines).
    public var lines: [String]
    public var variables: [Variable]
    public var blocks: [Block]
    /// The file, for messages.
    public var path: String

    public init(text: String, path: String) throws {
        self.path = path
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        self.lines = lines
        variables = []
        blocks = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("<!-- notebook") {
                index = try parseVariables(from: index)
                continue
            }
            guard trimmed.hasPrefix("```") else {
                if trimmed == Self.outputStart {
                    throw NotebookError.syntax(
                        location: "\(path):\(index + 1)",
                        problem: "an output region that follows no phonoscope block")
                }
                index += 1
                continue
            }
            let fence = String(trimmed.prefix { $0 == "`" })
            let info = trimmed.dropFirst(fence.count).split(separator: " ").map(String.init)
            guard
                let close = lines[(index + 1)...].firstIndex(where: {
                    $0.trimmingCharacters(in: .whitespaces) == fence
                })
            else {
                throw NotebookError.syntax(
                    location: "\(path):\(index + 1)", problem: "the \(fence) block is not closed")
            }
            if info.first == "phonoscope" {
                let block = try parseBlock(opening: index, closing: close, info: Array(info.dropFirst()))
                blocks.append(block)
                index = block.replaced.upperBound
            } else {
                index = close + 1
            }
        }
        let names = variables.map(\.name)
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw NotebookError.syntax(location: path, problem: "variable \(duplicate) is declared twice")
        }
    }

    /// The variables' values for a run.
    public func values(quick: Bool) -> [String: String] {
        Dictionary(uniqueKeysWithValues: variables.map { ($0.name, quick ? $0.quick : $0.full) })
    }

    /// Parses `<!-- notebook ... -->` starting at `start`; returns the line after it.
    private mutating func parseVariables(from start: Int) throws -> Int {
        guard let end = lines[start...].firstIndex(where: { $0.contains("-->") }) else {
            throw NotebookError.syntax(location: "\(path):\(start + 1)", problem: "<!-- notebook is not closed by -->")
        }
        for number in start...end {
            var text = lines[number]
            if number == start, let range = text.range(of: "<!-- notebook") {
                text = String(text[range.upperBound...])
            }
            if let range = text.range(of: "-->") { text = String(text[..<range.lowerBound]) }
            let entry = text.trimmingCharacters(in: .whitespaces)
            if entry.isEmpty { continue }
            let location = "\(path):\(number + 1)"
            let expected = "expected NAME: VALUE or NAME: VALUE, quick VALUE"
            guard let colon = entry.firstIndex(of: ":") else {
                throw NotebookError.syntax(location: location, problem: "`\(entry)`: \(expected)")
            }
            let name = entry[..<colon].trimmingCharacters(in: .whitespaces)
            guard let first = name.first, first == "_" || first.isUppercase,
                name.allSatisfy({ $0 == "_" || $0.isUppercase || $0.isNumber })
            else {
                throw NotebookError.syntax(
                    location: location, problem: "variable name `\(name)`: use capitals, digits and _")
            }
            guard name != "OUT" else {
                throw NotebookError.syntax(
                    location: location, problem: "OUT is the notebook's output folder and cannot be declared")
            }
            let parts = entry[entry.index(after: colon)...].components(separatedBy: ", quick ")
            let full = parts[0].trimmingCharacters(in: .whitespaces)
            guard !full.isEmpty, parts.count <= 2 else {
                throw NotebookError.syntax(location: location, problem: "`\(entry)`: \(expected)")
            }
            let quick = parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : full
            variables.append(Variable(name: name, full: full, quick: quick))
        }
        return end + 1
    }

    private func parseBlock(opening: Int, closing: Int, info: [String]) throws -> Block {
        let tags = Set(info)
        if let unknown = tags.subtracting(Self.tags).sorted().first {
            throw NotebookError.syntax(
                location: "\(path):\(opening + 1)",
                problem: "unknown block tag `\(unknown)` (valid: " + Self.tags.sorted().joined(separator: ", ") + ")")
        }
        var commands: [(line: Int, text: String)] = []
        var pending: (line: Int, text: String)?
        for number in (opening + 1)..<closing {
            let raw = lines[number].trimmingCharacters(in: .whitespaces)
            if pending == nil && (raw.isEmpty || raw.hasPrefix("#")) { continue }
            let continued = raw.hasSuffix("\\") && !raw.hasSuffix("\\\\")
            let piece = continued ? String(raw.dropLast()) : raw
            if var open = pending {
                open.text += " " + piece
                pending = open
            } else {
                pending = (number + 1, piece)
            }
            if !continued, let finished = pending {
                commands.append(finished)
                pending = nil
            }
        }
        if let unfinished = pending {
            throw NotebookError.syntax(
                location: "\(path):\(unfinished.line)", problem: "the command's last line ends with a backslash")
        }
        for command in commands where command.text.split(separator: " ").first != "phonoscope" {
            throw NotebookError.syntax(
                location: "\(path):\(command.line)",
                problem: "`\(command.text)`: a phonoscope block holds only phonoscope commands (and # comments)")
        }
        if commands.isEmpty {
            throw NotebookError.syntax(location: "\(path):\(opening + 1)", problem: "the phonoscope block is empty")
        }
        // The output region: blank lines, then <!-- phonoscope:output --> ... <!-- phonoscope:end -->.
        var next = closing + 1
        while next < lines.count && lines[next].trimmingCharacters(in: .whitespaces).isEmpty { next += 1 }
        guard next < lines.count, lines[next].trimmingCharacters(in: .whitespaces) == Self.outputStart else {
            return Block(line: opening + 1, tags: tags, commands: commands, replaced: (closing + 1)..<(closing + 1))
        }
        guard
            let end = lines[(next + 1)...].firstIndex(where: {
                $0.trimmingCharacters(in: .whitespaces) == Self.outputEnd
            })
        else {
            throw NotebookError.syntax(
                location: "\(path):\(next + 1)", problem: "\(Self.outputStart) has no \(Self.outputEnd)")
        }
        return Block(
            line: opening + 1, tags: tags, commands: commands, replaced: (closing + 1)..<(end + 1),
            recorded: Array(lines[(next + 1)..<end]))
    }

    /// The file with each block's output region replaced by `regions[i]` (lines between the
    /// markers); a nil region keeps what is there.
    public func replacingOutputs(_ regions: [[String]?]) -> String {
        precondition(regions.count == blocks.count)
        var result: [String] = []
        var position = 0
        for (block, region) in zip(blocks, regions) {
            result += lines[position..<block.replaced.lowerBound]
            if let region {
                result += ["", Self.outputStart] + region + [Self.outputEnd]
            } else {
                result += lines[block.replaced]
            }
            position = block.replaced.upperBound
        }
        result += lines[position...]
        return result.joined(separator: "\n") + "\n"
    }
}
