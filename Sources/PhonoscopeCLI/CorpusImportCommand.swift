import ArgumentParser
import Corpus
import Foundation

/// `phonoscope corpus import-librispeech ROOT -o DIR [--textgrids MFA_DIR]`.
struct CorpusImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-librispeech",
        abstract: "Make a corpus (manifest.jsonl) from a LibriSpeech tree, with MFA TextGrids if you have them.",
        discussion: """
            The audio stays in place; the manifest refers to it. MFA's ARPAbet phones are
            mapped to IPA.

            Examples:
              phonoscope corpus import-librispeech ~/LibriSpeech/dev-clean -o \\
                corpora/dev-clean
              phonoscope corpus import-librispeech ~/LibriSpeech/test-clean -o \\
                corpora/test-clean --textgrids ~/mfa/test-clean
            """)

    @Argument(help: "LibriSpeech folder (e.g. LibriSpeech/dev-clean) with SPEAKER/CHAPTER/*.flac and *.trans.txt.")
    var root: String

    @Option(name: [.customShort("o"), .long], help: "Corpus directory to write manifest.jsonl (and alignments/) into.")
    var output: String

    @Option(help: "Folder with the Montreal Forced Aligner's TextGrids (UTTERANCE-ID.TextGrid, any depth).")
    var textgrids: String?

    func run() throws {
        let entries = try LibriSpeechImport.run(
            root: URL(fileURLWithPath: root), into: URL(fileURLWithPath: output),
            textGrids: textgrids.map { URL(fileURLWithPath: $0) })
        let hours = entries.reduce(0) { $0 + $1.duration } / 3600
        let aligned = entries.filter { $0.alignment != nil }.count
        print(String(format: "%@: %d utterances (%d aligned), %.2f h", output, entries.count, aligned, hours))
    }
}
