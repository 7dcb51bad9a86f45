import Foundation
import Testing

@testable import Phonetics

/// CMUdict reading, the fallback chain and word splitting (eSpeak's G2P is tested in
/// SpeechSynthesisTests, the shipped dictionary in PhonoscopeCLITests).
struct G2PTests {
    func dictionary(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("g2p-\(UUID().uuidString).dict")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func readsCMUdictFormat() throws {
        let url = try dictionary(
            """
            knight N AY1 T
            read R IY1 D
            read(2) R EH1 D
            aalborg AO1 L B AO0 R G # place, danish
            about AH0 B AW1 T
            bird B ER1 D

            """)
        defer { try? FileManager.default.removeItem(at: url) }
        let dict = try CMUDict(contentsOf: url)
        #expect(dict.pronunciation(of: "knight")?.phonemes == ["n", "aɪ", "t"])
        #expect(dict.pronunciation(of: "READ")?.phonemes == ["ɹ", "iː", "d"])
        #expect(dict.alternatives["read"] == [["ɹ", "ɛ", "d"]])
        #expect(dict.pronunciation(of: "aalborg")?.phonemes == ["ɔː", "l", "b", "ɔː", "ɹ", "ɡ"])
        // Unstressed AH0 is the reduced vowel; stressed ER1 stays ɜː.
        #expect(dict.pronunciation(of: "about")?.phonemes.first == "ə")
        #expect(dict.pronunciation(of: "bird")?.phonemes == ["b", "ɜː", "d"])
        #expect(dict.pronunciation(of: "unknown") == nil)
    }

    @Test func badDictionariesNameTheLine() throws {
        let url = try dictionary("knight N AY1 T\nbad XX1 T\n")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: G2PError.self) { _ = try CMUDict(contentsOf: url) }
        do {
            _ = try CMUDict(contentsOf: url)
        } catch {
            #expect("\(error)".contains("line 2") && "\(error)".contains("XX1"), "\(error)")
        }
        let missing = URL(fileURLWithPath: "/nonexistent/cmudict.dict")
        #expect(throws: G2PError.self) { _ = try CMUDict(contentsOf: missing) }
    }

    struct Table: GraphemeToPhoneme {
        let table: [String: [String]]
        let name: String
        func pronunciation(of word: String) -> Pronunciation? {
            table[word].map { Pronunciation(phonemes: $0, source: name) }
        }
    }

    @Test func fallbackAsksEachStageInTurn() throws {
        let g2p = FallbackG2P([
            Table(table: ["a": ["ə"]], name: "first"), Table(table: ["a": ["eɪ"], "b": ["b"]], name: "second"),
        ])
        #expect(try g2p.pronunciation(of: "a") == Pronunciation(phonemes: ["ə"], source: "first"))
        #expect(try g2p.pronunciation(of: "b")?.source == "second")
        #expect(try g2p.pronunciation(of: "c") == nil)
    }

    @Test func wordsAreLettersOnly() throws {
        #expect(try WordSplitter.words(of: "The  Knight's\ttale", language: .en) == ["the", "knight's", "tale"])
        #expect(try WordSplitter.words(of: "Über die Straße", language: .de) == ["über", "die", "straße"])
        #expect(throws: G2PError.self) { _ = try WordSplitter.words(of: "route 66", language: .en) }
        #expect(throws: G2PError.self) { _ = try WordSplitter.words(of: "über", language: .en) }
        #expect(throws: G2PError.self) { _ = try WordSplitter.words(of: "a-b", language: .de) }
        #expect(try WordSplitter.words(of: "  ", language: .en).isEmpty)
    }
}
