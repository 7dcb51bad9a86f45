/// The languages Phonoscope's shipped models and corpora cover, with the letters their
/// recognisers spell (SCIENCE.md: English a-z, space, apostrophe; German adds ä ö ü ß).
public enum Language: String, Sendable, Codable, CaseIterable {
    case en
    case de

    /// The eSpeak NG voice (language) used to synthesise it.
    public var espeakVoice: String {
        switch self {
        case .en: return "en-us"
        case .de: return "de"
        }
    }

    public var name: String {
        switch self {
        case .en: return "English"
        case .de: return "German"
        }
    }

    /// The characters a transcript may contain, space and apostrophe included.
    public var letters: Set<Character> {
        var letters = Set("abcdefghijklmnopqrstuvwxyz '")
        if self == .de { letters.formUnion("äöüß") }
        return letters
    }

    /// The first character of `text` outside the alphabet, with its offset, or nil.
    public func firstInvalidCharacter(in text: String) -> (offset: Int, character: Character)? {
        let letters = self.letters
        for (offset, character) in text.enumerated() where !letters.contains(character) {
            return (offset, character)
        }
        return nil
    }
}
