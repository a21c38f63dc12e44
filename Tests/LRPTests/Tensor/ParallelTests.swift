import Dispatch
import Foundation
import Synchronization
import Testing
@testable import LRPCore

@Suite struct ParallelTests {
    /// Runs `forEachRange` and counts how often each index was visited.
    private func visits(count: Int, minimumPerWorker: Int = 1, rangesPerWorker: Int = 1) -> [Int] {
        var visits = [Int](repeating: 0, count: count)
        visits.withUnsafeMutableBufferPointer { visits in
            Parallel.forEachRange(of: count, minimumPerWorker: minimumPerWorker, rangesPerWorker: rangesPerWorker) { range in
                for index in range { visits[index] += 1 }
            }
        }
        return visits
    }

    @Test func everyIndexIsVisitedOnce() {
        for count in [0, 1, 2, 3, 7, 64, 1001] {
            #expect(visits(count: count) == [Int](repeating: 1, count: count), "count \(count)")
        }
        #expect(visits(count: 10, minimumPerWorker: 8) == [Int](repeating: 1, count: 10))
        for rangesPerWorker in [2, 5, 1000] {
            #expect(visits(count: 37, minimumPerWorker: 3, rangesPerWorker: rangesPerWorker) == [Int](repeating: 1, count: 37))
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

    @Test func thePoolRunsEveryPartOnceAndRefusesANestedSection() throws {
        let parts = 9
        var ranOnPool = false
        // other tests may hold the pool for a moment
        for _ in 0..<1000 where !ranOnPool {
            var runs = [Int](repeating: 0, count: parts)
            var nestedRan = [Bool](repeating: true, count: parts)
            ranOnPool = runs.withUnsafeMutableBufferPointer { runs in
                nestedRan.withUnsafeMutableBufferPointer { nestedRan in
                    Parallel.runOnPool(workers: 2, parts: parts) { part in
                        runs[part] += 1
                        nestedRan[part] = Parallel.runOnPool(workers: 2, parts: 1) { _ in }
                    }
                }
            }
            if ranOnPool {
                #expect(runs == [Int](repeating: 1, count: parts))
                #expect(nestedRan == [Bool](repeating: false, count: parts))
            } else {
                #expect(runs == [Int](repeating: 0, count: parts), "a refused section runs nothing")
            }
            Thread.sleep(forTimeInterval: 0.001)
        }
        #expect(ranOnPool)
    }

    @Test func thePoolWakesAfterItsThreadsHaveGoneToSleep() {
        // the pool's threads spin for 0.2 ms after a section, then sleep until the next
        for gap in [0, 0.0001, 0.002, 0.002] {
            Thread.sleep(forTimeInterval: gap)
            #expect(visits(count: 50) == [Int](repeating: 1, count: 50), "after \(gap) s")
        }
    }
}
