import ArgumentParser
import Foundation
import Reports

/// `phonoscope report -o DIR`: index.html and summary.md again from a demo directory's outputs.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rebuild DIR/index.html and DIR/summary.md from the outputs of phonoscope demo in DIR.",
        discussion: """
            Reads DIR/demo.json (the demo's options, hence its commands) and the stages'
            outputs (evaluate, align, som, cluster and compare JSON, the figures); runs no
            model. Errors name the files that are missing; figures that are missing are
            listed and left out.

            --check-browser then opens index.html in headless Chromium (Debian's
            chromium), checks that every figure loads and decodes and that the page logs
            nothing to the console, and saves the top of the page as DIR/screenshot.png;
            it exits 1 when a check fails.

            Examples:
              phonoscope report -o demo-output
              phonoscope report -o demo-output --check-browser
            """)

    @Option(name: .shortAndLong, help: "A directory written by phonoscope demo.")
    var output: String

    @Flag(help: "Open the page in headless Chromium: every figure must load, the console must stay silent.")
    var checkBrowser = false

    @Option(help: "The browser for --check-browser (default: chromium on PATH).")
    var browser: String?

    func run() throws {
        let directory = URL(fileURLWithPath: output).standardizedFileURL
        let missing = try DemoReport(directory: directory).write()
        if !missing.isEmpty { Console.warn("figures not found: " + missing.joined(separator: ", ")) }
        print("\(output)/index.html and \(output)/summary.md written")
        guard checkBrowser else { return }
        let check = BrowserCheck(browser: try BrowserCheck.locateBrowser(browser))
        let screenshot = directory.appendingPathComponent("screenshot.png")
        let result = try check.check(page: directory.appendingPathComponent("index.html"), screenshot: screenshot)
        print(
            "browser check (\(check.browser.lastPathComponent)): \(result.images - result.broken.count) of "
                + "\(result.images) figures load, \(result.consoleMessages.count) console messages; "
                + "screenshot \(output)/screenshot.png")
        for source in result.broken { Console.warn("figure does not load: \(output)/\(source)") }
        for message in result.consoleMessages { Console.warn("console: \(message)") }
        if !result.passed { throw ExitCode(1) }
    }
}
