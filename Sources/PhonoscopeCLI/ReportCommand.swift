import ArgumentParser
import Foundation
import Reports

/// `phonoscope report -o DIR`: index.html and summary.md again from a demo directory's outputs.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rebuild DIR/index.html and DIR/summary.md from the outputs of phonoscope demo in DIR.",
        discussion: """
            Reads DIR/demo.json (the demo's options, hence its commands) and the stages' outputs
            (evaluate, align, som, cluster and compare JSON, the figures); runs no model. Errors
            name the files that are missing; figures that are missing are listed and left out.

            Example:
              phonoscope report -o demo-output
            """)

    @Option(name: .shortAndLong, help: "A directory written by phonoscope demo.")
    var output: String

    func run() throws {
        let directory = URL(fileURLWithPath: output).standardizedFileURL
        let missing = try DemoReport(directory: directory).write()
        if !missing.isEmpty { Console.warn("figures not found: " + missing.joined(separator: ", ")) }
        print("\(output)/index.html and \(output)/summary.md written")
    }
}
