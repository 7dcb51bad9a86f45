import Foundation

/// Progress of long work on standard error: a redrawn bar with rate and ETA on a terminal,
/// plain lines (every 10 % or 30 s) otherwise, so logs stay readable. Thread-safe.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let unit: String
    private let lock = NSLock()
    private let start = Date()
    private let interactive = isatty(STDERR_FILENO) != 0
    private var lastPrinted = Date.distantPast
    private var lastFraction = -1.0
    /// Work already done when the bar started (a resumed run), left out of the rate.
    private var baseline: Int?

    init(label: String, unit: String) {
        self.label = label
        self.unit = unit
    }

    /// `detail` (e.g. the current loss) is shown after the rate and ETA.
    func update(done: Int, total: Int, detail: String = "") {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let elapsed = now.timeIntervalSince(start)
        if interactive {
            guard now.timeIntervalSince(lastPrinted) > 0.1 || done == total else { return }
        } else {
            guard fraction >= lastFraction + 0.1 || now.timeIntervalSince(lastPrinted) > 30 || done == total else {
                return
            }
            lastFraction = fraction
        }
        lastPrinted = now
        if baseline == nil { baseline = done }
        let rate = elapsed > 0 ? Double(done - (baseline ?? 0)) / elapsed : 0
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        let stats =
            String(
                format: "%d/%d %@ %3.0f%% %.1f %@/s ETA %@", done, total, unit, fraction * 100, rate, unit,
                Self.clock(remaining)) + (detail.isEmpty ? "" : " " + detail)
        if interactive {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            let line = "\r\(label) [\(bar)] \(stats)" + (done == total ? "\n" : "")
            FileHandle.standardError.write(Data(line.utf8))
        } else {
            Console.warn("\(label): \(stats)")
        }
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600
            ? String(format: "%dh%02dm", total / 3600, total % 3600 / 60)
            : String(format: "%dm%02ds", total / 60, total % 60)
    }
}
