import Foundation
import Testing

@testable import Phonetics

/// TextGrids: round trips, Praat's short format, UTF-16, and every validation error.
struct TextGridTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let example = TextGrid(
        xmin: 0, xmax: 1.5,
        tiers: [
            IntervalTier(
                name: "words", xmin: 0, xmax: 1.5,
                filling: [
                    Interval(start: 0.1, end: 0.6, label: "hello"), Interval(start: 0.7, end: 1.4, label: "wörld"),
                ]),
            IntervalTier(
                name: "phones", xmin: 0, xmax: 1.5,
                filling: [
                    Interval(start: 0.1, end: 0.25, label: "h"), Interval(start: 0.25, end: 0.6, label: "əˈloʊ"),
                    Interval(start: 0.7, end: 1.4, label: "w\"ɜː\"ld"),
                ]),
        ])

    @Test func fillingTilesTheTier() throws {
        let words = Self.example.tiers[0]
        #expect(words.intervals.map(\.label) == ["", "hello", "", "wörld", ""])
        #expect(words.intervals.first?.start == 0 && words.intervals.last?.end == 1.5)
        for (a, b) in zip(words.intervals, words.intervals.dropFirst()) { #expect(a.end == b.start) }
        #expect(words.labelled.count == 2)
    }

    @Test func roundTripsThroughTheLongFormat() throws {
        let back = try TextGrid(data: Data(Self.example.encoded().utf8))
        #expect(back == Self.example)
        #expect(Self.example.encoded() == back.encoded())
        #expect(Self.example.encoded().hasPrefix("File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n"))
    }

    @Test func readsPraatsShortFormatAndSkipsPointTiers() throws {
        let grid = try TextGrid(contentsOf: Self.fixtures.appendingPathComponent("short-format.TextGrid"))
        #expect(grid.xmax == 1.25)
        #expect(grid.tiers.count == 1)
        #expect(grid.tiers[0].intervals.map(\.label) == ["", "say \"hi\"", ""])
    }

    @Test func readsUTF16() throws {
        var data = Data([0xFF, 0xFE])
        data.append(Self.example.encoded().data(using: .utf16LittleEndian) ?? Data())
        #expect(try TextGrid(data: data) == Self.example)
    }

    @Test func validationNamesTheTierAndInterval() throws {
        func grid(_ intervals: [Interval]) -> TextGrid {
            TextGrid(xmin: 0, xmax: 2, tiers: [IntervalTier(name: "phones", xmin: 0, xmax: 2, intervals: intervals)])
        }
        #expect(throws: TextGridError.overlapping(path: "g", tier: "phones", index: 2, start: 0.4, previousEnd: 0.5)) {
            try grid([Interval(start: 0, end: 0.5, label: "a"), Interval(start: 0.4, end: 1, label: "b")]).validate(
                path: "g")
        }
        #expect(throws: TextGridError.unsorted(path: "g", tier: "phones", index: 2, start: 0.2, previousEnd: 1)) {
            try grid([Interval(start: 0.5, end: 1, label: "a"), Interval(start: 0.2, end: 0.4, label: "b")]).validate(
                path: "g")
        }
        #expect(throws: TextGridError.emptyInterval(path: "g", tier: "phones", index: 1, start: 0.5, end: 0.5)) {
            try grid([Interval(start: 0.5, end: 0.5, label: "a")]).validate(path: "g")
        }
        #expect(throws: TextGridError.self) {
            try grid([Interval(start: 1.5, end: 2.5, label: "a")]).validate(path: "g")
        }
        try grid([Interval(start: 0, end: 1, label: "a"), Interval(start: 1.5, end: 2, label: "b")]).validate()
    }

    @Test func malformedFilesAreRefused() throws {
        #expect(throws: TextGridError.self) { _ = try TextGrid(data: Data("hello".utf8)) }
        let truncated = String(Self.example.encoded().prefix(300))
        #expect(throws: TextGridError.self) { _ = try TextGrid(data: Data(truncated.utf8)) }
        #expect(throws: TextGridError.missingTier(path: "x", tier: "letters", available: ["words", "phones"])) {
            _ = try Self.example.tier("letters", path: "x")
        }
    }

    @Test func alphabets() {
        #expect(Language.en.firstInvalidCharacter(in: "it's a test") == nil)
        #expect(Language.en.firstInvalidCharacter(in: "schön")?.character == "ö")
        #expect(Language.de.firstInvalidCharacter(in: "schöne grüße") == nil)
        #expect(Language.de.firstInvalidCharacter(in: "Haus")?.offset == 0)
        #expect(Language.de.letters.count == 32)
    }
}
