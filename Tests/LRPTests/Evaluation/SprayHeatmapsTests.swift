import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct SprayHeatmapsTests {
    static func stage(_ names: [String], targetClass: Int = 1, groups: [Int]? = nil) throws -> SprayHeatmaps {
        var stage = SprayHeatmaps(model: "m.onnx", method: "zplus", targetClass: targetClass, pool: 2, height: 1, width: 2,
                                  knownGroups: groups != nil)
        for (index, name) in names.enumerated() { try stage.append(name: name, heatmap: [Float(index), 1], group: groups?[index]) }
        return stage
    }

    @Test func roundTripsAndMergesInOrder() throws {
        let folder = try TemporaryFolder()
        let first = try Self.stage(["a", "b"], groups: [0, 1]), second = try Self.stage(["c"], groups: [1])
        try first.write(to: folder.file("one"))
        #expect(try SprayHeatmaps.read(from: folder.file("one")) == first)
        let merged = try SprayHeatmaps.merged([first, second])
        #expect(merged.header.names == ["a", "b", "c"] && merged.header.groups == [0, 1, 1] && merged.heatmaps.count == 3)
        #expect(merged.header.shard == nil)
        expectLRPError("cannot be merged") { _ = try SprayHeatmaps.merged([first, try Self.stage(["d"], targetClass: 2, groups: [0])]) }
        expectLRPError("some heatmap stages have known groups") { _ = try SprayHeatmaps.merged([first, try Self.stage(["d"])]) }
    }

    @Test func aShardsStageKeepsItsRecordAndTheMergeIsOfNoShard() throws {
        let folder = try TemporaryFolder()
        let records = [ShardRecord(try Shard(spec: "1/2"), of: 3), ShardRecord(try Shard(spec: "2/2"), of: 3)]
        var stages = [SprayHeatmaps]()
        for (record, names) in zip(records, [["a"], ["b", "c"]]) {
            var stage = SprayHeatmaps(model: "m", method: "zplus", targetClass: 1, pool: 1, height: 1, width: 2, shard: record)
            for name in names { try stage.append(name: name, heatmap: [0, 1]) }
            stages.append(stage)
        }
        try stages[1].write(to: folder.file("two"))
        #expect(try SprayHeatmaps.read(from: folder.file("two")).header.shard == records[1])
        let merged = try SprayHeatmaps.merged(stages)
        #expect(merged.header.names == ["a", "b", "c"] && merged.header.shard == nil)
    }

    @Test func aStageWhoseFilesDisagreeIsRefused() throws {
        let folder = try TemporaryFolder()
        try Self.stage(["a", "b"]).write(to: folder.file("stage"))
        try NPY.write(Tensor(shape: [3, 1, 2]), to: folder.file("stage/heatmaps.npy"))
        expectLRPError("heatmaps.npy", "does not match the 2 heatmaps") { _ = try SprayHeatmaps.read(from: folder.file("stage")) }
    }

    @Test func theReportHasTheClustersAndTheirAgreementWithKnownGroups() throws {
        var separated = SprayHeatmaps(model: "m", method: "zplus", targetClass: 1, pool: 1, height: 1, width: 2, knownGroups: true)
        for (index, name) in ["a", "b", "c", "d"].enumerated() { try separated.append(name: name, heatmap: index < 2 ? [1, 0] : [0, 1], group: index / 2) }
        expectLRPError("e", "has no known group") { try separated.append(name: "e", heatmap: [1, 0]) }
        expectLRPError("f", "3 values, not 1×2") { try separated.append(name: "f", heatmap: [1, 0, 0], group: 0) }
        let report = try SprayReport(separated, neighbors: 1, seed: 0)
        #expect(report.suggestedClusters == 2 && report.clusterSizes == [2, 2] && report.adjustedRandIndex == 1)
        let html = try report.html(heatmaps: separated)
        #expect(html.contains("Adjusted Rand index against the known groups: 1.000") && html.contains("mean heatmap of cluster 1"))
    }
}
