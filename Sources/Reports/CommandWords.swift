import Foundation

/// A command line of a notebook split into words the way a POSIX shell would for the cases a
/// notebook needs: blanks separate words; 'single quotes' keep everything literally;
/// "double quotes" keep blanks and expand variables, with \" \\ \$ as escapes; a backslash
/// outside quotes escapes the next character; `$NAME` and `${NAME}` expand outside single
/// quotes. No globbing, pipes, redirections or command substitution: the words go to
/// `phonoscope` as they are.
public enum CommandWords {
    /// The words of `line` with the variables expanded, and the names of the variables used.
    /// Throws `NotebookError.syntax` with `describe` naming the line.
    public static func split(
        _ line: String, variables: [String: String], describe: () -> String
    ) throws -> (words: [String], used: Set<String>) {
        var words: [String] = []
        var used: Set<String> = []
        var current = ""
        var inWord = false
        var characters = Array(line)[...]

        func fail(_ problem: String) -> NotebookError {
            NotebookError.syntax(location: describe(), problem: problem)
        }
        func expandVariable() throws -> String {
            // `characters` starts just after the `$`.
            var name = ""
            if characters.first == "{" {
                characters = characters.dropFirst()
                while let next = characters.first, next != "}" {
                    name.append(next)
                    characters = characters.dropFirst()
                }
                guard characters.first == "}" else { throw fail("`${\(name)` has no closing brace") }
                characters = characters.dropFirst()
            } else {
                while let next = characters.first, next == "_" || next.isLetter || next.isNumber {
                    name.append(next)
                    characters = characters.dropFirst()
                }
            }
            guard !name.isEmpty else { throw fail("a `$` without a variable name (write \\$ for a dollar sign)") }
            guard let value = variables[name] else {
                throw fail(
                    "unknown variable $\(name) (defined: "
                        + variables.keys.sorted().map { "$" + $0 }.joined(separator: ", ") + ")")
            }
            used.insert(name)
            return value
        }

        while let character = characters.first {
            characters = characters.dropFirst()
            switch character {
            case " ", "\t":
                if inWord {
                    words.append(current)
                    current = ""
                    inWord = false
                }
            case "'":
                inWord = true
                guard let end = characters.firstIndex(of: "'") else { throw fail("a ' quote is not closed") }
                current += String(characters[..<end])
                characters = characters[characters.index(after: end)...]
            case "\"":
                inWord = true
                var closed = false
                while let next = characters.first {
                    characters = characters.dropFirst()
                    if next == "\"" {
                        closed = true
                        break
                    } else if next == "\\", let escaped = characters.first, "\"\\$".contains(escaped) {
                        current.append(escaped)
                        characters = characters.dropFirst()
                    } else if next == "$" {
                        current += try expandVariable()
                    } else {
                        current.append(next)
                    }
                }
                guard closed else { throw fail("a \" quote is not closed") }
            case "\\":
                inWord = true
                guard let escaped = characters.first else { throw fail("a backslash ends the line") }
                current.append(escaped)
                characters = characters.dropFirst()
            case "$":
                inWord = true
                current += try expandVariable()
            case "|", ";", "&", "<", ">", "`":
                throw fail(
                    "`\(character)` outside quotes: notebook blocks run phonoscope commands, not shell "
                        + "pipelines or redirections (quote it if it is part of an argument)")
            default:
                inWord = true
                current.append(character)
            }
        }
        if inWord { words.append(current) }
        return (words, used)
    }
}
