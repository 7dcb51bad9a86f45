/// A phoneme's manner class, the grouping plots and cluster scores use (SCIENCE.md).
public enum PhoneticClass: String, Sendable, Codable, CaseIterable {
    case vowel
    case diphthong
    case plosive
    case fricative
    case affricate
    case nasal
    /// Approximants, liquids and taps: l, ɹ, r, ɾ, w, j, syllabic l.
    case approximant
    case pause
}

/// One phoneme: its IPA symbol, class and voicing.
public struct Phoneme: Sendable, Codable, Equatable, Hashable {
    public var ipa: String
    public var phoneticClass: PhoneticClass
    public var voiced: Bool
}

/// The IPA phonemes eSpeak NG's English (en-us) and German (de) voices produce, with class and
/// voicing, and eSpeak's own phoneme mnemonics mapped to IPA.
///
/// Both languages name the same sound with the same IPA symbol, as eSpeak's IPA output does
/// (ɡ, ʃ, ts ...), so the two languages can be compared phoneme by phoneme. The inventories were
/// read off eSpeak NG 1.51's phoneme events on the sentences in Corpora/text (see
/// `Tests/PhoneticsTests`); symbols outside them still get a class from their first segment.
/// Choices: diphthongs and r-coloured vowels (ɑːɹ, ɪɹ) and triphthongs (aɪɚ) are `diphthong`;
/// the tap ɾ (English flapped t/d, German r) and syllabic l (əl) are `approximant`; the glottal
/// stop ʔ is a `plosive`; syllabic n̩ is a `nasal`; the nasal vowel ɑ̃ is a `vowel`; the empty label
/// (eSpeak's pauses, silence in TextGrids) is `pause`.
public enum PhonemeInventory {
    static let vowels: Set<String> = [
        "a", "ɐ", "æ", "ɑ", "ɑː", "ɒ", "ɔ", "ɔː", "ə", "ɚ", "ɛ", "ɛː", "ɜ", "ɜː", "e", "eː", "i", "iː", "ɪ", "ᵻ",
        "o", "oː", "ʊ", "u", "uː", "ʌ", "y", "yː", "ʏ", "ø", "øː", "œ", "ɑ̃",
    ]
    static let diphthongs: Set<String> = [
        "aɪ", "aʊ", "eɪ", "oʊ", "əʊ", "ɔɪ", "ɔø", "iə", "eə", "aɪə", "aɪɚ", "ɑːɹ", "ɔːɹ", "oːɹ", "ʊɹ", "ɛɹ", "ɪɹ",
    ]
    static let consonants: [String: (PhoneticClass, Bool)] = [
        "p": (.plosive, false), "t": (.plosive, false), "k": (.plosive, false), "ʔ": (.plosive, false),
        "b": (.plosive, true), "d": (.plosive, true), "ɡ": (.plosive, true), "g": (.plosive, true),
        "f": (.fricative, false), "θ": (.fricative, false), "s": (.fricative, false), "ʃ": (.fricative, false),
        "ç": (.fricative, false), "x": (.fricative, false), "h": (.fricative, false),
        "v": (.fricative, true), "ð": (.fricative, true), "z": (.fricative, true), "ʒ": (.fricative, true),
        "tʃ": (.affricate, false), "ts": (.affricate, false), "pf": (.affricate, false), "dʒ": (.affricate, true),
        "m": (.nasal, true), "n": (.nasal, true), "ŋ": (.nasal, true), "n̩": (.nasal, true),
        "l": (.approximant, true), "əl": (.approximant, true), "ɹ": (.approximant, true),
        "r": (.approximant, true), "ɾ": (.approximant, true), "w": (.approximant, true), "j": (.approximant, true),
    ]

    /// The phonemes each language's eSpeak voice produces (pause included).
    public static let inventories: [Language: [String]] = [
        .en: [
            "", "n", "t", "ɪ", "s", "d", "ə", "l", "z", "ɹ", "k", "ɛ", "m", "æ", "ʌ", "aɪ", "w", "p", "ð", "b", "h",
            "ɐ", "v", "iː", "f", "oʊ", "eɪ", "uː", "ɚ", "ŋ", "i", "ɑː", "ɡ", "ᵻ", "j", "ɜː", "aʊ", "ɾ", "ʃ", "ʊ",
            "tʃ", "θ", "əl", "dʒ", "ɔː", "ɔ", "ɑːɹ", "ɔːɹ", "oːɹ", "ʊɹ", "ɛɹ", "iə", "ɪɹ", "ɔɪ", "aɪɚ", "oː",
            "aɪə", "ʒ", "ʔ", "n̩",
        ],
        .de: [
            "", "n", "t", "ə", "d", "ɾ", "ɪ", "s", "a", "ɛ", "l", "iː", "m", "aɪ", "f", "ɡ", "v", "z", "k", "ç",
            "ɜ", "b", "eː", "ʊ", "r", "ʃ", "ts", "ɑː", "oː", "uː", "h", "ɔ", "p", "aʊ", "ŋ", "x", "yː", "j", "ɔø",
            "y", "œ", "ɛː", "øː", "ɑ", "pf", "i", "ʒ",
        ],
    ]

    /// Class and voicing of an IPA phoneme label; nil for labels that are not phonemes
    /// (eSpeak's language switches "(en)", unknown "??").
    public static func phoneme(_ ipa: String) -> Phoneme? {
        let symbol = ipa.filter { $0 != "ˈ" && $0 != "ˌ" }
        if symbol.isEmpty { return Phoneme(ipa: "", phoneticClass: .pause, voiced: false) }
        if !isPhonemeLabel(symbol) { return nil }
        if let (phoneticClass, voiced) = consonants[symbol] {
            return Phoneme(ipa: symbol, phoneticClass: phoneticClass, voiced: voiced)
        }
        if diphthongs.contains(symbol) { return Phoneme(ipa: symbol, phoneticClass: .diphthong, voiced: true) }
        if vowels.contains(symbol) { return Phoneme(ipa: symbol, phoneticClass: .vowel, voiced: true) }
        // Unlisted symbols: a vowel followed by more vowel material is a diphthong; otherwise
        // classify by the first segment (length marks and diacritics stay with it).
        let first = String(symbol.prefix(1))
        if vowels.contains(first) || vowels.contains(first + "ː") {
            let rest = symbol.dropFirst().filter { $0 != "ː" }
            let isDiphthong = rest.contains { vowels.contains(String($0)) || $0 == "ɹ" }
            return Phoneme(ipa: symbol, phoneticClass: isDiphthong ? .diphthong : .vowel, voiced: true)
        }
        if let (phoneticClass, voiced) = consonants[first] {
            return Phoneme(ipa: symbol, phoneticClass: phoneticClass, voiced: voiced)
        }
        return nil
    }

    /// False for eSpeak's pseudo-phonemes: language switches such as "(en)", "??" and digits.
    public static func isPhonemeLabel(_ label: String) -> Bool {
        !(label.hasPrefix("(") && label.hasSuffix(")")) && !label.contains("?") && !label.contains(where: \.isNumber)
    }

    /// The IPA of an eSpeak NG phoneme mnemonic (as `espeak-ng -x` writes it), stress marks ignored.
    public static func ipa(forMnemonic mnemonic: String, language: Language) -> String? {
        let bare = mnemonic.filter { $0 != "'" && $0 != "," }
        return espeakMnemonicTables[language]?[bare]
    }
}
