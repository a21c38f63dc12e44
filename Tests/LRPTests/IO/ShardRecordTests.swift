import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct ShardRecordTests {
    func record(_ spec: String, of inputs: Int = 10) throws -> ShardRecord { ShardRecord(try Shard(spec: spec), of: inputs) }

    @Test func partsGivenInAnyOrderAreSortedByShard() throws {
        let parts = try [("c", record("3/3")), ("a", record("1/3")), ("b", record("2/3"))]
        #expect(try ShardRecord.order(parts) == [1, 2, 0])
        #expect(try record("2/4").range == 2 ..< 5)
    }

    @Test func aMissingShardIsNamed() throws {
        expectLRPError("shard 2/3 of 10 inputs is missing") { _ = try ShardRecord.order([("a", try record("1/3")), ("c", try record("3/3"))]) }
        expectLRPError("shards 1/4, 3/4 of 10 inputs are missing") {
            _ = try ShardRecord.order([("b", try record("2/4")), ("d", try record("4/4"))])
        }
    }

    @Test func aShardGivenTwiceIsNamedWithBothParts() throws {
        expectLRPError("shard 1/2 is given twice: a and again/a") {
            _ = try ShardRecord.order([("a", try record("1/2")), ("b", try record("2/2")), ("again/a", try record("1/2"))])
        }
    }

    @Test func partsOfDifferentSplitsAreRefused() throws {
        expectLRPError("b is shard 2/3 of 10 inputs, but a is shard 1/2 of 10", "different splits") {
            _ = try ShardRecord.order([("a", try record("1/2")), ("b", try record("2/3"))])
        }
        expectLRPError("b is shard 2/2 of 12 inputs, but a is shard 1/2 of 10") {
            _ = try ShardRecord.order([("a", try record("1/2")), ("b", try record("2/2", of: 12))])
        }
    }

    @Test func aRecordThatIsNoShardIsRefused() throws {
        let bad = try JSONDecoder().decode(ShardRecord.self, from: Data(#"{"index": 5, "count": 4, "inputs": 10}"#.utf8))
        expectLRPError("x: shard 5/4 of 10 inputs is not a shard") { _ = try ShardRecord.order([("x", bad)]) }
    }

    @Test func theRecordBesideAFileRoundTripsAndIsRemoved() throws {
        let folder = try TemporaryFolder()
        let file = folder.file("relevance-2.npy")
        #expect(ShardRecord.sidecar(of: file) == folder.file("relevance-2.npy.shard.json"))
        #expect(try ShardRecord.read(beside: file) == nil)
        try record("2/4", of: 400).write(beside: file)
        #expect(try ShardRecord.read(beside: file) == record("2/4", of: 400))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["relevance-2.npy.shard.json"])
        ShardRecord.remove(beside: file)
        #expect(try ShardRecord.read(beside: file) == nil)
        try Data("{}".utf8).write(to: ShardRecord.sidecar(of: file))
        expectLRPError("relevance-2.npy.shard.json: not an lrp shard record") { _ = try ShardRecord.read(beside: file) }
    }
}
