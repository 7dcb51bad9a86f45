/// ARPAbet (CMUdict, the Montreal Forced Aligner's English ARPA models) to IPA, in the symbols
/// eSpeak NG's en-us voice uses, so imported alignments and synthetic ones share an inventory.
///
/// Stress digits are dropped, except that unstressed AH0 and ER0 become the reduced vowels ə
/// and ɚ (as eSpeak writes them). Silence labels of aligners ("", sil, sp, spn) become "".
public enum ARPAbet {
    /// ARPAbet phone (no stress digit) -> IPA.
    public static let table: [String: String] = [
        "AA": "ɑː", "AE": "æ", "AH": "ʌ", "AO": "ɔː", "AW": "aʊ", "AY": "aɪ", "EH": "ɛ", "ER": "ɜː", "EY": "eɪ",
        "IH": "ɪ", "IY": "iː", "OW": "oʊ", "OY": "ɔɪ", "UH": "ʊ", "UW": "uː",
        "B": "b", "CH": "tʃ", "D": "d", "DH": "ð", "F": "f", "G": "ɡ", "HH": "h", "JH": "dʒ", "K": "k", "L": "l",
        "M": "m", "N": "n", "NG": "ŋ", "P": "p", "R": "ɹ", "S": "s", "SH": "ʃ", "T": "t", "TH": "θ", "V": "v",
        "W": "w", "Y": "j", "Z": "z", "ZH": "ʒ",
    ]
    /// Labels aligners use for silence and noise.
    public static let silences: Set<String> = ["", "sil", "sp", "spn", "SIL", "SP", "SPN", "<eps>"]

    /// The IPA of an ARPAbet phone (`AH0`, `k`), or nil if it is not ARPAbet.
    public static func ipa(_ phone: String) -> String? {
        if silences.contains(phone) { return "" }
        let upper = phone.uppercased()
        let base = String(upper.filter { !$0.isNumber })
        if upper == "AH0" { return "ə" }
        if upper == "ER0" { return "ɚ" }
        return table[base]
    }
}
