import ArgumentParser
import Testing

@testable import PhonoscopeCLI

/// Every command's discussion fits the 80-column terminal ArgumentParser wraps at, so `--help`
/// reads as written instead of rewrapping raggedly.
struct HelpTextTests {
    static func commands(_ root: ParsableCommand.Type) -> [ParsableCommand.Type] {
        [root] + root.configuration.subcommands.flatMap { commands($0) }
    }

    @Test func discussionLinesFitEightyColumns() {
        let all = Self.commands(Phonoscope.self)
        #expect(all.count >= 25)
        for command in all {
            for line in command.configuration.discussion.split(separator: "\n", omittingEmptySubsequences: false) {
                #expect(
                    line.count <= 79, "\(command.configuration.commandName ?? "?"): \(line.count) columns: \(line)")
            }
        }
    }
}
