import Dispatch
import Foundation
import Synchronization
import Testing
@testable import LRPCore

@Suite struct ParallelTests {
    /// Runs `forEachRange` and counts how often each index was visited.
    private func visits(count: Int, minimumPerRange: Int = 1, rangesPerWorker: Int = 1) -> [Int] {
        var visits = [Int](repeating: 0, count: count)
        visits.withUnsafeMutableBufferPointer { visits in
            Parallel.forEachRange(of: count, minimumPerRange: minimumPerRange, rangesPerWorker: rangesPerWorker) { range in
                for index in range { visits[index] += 1 }
            }
        }
        return visits
    }

    @Test func everyIndexIsVisitedOnce() {
        for count in [0, 1, 2, 3, 7, 64, 1001] {
            #expect(visits(count: count) == [Int](repeating: 1, count: count), "count \(count)")
        }
        #expect(visits(count: 10, minimumPerRange: 8) == [Int](repeating: 1, count: 10))
        for rangesPerWorker in [2, 5, 1000] {
            let counts = visits(count: 37, minimumPerRange: 3, rangesPerWorker: rangesPerWorker)
            #expect(counts == [Int](repeating: 1, count: 37), "\(rangesPerWorker) ranges per worker")
        }
    }

    @Test func sectionsFromManyThreadsAtOnceAllComplete() {
        // the pool takes one section at a time: the others run through Dispatch instead
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for round in 0..<200 {
                let count = 97 + round % 5
                if visits(count: count) != [Int](repeating: 1, count: count) { failures.withLock { $0 += 1 } }
            }
        }
        #expect(failures.withLock { $0 } == 0)
    }

    @Test func aSectionInsideASectionRuns() {
        var inner = [[Int]](repeating: [], count: 4)
        inner.withUnsafeMutableBufferPointer { inner in
            Parallel.forEachRange(of: 4) { range in
                for index in range { inner[index] = visits(count: 33) }
            }
        }
        #expect(inner.allSatisfy { $0 == [Int](repeating: 1, count: 33) })
    }

    @Test func thePoolRunsEveryPartOnceAndRefusesANestedSection() {
        let parts = 9
        var runs = [Int](repeating: 0, count: parts)
        var nestedRan = [Bool](repeating: true, count: parts)
        let ran = runs.withUnsafeMutableBufferPointer { runs in
            nestedRan.withUnsafeMutableBufferPointer { nestedRan in
                onPool(workers: 2, parts: parts) { part in
                    runs[part] += 1
                    nestedRan[part] = Parallel.runOnPool(workers: 2, parts: 1) { _ in }
                }
            }
        }
        #expect(ran)
        #expect(runs == [Int](repeating: 1, count: parts))
        #expect(nestedRan == [Bool](repeating: false, count: parts))
    }

    /// Runs `body` on the pool, retrying while other tests hold it; false if it never got the pool.
    private func onPool(workers: Int, parts: Int, _ body: (Int) -> Void) -> Bool {
        for _ in 0..<1000 {
            if Parallel.runOnPool(workers: workers, parts: parts, body) { return true }
            Thread.sleep(forTimeInterval: 0.001)
        }
        return false
    }

    @Test func aPoolThreadRunsAPartBesideTheCallerAwakeOrAsleep() {
        // each part waits until both have begun: the caller cannot run them one after the other, so both
        // parts arrive only if a pool thread takes one (within a second), whether it was spinning or asleep
        for gap in [0, 0.002, 0, 0.002] {
            Thread.sleep(forTimeInterval: gap)
            let arrived = Atomic(0), metTheOther = Atomic(0)
            let ran = onPool(workers: 2, parts: 2) { _ in
                arrived.add(1, ordering: .sequentiallyConsistent)
                let deadline = Date().addingTimeInterval(1)
                while arrived.load(ordering: .sequentiallyConsistent) < 2 && Date() < deadline {}
                if arrived.load(ordering: .sequentiallyConsistent) == 2 {
                    metTheOther.add(1, ordering: .sequentiallyConsistent)
                }
            }
            #expect(ran)
            #expect(metTheOther.load(ordering: .sequentiallyConsistent) == 2, "after \(gap) s")
        }
    }

    @Test func sectionsWithMoreOrFewerWorkersRunEachPartOnce() {
        for (round, workers) in [2, 4, 2, 3, 2, 4].enumerated() {
            let parts = 2 + round * 7
            var runs = [Int](repeating: 0, count: parts)
            let ran = runs.withUnsafeMutableBufferPointer { runs in
                onPool(workers: workers, parts: parts) { part in runs[part] += 1 }
            }
            #expect(ran)
            #expect(runs == [Int](repeating: 1, count: parts), "\(workers) workers, \(parts) parts")
        }
    }
}
