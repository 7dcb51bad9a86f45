import Testing

@testable import PhonoscopeIO

struct LargeArrayTests {
    @Test(arguments: [0, 1, 1000, 3_000_000])
    func holdsWhatWasWritten(_ count: Int) {
        let filled = LargeArray.filled(count: count, with: Float(2.5))
        #expect(filled.count == count)
        #expect(filled.allSatisfy { $0 == 2.5 })
        let ramp: [Int32] = LargeArray.make(count: count) { buffer in
            for i in 0..<count { buffer.initializeElement(at: i, to: Int32(truncatingIfNeeded: i)) }
        }
        #expect(ramp.count == count)
        #expect(ramp.indices.allSatisfy { ramp[$0] == Int32(truncatingIfNeeded: $0) })
    }
}
