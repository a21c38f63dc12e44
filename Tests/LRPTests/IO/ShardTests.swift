import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct ShardTests {
    @Test func shardsCoverTheDataOnceInOrder() throws {
        for total in [0, 1, 7, 10, 64] {
            for count in 1...5 {
                let ranges = try (1...count).map { try Shard(spec: "\($0)/\(count)").range(of: total) }
                #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == total)
                #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                #expect(ranges.allSatisfy { $0.count == total / count || $0.count == total / count + 1 })
            }
        }
        #expect(try Shard(spec: "2/4").range(of: 10) == 2 ..< 5)
        #expect(Shard.all.range(of: 9) == 0 ..< 9)
    }

    @Test func badSpecificationsAreRefused() {
        for spec in ["3/2", "0/2", "1/0", "2", "a/b", "1/2/3", "-1/2", ""] {
            expectLRPError("'\(spec)'", "1 ≤ K ≤ N") { _ = try Shard(spec: spec) }
        }
    }
}
