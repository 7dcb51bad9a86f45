import Foundation
import Testing

@testable import Recognizer

/// Forced alignment against brute force: every path of a few frames over a few classes.
struct CTCForcedAlignmentTests {
    /// Repeats merged, blanks dropped.
    func collapse(_ path: [Int], blank: Int) -> [Int] {
        var result: [Int] = []
        var previous = blank
        for c in path {
            if c != blank && c != previous { result.append(c) }
            previous = c
        }
        return result
    }

    func randomLogProbabilities(frames: Int, classes: Int, state: inout UInt64) -> [Float] {
        var values: [Float] = []
        for _ in 0..<frames {
            let logits = (0..<classes).map { _ -> Double in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Double(state >> 40) / Double(1 << 24) * 4 - 2
            }
            let norm = log(logits.map { exp($0) }.reduce(0, +))
            values += logits.map { Float($0 - norm) }
        }
        return values
    }

    @Test func bestPathEqualsBruteForce() throws {
        var state: UInt64 = 7
        let classes = 3
        let blank = 2
        let targets: [[Int]] = [[], [0], [1], [0, 1], [0, 0], [1, 0, 1], [0, 0, 1], [1, 1, 1]]
        for frames in 1...6 {
            for target in targets {
                let lp = randomLogProbabilities(frames: frames, classes: classes, state: &state)
                let alignment = try CTC.forcedAlignment(
                    logProbabilities: lp, frames: frames, classes: classes, target: target, blank: blank)
                // Brute force: every one of classes^frames paths.
                var best = -Double.infinity
                for code in 0..<Int(pow(Double(classes), Double(frames))) {
                    var rest = code
                    let path = (0..<frames).map { _ -> Int in
                        defer { rest /= classes }
                        return rest % classes
                    }
                    guard collapse(path, blank: blank) == target else { continue }
                    let score = path.enumerated().map { Double(lp[$0.offset * classes + $0.element]) }.reduce(0, +)
                    best = max(best, score)
                }
                guard best > -Double.infinity else {
                    #expect(alignment == nil, "\(target) in \(frames) frames is infeasible")
                    continue
                }
                let found = try #require(alignment, "\(target) in \(frames) frames")
                #expect(abs(found.logProbability - best) < 1e-9, "\(target) in \(frames) frames")
                #expect(collapse(found.path, blank: blank) == target)
                let pathScore = found.path.enumerated().map { Double(lp[$0.offset * classes + $0.element]) }
                    .reduce(0, +)
                #expect(abs(pathScore - found.logProbability) < 1e-9)
                // Each span is the run of frames on the path that emitted its label.
                #expect(found.spans.count == target.count)
                for (k, span) in found.spans.enumerated() {
                    #expect(span.allSatisfy { found.path[$0] == target[k] })
                    if span.lowerBound > 0 { #expect(found.path[span.lowerBound - 1] != target[k] || k > 0) }
                    if k > 0 { #expect(span.lowerBound > found.spans[k - 1].upperBound) }
                }
            }
        }
    }

    @Test func onsetsFollowAClearPath() throws {
        // Frames 0-1 say blank, 2-3 "a", 4 blank, 5-7 "b": the spans are exactly those runs.
        let classes = 3  // a, b, blank
        let frameClasses = [2, 2, 0, 0, 2, 1, 1, 1]
        var lp: [Float] = []
        for c in frameClasses { lp += (0..<classes).map { $0 == c ? log(0.9) : log(0.05) } }
        let alignment = try #require(
            try CTC.forcedAlignment(logProbabilities: lp, frames: 8, classes: classes, target: [0, 1], blank: 2))
        #expect(alignment.path == frameClasses)
        #expect(alignment.spans == [2...3, 5...7])
    }

    @Test func badInput() throws {
        #expect(throws: CTCError.self) {
            _ = try CTC.forcedAlignment(logProbabilities: [0, 0], frames: 1, classes: 2, target: [1], blank: 1)
        }
        #expect(throws: CTCError.self) {
            _ = try CTC.forcedAlignment(logProbabilities: [0, 0, 0], frames: 1, classes: 2, target: [0], blank: 1)
        }
        // Two equal letters need a blank between them: 2 frames are too few.
        #expect(
            try CTC.forcedAlignment(logProbabilities: [0, 0, 0, 0], frames: 2, classes: 2, target: [0, 0], blank: 1)
                == nil)
    }
}
