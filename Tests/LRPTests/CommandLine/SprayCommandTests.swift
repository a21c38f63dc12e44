import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct SprayCommandTests {
    /// The demonstration: the corner-tag model decides class 1 by the tag for half of its images and by the
    /// stripes for the others; SpRAy on z⁺-style explanations separates the two groups without being told.
    @Test func separatesTheTagDrivenImagesFromTheOthers() throws {
        let folder = try TemporaryFolder()
        let result = try LRPExecutable.run(["spray", "--model", CornerTag.model.path, "--input", CornerTag.images.path,
                                            "--labels", CornerTag.labels.path, "--class", "1", "--composite", "epsilon-plus",
                                            "--groups", CornerTag.tagged.path, "--report", folder.file("spray").path, "--quiet"])
        #expect(result.status == 0, "\(result.error)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.file("spray/spray.json"))) as! [String: Any]
        #expect(json["suggestedClusters"] as? Int == 2 && json["clusterSizes"] as? [Int] == [16, 16])
        #expect((json["adjustedRandIndex"] as? Double).map { $0 > 0.99 } == true, "\(result.output)")
        #expect((json["inputs"] as? [String])?.count == 32)
        #expect(try String(contentsOf: folder.file("spray/report.html"), encoding: .utf8).contains("mean heatmap of cluster 1"))
    }

    @Test func storedRelevanceGivesTheSameClusters() throws {
        let folder = try TemporaryFolder()
        let relevance = folder.file("r.npy")
        let explained = try LRPExecutable.run(["explain", "--model", CornerTag.model.path, "--input", CornerTag.images.path,
                                               "--rule", "zplus", "--target", "1", "--output", relevance.path, "--quiet"])
        #expect(explained.status == 0, "\(explained.error)")
        for extra in [[], ["--relevance", relevance.path]] {
            let result = try LRPExecutable.run(["spray", "--model", CornerTag.model.path, "--input", CornerTag.images.path,
                                                "--labels", CornerTag.labels.path, "--class", "1", "--rule", "zplus",
                                                "--report", folder.file("spray\(extra.count)").path, "--quiet"] + extra)
            #expect(result.status == 0, "\(result.error)")
        }
        let reports = try [0, 2].map { try JSONDecoder().decode(SprayReport.self, from: Data(contentsOf: folder.file("spray\($0)/spray.json"))) }
        #expect(reports[0].assignments == reports[1].assignments && reports[0].inputs.count == 32)
    }

    @Test func badInputIsRefusedAndNothingIsWritten() throws {
        let folder = try TemporaryFolder()
        let report = folder.file("spray")
        let zeros = try folder.write(NPY.encode(Tensor(shape: [64])), to: "zeros.npy")
        let wrongShape = try folder.write(NPY.encode(Tensor(shape: [64, 3, 16, 16])), to: "wrong.npy")
        let base = ["spray", "--model", CornerTag.model.path, "--input", CornerTag.images.path, "--rule", "zplus", "--report", report.path, "--quiet"]
        let cases: [([String], Int32, String)] = [
            (["--class", "1", "--labels", zeros.path], 1, "no input is of class 1 (by the labels)"),
            (["--class", "1", "--labels", CornerTag.labels.path, "--clusters", "40"], 2, "40 clusters for 32 inputs"),
            (["--class", "7"], 2, "--class 7 is outside the model's 2 classes"),
            (["--class", "1", "--relevance", wrongShape.path], 1, "wrong.npy: relevance of shape [64, 3, 16, 16] does not match"),
            (["--class", "1", "--shard", "3/2"], 2, "'--shard <shard>': shard '3/2'"),
            (["--class", "1", "--shard", "1/70"], 1, "shard 1/70 of 64 inputs is empty"),
            (["--class", "1", "--labels", CornerTag.labels.path, "--neighbors", "0"], 2, "--neighbors must be at least 1"),
        ]
        for (arguments, status, message) in cases {
            let result = try LRPExecutable.run(base + arguments)
            #expect(result.status == status && result.error.contains(message), "\(arguments): \(result.status) \(result.error)")
            #expect(!FileManager.default.fileExists(atPath: report.path))
        }
    }
}
