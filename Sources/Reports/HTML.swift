import Foundation

/// HTML escaping: `&`, `<`, `>`, `"` and `'` become character references, so any text (file
/// names, phoneme symbols, error messages) is shown as it is and never read as markup.
public func htmlEscape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&#39;"
        default: result.append(character)
        }
    }
    return result
}

/// A static, self-contained HTML page: inline CSS, no scripts, no external resources, figures
/// linked by paths relative to the page's folder and only when the file exists there.
public struct HTMLPage {
    /// The folder the page is written to; figure paths are relative to it.
    public let directory: URL
    public let title: String
    private var body: [String] = []
    /// Figures that were asked for but are not in `directory` (relative paths).
    public private(set) var missingFigures: [String] = []

    public init(title: String, directory: URL) {
        self.title = title
        self.directory = directory
    }

    public mutating func heading(_ text: String, level: Int = 2, id: String? = nil) {
        let level = min(max(level, 1), 6)
        let anchor = id.map { " id=\"\(htmlEscape($0))\"" } ?? ""
        body.append("<h\(level)\(anchor)>\(htmlEscape(text))</h\(level)>")
    }

    public mutating func paragraph(_ text: String, className: String? = nil) {
        let cls = className.map { " class=\"\(htmlEscape($0))\"" } ?? ""
        body.append("<p\(cls)>\(htmlEscape(text))</p>")
    }

    /// A preformatted block (commands).
    public mutating func preformatted(_ text: String) {
        body.append("<pre>\(htmlEscape(text))</pre>")
    }

    /// A list of links to sections of the page.
    public mutating func contents(_ entries: [(id: String, title: String)]) {
        let items = entries.map { "<li><a href=\"#\(htmlEscape($0.id))\">\(htmlEscape($0.title))</a></li>" }
        body.append("<nav><ul>\n" + items.joined(separator: "\n") + "\n</ul></nav>")
    }

    public mutating func bulletList(_ items: [String]) {
        guard !items.isEmpty else { return }
        body.append("<ul>\n" + items.map { "<li>\(htmlEscape($0))</li>" }.joined(separator: "\n") + "\n</ul>")
    }

    /// A table; numeric-looking cells are right-aligned.
    public mutating func table(headers: [String], rows: [[String]], caption: String? = nil) {
        var lines = ["<table>"]
        if let caption { lines.append("<caption>\(htmlEscape(caption))</caption>") }
        lines.append("<thead><tr>" + headers.map { "<th>\(htmlEscape($0))</th>" }.joined() + "</tr></thead>")
        lines.append("<tbody>")
        for row in rows {
            let cells = row.map { cell -> String in
                let number = cell.replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)
                let numeric = Double(number) != nil
                return numeric ? "<td class=\"num\">\(htmlEscape(cell))</td>" : "<td>\(htmlEscape(cell))</td>"
            }
            lines.append("<tr>" + cells.joined() + "</tr>")
        }
        lines.append("</tbody></table>")
        body.append(lines.joined(separator: "\n"))
    }

    /// A figure with its caption and the command that reproduces it. The image is linked only
    /// when `relativePath` names a file inside `directory`; otherwise a note says it is missing.
    /// Returns whether the image was linked.
    @discardableResult
    public mutating func figure(_ relativePath: String, caption: String, command: String? = nil) -> Bool {
        let linked = Self.isSafeRelative(relativePath) && exists(relativePath)
        var lines = ["<figure>"]
        if linked {
            let src = relativePath.split(separator: "/").map { Self.percentEncode(String($0)) }.joined(separator: "/")
            lines.append("<img src=\"\(htmlEscape(src))\" alt=\"\(htmlEscape(caption))\" loading=\"lazy\">")
        } else {
            missingFigures.append(relativePath)
            lines.append("<p class=\"missing\">Figure not found: \(htmlEscape(relativePath))</p>")
        }
        lines.append("<figcaption>\(htmlEscape(caption))</figcaption>")
        if let command { lines.append("<pre>\(htmlEscape(command))</pre>") }
        lines.append("</figure>")
        body.append(lines.joined(separator: "\n"))
        return linked
    }

    /// Raw markup from this module's own builders (never user text).
    mutating func raw(_ markup: String) { body.append(markup) }

    func exists(_ relativePath: String) -> Bool {
        var isDirectory: ObjCBool = false
        let path = directory.appendingPathComponent(relativePath).path
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Relative, inside the folder: no leading slash, no scheme, no `..` component.
    static func isSafeRelative(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.contains(":")
            && !path.split(separator: "/").contains { $0 == ".." }
    }

    static func percentEncode(_ component: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return component.addingPercentEncoding(withAllowedCharacters: allowed) ?? component
    }

    public func render() -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(htmlEscape(title))</title>
        <style>
        \(Self.style)
        </style>
        </head>
        <body>
        <main>
        <h1>\(htmlEscape(title))</h1>
        \(body.joined(separator: "\n"))
        </main>
        </body>
        </html>

        """
    }

    static let style = """
        body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 0; background: #fafafa; color: #222; }
        main { max-width: 1100px; margin: 0 auto; padding: 1.5em 2em 4em; background: #fff; line-height: 1.45; }
        h1 { font-size: 1.9em; border-bottom: 2px solid #345; padding-bottom: .3em; }
        h2 { margin-top: 2.2em; border-bottom: 1px solid #ccd; padding-bottom: .2em; color: #234; }
        h3 { margin-top: 1.6em; color: #345; }
        figure { margin: 1.2em 0; padding: .6em; border: 1px solid #e3e3e8; background: #fcfcfd; }
        figure img { max-width: 100%; height: auto; display: block; margin: 0 auto; }
        figcaption { font-size: .92em; color: #444; margin-top: .4em; }
        pre { background: #f2f3f6; border: 1px solid #dde; padding: .5em .7em; overflow-x: auto;
              font-size: .85em; white-space: pre-wrap; word-break: break-all; }
        table { border-collapse: collapse; margin: .8em 0; font-size: .9em; }
        caption { text-align: left; font-weight: bold; padding-bottom: .3em; }
        th, td { border: 1px solid #ccd; padding: .25em .6em; }
        th { background: #eef0f5; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .missing { color: #a33; font-style: italic; }
        .note { color: #555; font-size: .92em; }
        nav ul { columns: 2; font-size: .92em; }
        """
}
