import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

/// Sharded runs (`--shard K/N`) merged with `lrp merge` give the output of one run.
@Suite struct MergeCommandTests {
    let folder: TemporaryFolder
    let input: URL

    init() throws {
        folder = try TemporaryFolder()
        input = try folder.write(NPY.encode(NPY.read(CornerTag.images).batch(0 ..< 12)), to: "twelve.npy")
    }

    func run(_ arguments: [String]) throws {
        let result = try LRPExecutable.run(arguments + (arguments[0] == "merge" ? [] : ["--quiet"]))
        #expect(result.status == 0, "\(arguments): \(result.error)")
    }

    @Test func explainShardsConcatenateToTheWholeRelevance() throws {
        let common = ["explain", "--model", CornerTag.model.path, "--input", input.path, "--rule", "epsilon:0.25", "--batch-size", "4"]
        try run(common + ["--output", folder.file("all.npy").path])
        for shard in 1...3 { try run(common + ["--shard", "\(shard)/3", "--output", folder.file("part\(shard).npy").path]) }
        #expect(try NPY.read(folder.file("part1.npy")).shape == [4, 3, 32, 32])
        #expect(try ShardRecord.read(beside: folder.file("part2.npy")) == ShardRecord(try Shard(spec: "2/3"), of: 12))
        #expect(try ShardRecord.read(beside: folder.file("all.npy")) == nil)
        // in any order: each part records its shard
        try run(["merge"] + [3, 1, 2].map { folder.file("part\($0).npy").path } + ["--output", folder.file("merged.npy").path])
        #expect(try NPY.read(folder.file("merged.npy")) == NPY.read(folder.file("all.npy")))
    }

    /// Explains the twelve inputs in `count` shards into `part1.npy` … and returns their paths.
    func explainShards(_ count: Int) throws -> [String] {
        let common = ["explain", "--model", CornerTag.model.path, "--input", input.path, "--rule", "zplus"]
        return try (1...count).map { shard in
            let part = folder.file("part\(shard).npy").path
            try run(common + ["--shard", "\(shard)/\(count)", "--output", part])
            return part
        }
    }

