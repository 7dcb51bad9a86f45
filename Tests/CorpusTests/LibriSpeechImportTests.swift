import AudioFeatures
import Foundation
import Phonetics
import Testing

@testable import Corpus

/// A LibriSpeech-shaped tree made here: SPEAKER/CHAPTER/*.flac + .trans.txt, and an MFA TextGrid.
struct LibriSpeechImportTests {
    let root: URL
    let chapter: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("libri-\(UUID().uuidString)")
        chapter = root.appendingPathComponent("LibriSpeech/dev-clean/84/121123")
        try FileManager.default.createDirectory(at: chapter, withIntermediateDirectories: true)
        let tone = (0..<16000).map { i in Float(sin(Double(i) * 0.05) * 0.2) }
        for id in ["84-121123-0000", "84-121123-0001"] {
            try AudioFile.write(
                AudioSignal(samples: tone, sampleRate: 16000), to: chapter.appendingPathComponent("\(id).flac"))
        }
        try "84-121123-0000 GO DO YOU HEAR\n84-121123-0001 BUT IN LESS THAN FIVE MINUTES\n".write(
            to: chapter.appendingPathComponent("84-121123.trans.txt"), atomically: true, encoding: .utf8)
    }

    func mfaGrid() -> TextGrid {
        TextGrid(
            xmin: 0, xmax: 1,
            tiers: [
                IntervalTier(
                    name: "words", xmin: 0, xmax: 1,
                    intervals: [
                        Interval(start: 0, end: 0.2, label: ""), Interval(start: 0.2, end: 0.5, label: "go"),
                        Interval(start: 0.5, end: 1, label: "do"),
                    ]),
                IntervalTier(
                    name: "phones", xmin: 0, xmax: 1,
                    intervals: [
                        Interval(start: 0, end: 0.2, label: "sil"), Interval(start: 0.2, end: 0.3, label: "G"),
                        Interval(start: 0.3, end: 0.5, label: "OW1"), Interval(start: 0.5, end: 0.6, label: "D"),
                        Interval(start: 0.6, end: 0.9, label: "UW1"), Interval(start: 0.9, end: 1, label: "spn"),
                    ]),
            ])
    }

    @Test func importsTranscriptsAudioAndMFAAlignments() throws {
        let mfa = root.appendingPathComponent("mfa/84")
        try FileManager.default.createDirectory(at: mfa, withIntermediateDirectories: true)
        try mfaGrid().write(to: mfa.appendingPathComponent("84-121123-0000.TextGrid"))
        let output = root.appendingPathComponent("corpus")
        let entries = try LibriSpeechImport.run(
            root: root.appendingPathComponent("LibriSpeech/dev-clean"), into: output,
            textGrids: root.appendingPathComponent("mfa"))
        #expect(entries.map(\.text) == ["go do you hear", "but in less than five minutes"])
        #expect(entries.map(\.split) == ["dev", "dev"])
        #expect(entries.map(\.voice) == ["84", "84"])
        #expect(entries[0].audio == "../LibriSpeech/dev-clean/84/121123/84-121123-0000.flac")
        #expect(entries[1].alignment == nil)
        let corpus = try SpeechCorpus(directory: output)
        #expect(try corpus.signal(for: corpus.entries[0]).samples.count == 16000)
        let grid = try #require(try corpus.alignment(for: corpus.entries[0]))
        #expect(try grid.tier("phones").intervals.map(\.label) == ["", "ɡ", "oʊ", "d", "uː", ""])
        #expect(try grid.tier("words").labelled.map(\.label) == ["go", "do"])
    }

    @Test func missingAudioNamesTheTranscriptLine() throws {
        try FileManager.default.removeItem(at: chapter.appendingPathComponent("84-121123-0001.flac"))
        let transcript = chapter.appendingPathComponent("84-121123.trans.txt")
        do {
            _ = try LibriSpeechImport.run(root: root, into: root.appendingPathComponent("out"), textGrids: nil)
            Issue.record("missing audio was accepted")
        } catch let error as CorpusError {
            #expect(error.description.hasPrefix("\(transcript.path):2:"))
            #expect(error.description.contains("84-121123-0001.flac does not exist"))
        }
    }

    @Test func transcriptsOutsideTheAlphabetAreRefused() throws {
        try "84-121123-0000 NAÏVE CAFÉ\n".write(
            to: chapter.appendingPathComponent("84-121123.trans.txt"), atomically: true, encoding: .utf8)
        #expect(throws: CorpusError.self) {
            _ = try LibriSpeechImport.run(root: root, into: root.appendingPathComponent("out"), textGrids: nil)
        }
        #expect(throws: CorpusError.self) {
            _ = try LibriSpeechImport.run(root: root.appendingPathComponent("nothing"), into: root, textGrids: nil)
        }
    }

    @Test func arpabetMapsToTheSymbolsESpeakUses() {
        #expect(ARPAbet.ipa("AH0") == "ə" && ARPAbet.ipa("AH1") == "ʌ" && ARPAbet.ipa("ER0") == "ɚ")
        #expect(ARPAbet.ipa("HH") == "h" && ARPAbet.ipa("sil") == "" && ARPAbet.ipa("Q") == nil)
        let english = Set(PhonemeInventory.inventories[.en] ?? [])
        for phone in ARPAbet.table.values { #expect(english.contains(phone), "\(phone)") }
    }
}
