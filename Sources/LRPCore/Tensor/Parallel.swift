import CWorkerPool
import Dispatch
import Foundation

/// How the engine keeps both cores busy: work is split into contiguous ranges, by default one per worker
/// (batch entries, image planes, or column blocks of a product), while OpenBLAS runs single-threaded inside
/// each. The ranges run on the calling thread and on a pool whose threads spin briefly between sections
/// (`CWorkerPool`), since an explanation runs hundreds of short sections per batch.
package enum Parallel {
    /// The number of workers: the active processor count.
    package static let workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Splits `0..<count` into contiguous ranges of at least `minimumPerRange` items (except when there are
    /// fewer items), up to `rangesPerWorker` for each of at most `workerCount` workers, and runs `body` on each,
    /// concurrently when there is more than one worker. A worker takes the next range not yet taken, so one that
    /// starts late or runs slowly takes fewer; more than one range per worker evens out uneven work where a
    /// range costs little to set up. Callers validate before: `body` cannot fail.
    package static func forEachRange(
        of count: Int, minimumPerRange: Int = 1, rangesPerWorker: Int = 1, _ body: (Range<Int>) -> Void
    ) {
        let workers = min(workerCount, count / max(minimumPerRange, 1))
        guard workers > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        let ranges = min(count / max(minimumPerRange, 1), workers * min(max(rangesPerWorker, 1), count))
        withoutActuallyEscaping(body) { body in
            // The ranges are disjoint, and callers write only the part of their outputs that belongs to each;
            // both ways below return after all ranges are done, so `body` does not escape.
            let run = { (range: Int) in body(count * range / ranges ..< count * (range + 1) / ranges) }
            if !runOnPool(workers: workers, parts: ranges, run) {
                // the pool is busy with another thread's section (or this is one of its sections' parts)
                let shared = UncheckedSendable(run)
                DispatchQueue.concurrentPerform(iterations: ranges) { shared.value($0) }
            }
        }
    }

    /// Runs `body(part)` for every part in `0..<parts` on `workers` threads at once, the calling thread and the
    /// pool's, each taking the next part not yet taken, and returns true when all have finished; false, running
    /// nothing, when the pool is busy with another section (another thread's, or the one this call is part of),
    /// or cannot start its threads.
    static func runOnPool(workers: Int, parts: Int, _ body: (Int) -> Void) -> Bool {
        withoutActuallyEscaping(body) { body in
            var body = body
            return withUnsafeMutablePointer(to: &body) { body in
                lrp_pool_run(workers, parts, { context, part in
                    context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(part)
                }, body) == 0
            }
        }
    }
}

/// Carries a value across a concurrency boundary where the caller guarantees there is no data race.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
