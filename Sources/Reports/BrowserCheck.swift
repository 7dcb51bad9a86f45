import Foundation
import PhonoscopeIO

/// Opens a report in a real browser (headless Chromium) and checks it as a reader would see
/// it: every `<img>` decoded (complete, with a natural width), no console message (the report
/// has no scripts, so any message is an error), and a screenshot of the top of the page.
///
/// The page is loaded in an iframe of a small checking page, which reads the iframe's images
/// once it has loaded and writes the verdict into its own DOM; `--dump-dom` prints it.
/// `--allow-file-access-from-files` lets the checking page see the report's document.
public struct BrowserCheck {
    public struct Result: Equatable {
        /// Images on the page.
        public var images: Int
        /// The `src` of every image that did not load or decode.
        public var broken: [String]
        /// Console messages, each with its source.
        public var consoleMessages: [String]

        public var passed: Bool { broken.isEmpty && consoleMessages.isEmpty && images > 0 }
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case browserNotFound(searched: String)
        case browserFailed(command: String, status: Int32, message: String)
        case noVerdict(page: String, seconds: Int, message: String)

        public var description: String {
            switch self {
            case .browserNotFound(let searched):
                return "no Chromium found (looked for \(searched)): install Debian's chromium "
                    + "(sudo apt-get install chromium) or pass --browser PATH"
            case .browserFailed(let command, let status, let message):
                return "`\(command)` failed (exit status \(status))" + (message.isEmpty ? "" : ":\n\(message)")
            case .noVerdict(let page, let seconds, let message):
                return "\(page) did not finish loading in headless Chromium within \(seconds) s"
                    + (message.isEmpty ? "" : ":\n\(message)")
            }
        }
    }

    public static let candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    public let browser: URL
    public let timeoutSeconds: Int

    public init(browser: URL, timeoutSeconds: Int = 120) {
        self.browser = browser
        self.timeoutSeconds = timeoutSeconds
    }

    /// `explicit` if given, else the first of `candidates` on PATH.
    public static func locateBrowser(_ explicit: String?) throws -> URL {
        let manager = FileManager.default
        if let explicit {
            guard manager.isExecutableFile(atPath: explicit) else {
                throw Failure.browserNotFound(searched: explicit)
            }
            return URL(fileURLWithPath: explicit)
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in candidates {
            for directory in path.split(separator: ":") {
                let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
                if manager.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        throw Failure.browserNotFound(searched: candidates.joined(separator: ", ") + " on PATH")
    }

    /// Checks `page` and writes a screenshot (PNG, `width` x `height`) to `screenshot`.
    public func check(page: URL, screenshot: URL, width: Int = 1280, height: Int = 3000) throws -> Result {
        let manager = FileManager.default
        let scratch = manager.temporaryDirectory.appendingPathComponent("phonoscope-browser-\(UUID().uuidString)")
        try manager.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? manager.removeItem(at: scratch) }
        let checker = scratch.appendingPathComponent("check.html")
        try Data(Self.checkingPage(for: page.standardizedFileURL).utf8).write(to: checker)

        let common = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--user-data-dir=" + scratch.appendingPathComponent("profile").path,
        ]
        let dump = try runBrowser(
            common + [
                "--allow-file-access-from-files", "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=\(timeoutSeconds * 500)", "--dump-dom", checker.absoluteString,
            ])
        guard let verdict = Self.verdict(in: dump.output) else {
            throw Failure.noVerdict(page: page.path, seconds: timeoutSeconds, message: Self.tail(dump.error))
        }
        var result = verdict
        result.consoleMessages = Self.consoleMessages(in: dump.error)

        try AtomicFile.withTemporaryURL(for: screenshot) { temporary in
            _ = try runBrowser(
                common + [
                    "--hide-scrollbars", "--window-size=\(width),\(height)", "--screenshot=" + temporary.path,
                    page.standardizedFileURL.absoluteString,
                ])
            guard manager.fileExists(atPath: temporary.path) else {
                throw Failure.browserFailed(
                    command: browser.path + " --screenshot", status: 0, message: "no screenshot was written")
            }
        }
        return result
    }

    /// The checking page: the report in an iframe, and a script that writes
    /// `VERDICT {"images": N, "broken": [...]}` into the page once the iframe has loaded.
    static func checkingPage(for page: URL) -> String {
        let source = page.absoluteString.replacingOccurrences(of: "\"", with: "%22")
        return """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>phonoscope browser check</title></head>
            <body><pre id="verdict">pending</pre>
            <iframe id="report" src="\(source)" style="width:1280px;height:900px"></iframe>
            <script>
            document.getElementById("report").addEventListener("load", function () {
              var out = document.getElementById("verdict");
              try {
                var images = Array.prototype.slice.call(this.contentDocument.images);
                var broken = images.filter(function (image) { return !(image.complete && image.naturalWidth > 0); })
                  .map(function (image) { return image.getAttribute("src"); });
                out.textContent = "VERDICT " + JSON.stringify({images: images.length, broken: broken});
              } catch (error) {
                out.textContent = "VERDICT " + JSON.stringify({error: String(error)});
              }
            });
            </script></body></html>
            """
    }

    /// The verdict the checking page wrote into the dumped DOM.
    static func verdict(in dom: String) -> Result? {
        guard let start = dom.range(of: "VERDICT ") else { return nil }
        let rest = dom[start.upperBound...]
        guard let end = rest.range(of: "</pre>") else { return nil }
        let json = String(rest[..<end.lowerBound]).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            return nil
        }
        if let error = object["error"] as? String {
            return Result(
                images: 0, broken: [], consoleMessages: ["the checking page could not read the report: \(error)"])
        }
        return Result(
            images: (object["images"] as? NSNumber)?.intValue ?? 0, broken: object["broken"] as? [String] ?? [],
            consoleMessages: [])
    }

    /// Console messages in Chromium's log (`...:INFO:CONSOLE:352] "message", source: URL (352)`
    /// or `CONSOLE(352)`).
    static func consoleMessages(in log: String) -> [String] {
        log.split(separator: "\n").compactMap { line -> String? in
            guard let marker = line.range(of: "CONSOLE") else { return nil }
            guard let close = line[marker.upperBound...].range(of: "] ") else { return nil }
            return String(line[close.upperBound...])
        }
    }

    static func tail(_ text: String) -> String {
        text.split(separator: "\n").filter { !$0.contains("dbus") }.suffix(6).joined(separator: "\n")
    }

    /// Runs the browser with a watchdog; returns what it printed.
    func runBrowser(_ arguments: [String]) throws -> (output: String, error: String) {
        let result = try ProcessCapture.run(browser, arguments, timeout: Double(timeoutSeconds))
        let shown = ([browser.path] + arguments).joined(separator: " ")
        if result.timedOut {
            throw Failure.browserFailed(
                command: shown, status: result.status,
                message: "stopped after \(timeoutSeconds) s\n" + Self.tail(result.standardError))
        }
        guard result.status == 0 else {
            throw Failure.browserFailed(command: shown, status: result.status, message: Self.tail(result.standardError))
        }
        return (result.standardOutput, result.standardError)
    }
}
