import Testing

@testable import Phonetics

struct PhonemeInventoryTests {
    @Test(arguments: Language.allCases)
    func everyPhonemeOfEachLanguageHasAClass(_ language: Language) throws {
        let inventory = try #require(PhonemeInventory.inventories[language])
        #expect(Set(inventory).count == inventory.count)
        for symbol in inventory {
            let phoneme = try #require(PhonemeInventory.phoneme(symbol), "\(symbol) has no class")
            #expect(phoneme.ipa == symbol)
        }
        let classes = Set(inventory.compactMap { PhonemeInventory.phoneme($0)?.phoneticClass })
        #expect(classes == Set(PhoneticClass.allCases))
    }

    @Test func classesAndVoicing() {
        let cases: [(String, PhoneticClass, Bool)] = [
            ("p", .plosive, false), ("b", .plosive, true), ("s", .fricative, false), ("ð", .fricative, true),
            ("tʃ", .affricate, false), ("ts", .affricate, false), ("dʒ", .affricate, true), ("ŋ", .nasal, true),
            ("ɹ", .approximant, true), ("iː", .vowel, true), ("aɪ", .diphthong, true), ("ɔø", .diphthong, true),
            ("ˈɛ", .vowel, true), ("", .pause, false), ("ʊː", .vowel, true), ("oɪ", .diphthong, true),
        ]
        for (symbol, phoneticClass, voiced) in cases {
            let phoneme = PhonemeInventory.phoneme(symbol)
            #expect(phoneme?.phoneticClass == phoneticClass && phoneme?.voiced == voiced, "\(symbol)")
        }
        for pseudo in ["(en)", "(de)", "??", "1"] { #expect(PhonemeInventory.phoneme(pseudo) == nil) }
    }

    @Test func bothLanguagesShareSymbolsForSharedSounds() throws {
        let en = Set(try #require(PhonemeInventory.inventories[.en]))
        let de = Set(try #require(PhonemeInventory.inventories[.de]))
        for shared in ["p", "t", "k", "b", "d", "ɡ", "f", "v", "s", "z", "ʃ", "h", "m", "n", "ŋ", "l", "j", "iː", "aɪ"]
        {
            #expect(en.contains(shared) && de.contains(shared), "\(shared)")
        }
    }

    @Test func mnemonicsMapToIPA() {
        #expect(PhonemeInventory.ipa(forMnemonic: "S", language: .en) == "ʃ")
        #expect(PhonemeInventory.ipa(forMnemonic: "'aI", language: .en) == "aɪ")
        #expect(PhonemeInventory.ipa(forMnemonic: "D", language: .en) == "ð")
        #expect(PhonemeInventory.ipa(forMnemonic: "C", language: .de) == "ç")
        #expect(PhonemeInventory.ipa(forMnemonic: "no such", language: .de) == nil)
        // Every mapped IPA name is a phoneme of that language (or classifiable).
        for language in Language.allCases {
            for ipa in PhonemeInventory.espeakMnemonicTables[language]?.values.sorted() ?? [] {
                #expect(PhonemeInventory.phoneme(ipa) != nil, "\(language): \(ipa)")
            }
        }
    }
}
