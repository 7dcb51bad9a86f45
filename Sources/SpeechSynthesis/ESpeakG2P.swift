import Phonetics

/// eSpeak NG's letter-to-sound rules and lexicon as a G2P: each word read in isolation by the
/// language's voice, in IPA, stress marks dropped (`Synthesizer.phonemes(of:voice:)`). It knows
/// every word made of letters, so it is the last stage of a `FallbackG2P`.
public struct ESpeakG2P: GraphemeToPhoneme {
    public let voice: String

    public init(language: Language) { self.voice = language.espeakVoice }

    public func pronunciation(of word: String) throws -> Pronunciation? {
        let phonemes = try Synthesizer.phonemes(of: word, voice: voice).flatMap { $0 }
        return phonemes.isEmpty ? nil : Pronunciation(phonemes: phonemes, source: "espeak")
    }
}