    func expectRefusal(_ parts: [String], _ fragments: String...) throws {
        let result = try LRPExecutable.run(["merge"] + parts + ["--output", folder.file("merged.npy").path])
        #expect(result.status == 1, "\(parts): \(result.error)")
        for fragment in fragments { #expect(result.error.contains(fragment), "“\(result.error)” lacks “\(fragment)”") }
        #expect(!FileManager.default.fileExists(atPath: folder.file("merged.npy").path))
    }

    @Test func anIncompleteOrRepeatedSetOfPartsIsRefusedNamingTheShard() throws {
        let parts = try explainShards(3)
        try expectRefusal([parts[0], parts[2]], "shard 2/3 of 12 inputs is missing")
        try expectRefusal(parts + [parts[1]], "shard 2/3 is given twice: \(parts[1]) and \(parts[1])")
        try FileManager.default.removeItem(at: ShardRecord.sidecar(of: URL(fileURLWithPath: parts[1])))
        try expectRefusal(parts, "\(parts[1]): no shard record part2.npy.shard.json beside it", "--shard K/N")
    }

    @Test func partsOfAnotherSplitOrSizeAreRefused() throws {
        let parts = try explainShards(2)
        try NPY.write(NPY.read(URL(fileURLWithPath: parts[0])).batch(0 ..< 5), to: folder.file("part1.npy"))
        try expectRefusal(parts, "\(parts[0]): 5 inputs, but shard 1/2 of 12 inputs has 6")
        try ShardRecord(try Shard(spec: "2/3"), of: 12).write(beside: URL(fileURLWithPath: parts[1]))
        try expectRefusal(parts, "is shard 2/3 of 12 inputs, but \(parts[0]) is shard 1/2 of 12", "different splits")
    }

    @Test func aKilledExplainLeavesNoShardRecordAndItsRerunNoDebris() throws {
        let parts = try explainShards(2)
        // a run killed after its relevance was renamed into place, before its record was written
        try FileManager.default.removeItem(at: ShardRecord.sidecar(of: URL(fileURLWithPath: parts[1])))
        // and the temporary file of a run killed earlier, by a process that is gone
        try Data().write(to: folder.file(".part2.npy.999999.0.partial"))
        try expectRefusal(parts, "no shard record")
        _ = try explainShards(2)
        try run(["merge"] + parts + ["--output", folder.file("merged.npy").path])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func evaluateShardsMergeToTheWholeReport() throws {
        let common = ["evaluate", "--model", CornerTag.model.path, "--input", input.path, "--method", "zplus", "--steps", "4", "--no-randomization"]
        try run(common + ["--report", folder.file("all").path])
        for shard in 1...2 { try run(common + ["--shard", "\(shard)/2", "--report", folder.file("part\(shard)").path]) }
        let missing = try LRPExecutable.run(["merge", folder.file("part2").path, "--output", folder.file("merged").path])
        #expect(missing.status == 1 && missing.error.contains("shard 1/2 of 12 inputs is missing"), "\(missing.error)")
        let unsharded = try LRPExecutable.run(["merge", folder.file("all").path, "--output", folder.file("merged").path])
        #expect(unsharded.status == 1 && unsharded.error.contains("all/metrics.json records no shard"), "\(unsharded.error)")
        try run(["merge", folder.file("part2").path, folder.file("part1").path, "--output", folder.file("merged").path])
        let (whole, merged) = (try EvaluationReport.read(from: folder.file("all")), try EvaluationReport.read(from: folder.file("merged")))
        #expect(merged.inputs == 12)
        for (a, b) in zip(whole.methods + whole.baselines, merged.methods + merged.baselines) {
            #expect(abs(a.aopcMostRelevantFirst - b.aopcMostRelevantFirst) < 1e-5 && abs((a.gini ?? 0) - (b.gini ?? 0)) < 1e-5, "\(a.name)")
        }
    }

    @Test func sprayShardsMergeIntoOneClustering() throws {
        let common = ["spray", "--model", CornerTag.model.path, "--input", input.path, "--class", "1", "--rule", "zplus",
                      "--labels", try folder.write(NPY.encode(NPY.read(CornerTag.labels).reshaped(to: [64, 1]).batch(0 ..< 12)), to: "labels.npy").path,
                      "--neighbors", "2", "--clusters", "2"]
        try run(common + ["--report", folder.file("all").path])
        for shard in 1...2 { try run(common + ["--shard", "\(shard)/2", "--report", folder.file("part\(shard)").path]) }
        #expect(FileManager.default.fileExists(atPath: folder.file("part1/heatmaps.npy").path))
        let twice = try LRPExecutable.run(["merge", folder.file("part1").path, folder.file("part2").path, folder.file("part1").path,
                                           "--output", folder.file("merged").path])
        #expect(twice.status == 1 && twice.error.contains("shard 1/2 is given twice"), "\(twice.error)")
        try run(["merge", folder.file("part1").path, folder.file("part2").path, "--neighbors", "2", "--clusters", "2",
                 "--output", folder.file("merged").path])
        let whole = try JSONDecoder().decode(SprayReport.self, from: Data(contentsOf: folder.file("all/spray.json")))
        let merged = try JSONDecoder().decode(SprayReport.self, from: Data(contentsOf: folder.file("merged/spray.json")))
        #expect(merged.inputs == whole.inputs && merged.assignments == whole.assignments)
    }

    @Test func aShardWithoutTheClassWritesAnEmptyStageAndTheMergeChecksTheWhole() throws {
        let zeros = try folder.write(NPY.encode(Tensor(shape: [12])), to: "zeros.npy")
        let common = ["spray", "--model", CornerTag.model.path, "--input", input.path, "--class", "1", "--rule", "zplus", "--labels", zeros.path]
        for shard in 1...2 { try run(common + ["--shard", "\(shard)/2", "--report", folder.file("part\(shard)").path]) }
        #expect(try SprayHeatmaps.read(from: folder.file("part1")).heatmaps.isEmpty)
        let result = try LRPExecutable.run(["merge", folder.file("part1").path, folder.file("part2").path, "--output", folder.file("merged").path])
        #expect(result.status == 1 && result.error.contains("class 1 has 0 input(s)"), "\(result.error)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("merged").path))
    }

    @Test func partsOfUnknownOrMixedKindsAreRefused() throws {
        let result = try LRPExecutable.run(["merge", input.path, folder.url.path, "--output", folder.file("x").path])
        #expect(result.status == 1 && result.error.contains("not a relevance .npy file, an evaluate report or a spray heatmap stage"))
    }
}
