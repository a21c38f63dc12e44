import Dispatch
import Foundation
import LRPCore

/// What starting a parallel section costs beyond its work: the engine's pool (`Parallel.forEachRange`) against
/// Dispatch's `concurrentPerform`, which the engine used before. An explanation runs hundreds of sections per
/// batch, each a few microseconds to milliseconds long, mostly a few microseconds of serial work apart.
struct SectionBenchmark {
    /// The work in each part of a section, in seconds.
    let work = 20e-6

    func report() {
        let workers = BLASInfo.workerCount
        guard workers > 1 else { return }
        // serial work between sections: shorter than the pool's spinning (0.2 ms), and longer
        for (between, sections) in [(50e-6, 2000), (1e-3, 400)] {
            let pool = overhead(sections: sections, between: between) {
                Parallel.forEachRange(of: workers) { _ in spin(work) }
            }
            let dispatch = overhead(sections: sections, between: between) {
                DispatchQueue.concurrentPerform(iterations: workers) { _ in spin(work) }
            }
            print(String(format: "parallel section of %.0f µs, %.0f µs after the last: %.1f µs more with the engine's pool, "
                         + "%.1f µs with Dispatch's concurrentPerform (means)", work * 1e6, between * 1e6, pool * 1e6, dispatch * 1e6))
        }
        print()
    }

    /// Seconds per section beyond its work, on average over `sections` sections, each after `between` seconds of
    /// serial work (the mean, since the rare slow start is what adds up).
    private func overhead(sections: Int, between: Double, _ section: () -> Void) -> Double {
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
