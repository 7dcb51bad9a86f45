import ArgumentParser

/// `phonoscope corpus ...`: make, import, inspect corpora.
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Make, import and inspect speech corpora (manifest.jsonl + audio + TextGrids).",
        subcommands: [
            CorpusSynthCommand.self, CorpusSynthOneCommand.self, CorpusStatsCommand.self, CorpusImportCommand.self,
            CorpusShowCommand.self,
        ]
    )
}
