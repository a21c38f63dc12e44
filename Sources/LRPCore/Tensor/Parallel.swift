import Dispatch
import Foundation

/// How the engine keeps both cores busy: work is split into contiguous ranges, one per worker (batch
/// entries, image planes, or column blocks of a product), while OpenBLAS runs single-threaded inside each.
enum Parallel {
    /// The number of workers: the active processor count.
    static let workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Splits `0..<count` into at most `workerCount` contiguous ranges of at least `minimumPerWorker` items
    /// (except when there are fewer items) and runs `body` on each, concurrently when there is more than one
    /// range. Callers validate before: `body` cannot fail.
    static func forEachRange(of count: Int, minimumPerWorker: Int = 1, _ body: (Range<Int>) -> Void) {
        let workers = min(workerCount, count / max(minimumPerWorker, 1))
        guard workers > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            // Each worker gets a disjoint range, and callers write only the part of their outputs that
            // belongs to it; `concurrentPerform` returns after all workers finish, so `body` does not escape.
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                shared.value(count * worker / workers ..< count * (worker + 1) / workers)
            }
        }
    }
}

/// Carries a value across a concurrency boundary where the caller guarantees there is no data race.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
