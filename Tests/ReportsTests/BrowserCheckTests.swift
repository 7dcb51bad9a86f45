import Foundation
import Testing

@testable import Reports

/// The parts of the browser check that need no browser: reading the verdict the checking page
/// writes into the dumped DOM, and Chromium's console lines. (The check itself runs in
/// PhonoscopeCLITests' demo test, in headless Chromium.)
struct BrowserCheckTests {
    @Test func readsTheVerdictFromTheDumpedDOM() throws {
        let dom = """
            <html><body><pre id="verdict">VERDICT {&quot;images&quot;:3,&quot;broken&quot;:[&quot;a&amp;b.png&quot;]}</pre>
            <iframe id="report"></iframe></body></html>
            """
        let result = try #require(BrowserCheck.verdict(in: dom))
        #expect(result == .init(images: 3, broken: ["a&b.png"], consoleMessages: []))
        #expect(!result.passed)
        #expect(BrowserCheck.verdict(in: "<pre id=\"verdict\">pending</pre>") == nil)
        let blocked = try #require(
            BrowserCheck.verdict(in: "<pre>VERDICT {&quot;error&quot;:&quot;SecurityError&quot;}</pre>"))
        #expect(blocked.consoleMessages == ["the checking page could not read the report: SecurityError"])
        #expect(BrowserCheck.Result(images: 0, broken: [], consoleMessages: []).passed == false)
        #expect(BrowserCheck.Result(images: 2, broken: [], consoleMessages: []).passed)
    }

    @Test func readsConsoleMessagesFromChromiumsLog() {
        let log = """
            [1:2:1201/225534.930547:ERROR:dbus/bus.cc:405] Failed to connect to the bus
            [3:3:1201/225540.930970:INFO:CONSOLE:352] "Uncaught ReferenceError: f is not defined", source: file:///r/index.html (352)
            [3:3:1201/225540.930970:INFO:CONSOLE(7)] "late", source: file:///r/index.html (7)
            """
        #expect(
            BrowserCheck.consoleMessages(in: log) == [
                "\"Uncaught ReferenceError: f is not defined\", source: file:///r/index.html (352)",
                "\"late\", source: file:///r/index.html (7)",
            ])
    }

    @Test func theCheckingPageLoadsTheReportInAnIframe() {
        let page = BrowserCheck.checkingPage(for: URL(fileURLWithPath: "/tmp/a b/index.html"))
        #expect(page.contains("<iframe id=\"report\" src=\"file:///tmp/a%20b/index.html\""))
        #expect(page.contains("naturalWidth > 0"))
    }

    @Test func aMissingBrowserSaysHowToInstallOne() {
        do {
            _ = try BrowserCheck.locateBrowser("/nonexistent/chromium")
            Issue.record("a missing browser was accepted")
        } catch {
            #expect("\(error)".contains("/nonexistent/chromium"))
            #expect("\(error)".contains("apt-get install chromium"))
        }
    }
}
