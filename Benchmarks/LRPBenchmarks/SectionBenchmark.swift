import Dispatch
import Foundation
import LRPCore

/// What starting a parallel section costs beyond its work: the engine's pool (`Parallel.forEachRange`) against
/// Dispatch's `concurrentPerform`, which the engine used before. An explanation runs hundreds of sections per
/// batch, each a few microseconds to milliseconds long.
struct SectionBenchmark {
    /// The work in each part of a section, and the serial work between sections, in seconds.
    let work = 20e-6, between = 50e-6
    let sections = 2000

    func report() {
        let workers = BLASInfo.workerCount
        guard workers > 1 else { return }
        let pool = overhead { Parallel.forEachRange(of: workers) { _ in spin(work) } }
        let dispatch = overhead { DispatchQueue.concurrentPerform(iterations: workers) { _ in spin(work) } }
        print(String(format: "parallel section of %.0f µs: %.1f µs more with the engine's pool, %.1f µs with Dispatch's concurrentPerform (means)",
                     work * 1e6, pool * 1e6, dispatch * 1e6))
        print()
    }

    /// Seconds per section beyond its work, on average over `sections` sections, each after serial work (the
    /// mean, since the rare slow start is what adds up).
    private func overhead(_ section: () -> Void) -> Double {
        var total = 0.0
        for _ in 0..<sections {
            spin(between)
            let start = DispatchTime.now().uptimeNanoseconds
            section()
            total += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 - work
        }
        return total / Double(sections)
    }

    private func spin(_ seconds: Double) {
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        while DispatchTime.now().uptimeNanoseconds < end {}
    }
}
