import Foundation
import Testing

@testable import Reports

/// The HTML builder: escaping, figures linked only when they exist, nothing external.
struct HTMLPageTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every `src="..."` value of the page.
    static func imageSources(_ html: String) -> [String] {
        html.components(separatedBy: "<img src=\"").dropFirst().compactMap { $0.split(separator: "\"").first }
            .map(String.init)
    }

    @Test func escapesMarkupCharacters() {
        #expect(
            htmlEscape("<script>alert('x') & \"y\"</script>")
                == "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;")
        #expect(htmlEscape("ʃ iː ɑː") == "ʃ iː ɑː")
    }

    @Test func textInEveryElementIsEscaped() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var page = HTMLPage(title: "<title & more>", directory: directory)
        page.heading("<x-h>")
        page.paragraph("a < b")
        page.preformatted("phonoscope nw 'a b' > out.json")
        page.table(headers: ["<x-th>"], rows: [["<x-td>"]], caption: "<x-cap>")
        page.bulletList(["<x-li>"])
        page.figure("missing<.png", caption: "<x-caption>", command: "echo <x>")
        let html = page.render()
        for raw in [
            "<title & more>", "<x-h>", "a < b", "> out.json", "<x-th>", "<x-td>", "<x-cap>", "<x-li>", "<x-caption>",
            "<x>",
        ] {
            #expect(!html.contains(raw), "unescaped \(raw)")
        }
        #expect(html.contains("&lt;title &amp; more&gt;"))
        #expect(html.contains("&gt; out.json"))
    }

    @Test func linksOnlyFiguresThatExist() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("en-erp"), withIntermediateDirectories: true)
        try Data([0x89, 0x50]).write(to: directory.appendingPathComponent("en-erp/conv1-lines.png"))
        var page = HTMLPage(title: "t", directory: directory)
        let present = page.figure("en-erp/conv1-lines.png", caption: "present", command: "phonoscope erp")
        let absent = page.figure("en-erp/conv9-lines.png", caption: "absent")
        let absolute = page.figure("/etc/passwd", caption: "absolute")
        let outside = page.figure("../outside.png", caption: "outside")
        let folder = page.figure("en-erp", caption: "a directory")
        #expect(present)
        #expect(!absent && !absolute && !outside && !folder)
        let html = page.render()
        #expect(Self.imageSources(html) == ["en-erp/conv1-lines.png"])
        #expect(page.missingFigures == ["en-erp/conv9-lines.png", "/etc/passwd", "../outside.png", "en-erp"])
        #expect(html.contains("Figure not found: en-erp/conv9-lines.png"))
        #expect(!html.lowercased().contains("http"))
    }

    @Test func pageIsSelfContained() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var page = HTMLPage(title: "t", directory: directory)
        page.contents([(id: "en", title: "English")])
        page.paragraph("text")
        let html = page.render()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<style>"))
        for external in ["http", "<script", "<link", "src=\"/", "url("] {
            #expect(!html.lowercased().contains(external), "\(external)")
        }
    }

    @Test func commandsAreShellQuoted() {
        let command = DemoStep(["erp", "--groups", "s,t", "--title", "it's"], standardOutput: "a b.json")
        #expect(command.commandLine == "phonoscope erp --groups s,t --title 'it'\\''s' > 'a b.json'")
    }
}
