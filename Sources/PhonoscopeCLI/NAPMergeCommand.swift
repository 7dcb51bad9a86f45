import ArgumentParser
import Foundation
import Introspection

/// `phonoscope nap merge PARTS... -o NAPS`: shards into one profile, exactly.
struct NAPMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge NAPs files of shards of one run into one (exact: equal to the unsharded run).",
        discussion: """
            The parts must come from the same model, corpus, split, layers and options; a
            difference is refused with both values named. Each shard may appear once.

            Example:
              phonoscope nap merge part1.naps part2.naps part3.naps part4.naps -o en.naps
            """)

    @Argument(help: "NAPs files to merge.")
    var parts: [String]

    @Option(name: .shortAndLong, help: "The merged NAPs file.")
    var output: String

    @Option(help: "Leave out groups with fewer events in the merged profile.")
    var minCount = 10

    func validate() throws {
        guard parts.count >= 1 else { throw ValidationError("give at least one NAPs file to merge") }
        guard minCount >= 1 else { throw ValidationError("--min-count \(minCount) is invalid; valid: 1 or more") }
        try OutputPath.checkDirectory(of: output)
    }

    func run() throws {
        var files: [ProfileFile] = []
        for part in parts {
            files.append(try ProfileFile(contentsOf: URL(fileURLWithPath: part)))
        }
        let merged = try Self.merge(files, names: parts)
        var file = merged
        Self.applyMinimumCount(minCount, to: &file)
        try file.write(to: URL(fileURLWithPath: output))
        print(Self.summary(of: file, path: output))
    }

    /// The merge of `files` (named `names` in errors).
    static func merge(_ files: [ProfileFile], names: [String]) throws -> ProfileFile {
        guard var result = files.first else { throw ValidationError("nothing to merge") }
        var seen: [String: String] = [:]
        var shards: [String] = []
        for (file, name) in zip(files, names) {
            let shard = file.info.shard ?? "whole"
            if let earlier = seen[shard] {
                throw ValidationError("\(earlier) and \(name) are the same shard (\(shard)); each part may appear once")
            }
            seen[shard] = name
            shards += file.info.mergedShards.isEmpty ? [shard] : file.info.mergedShards
        }
        for (file, name) in zip(files, names).dropFirst() {
            if let conflict = result.info.mergeConflict(with: file.info) {
                throw ProfileError.incompatible(
                    first: names[0], second: name, field: conflict.field, firstValue: conflict.mine,
                    secondValue: conflict.theirs)
            }
            result.accumulator.merge(file.accumulator)
            result.info.utterances += file.info.utterances
            result.info.skipped.merge(file.info.skipped) { a, _ in a }
        }
        guard files.count > 1 else { return result }
        // A merge of shards 1/N ... N/N is a whole run again; anything less stays marked partial.
        let counts = Set(shards.compactMap { $0.split(separator: "/").last.flatMap { Int($0) } })
        let complete = counts.count == 1 && Set(shards).count == counts.first
        result.info.shard = complete ? nil : "partial"
        result.info.mergedShards = shards.sorted()
        return result
    }

    /// Drops groups under `minimumCount` and records them in the info.
    static func applyMinimumCount(_ minimumCount: Int, to file: inout ProfileFile) {
        for (group, count) in file.accumulator.removeGroups(below: minimumCount) {
            file.info.droppedGroups[group] = count
        }
        if !file.info.droppedGroups.isEmpty {
            let listed = file.info.droppedGroups.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
            Console.warn("groups with fewer than \(minimumCount) events, left out: \(listed.joined(separator: ", "))")
        }
    }

    /// One line per fact for the terminal.
    static func summary(of file: ProfileFile, path: String) -> String {
        let total = file.groups.reduce(0) { $0 + file.count($1) }
        return """
            wrote \(path): \(file.info.options.kind.rawValue), \(file.info.utterances) utterances, \(total) events in \(file.groups.count) groups, \(file.layers.count) layers (\(file.layers.map(\.name).joined(separator: ", "))), tau \(file.info.options.tau)
            """
    }

}
