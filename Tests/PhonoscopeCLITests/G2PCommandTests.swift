import Foundation
import Testing

/// `phonoscope g2p` with the shipped CMUdict and eSpeak NG.
struct G2PCommandTests {
    @Test func englishUsesCMUdictThenESpeak() throws {
        let result = try CommandRunner.run(["g2p", "--language", "en", "The knight xyzzyq", "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let words = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        #expect(words.map { $0["word"] as? String } == ["the", "knight", "xyzzyq"])
        #expect(words.map { $0["source"] as? String } == ["cmudict", "cmudict", "espeak"])
        #expect(words[1]["phonemes"] as? [String] == ["n", "aɪ", "t"])
    }

    @Test func germanUsesESpeak() throws {
        let result = try CommandRunner.run(["g2p", "--language", "de", "über straße"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("straße\tʃ t"))
        #expect(result.standardOutput.contains("(espeak)"))
    }

    @Test(arguments: [
        (["g2p", "--language", "en", "route 66"], "66"),
        (["g2p", "--language", "en", "a+b"], "a+b"),
        (["g2p", "--language", "de", "--source", "cmudict", "haus"], "--source cmudict"),
        (["g2p", "--language", "en", "  "], "no words"),
        (["g2p", "--language", "en", "--dictionary", "/nonexistent.dict", "word"], "/nonexistent.dict"),
    ])
    func badInputIsRefused(_ arguments: [String], _ named: String) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status != 0)
        #expect(result.standardError.contains(named), "\(result.standardError)")
    }
}
