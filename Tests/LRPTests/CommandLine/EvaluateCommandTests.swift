import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct EvaluateCommandTests {
    @Test func writesMetricsForEveryMethodAndBaseline() throws {
        let folder = try TemporaryFolder()
        let input = try folder.write(NPY.encode(NPY.read(CornerTag.images).batch(0 ..< 8)), to: "eight.npy")
        let result = try LRPExecutable.run(["evaluate", "--model", CornerTag.model.path, "--input", input.path,
                                            "--method", "epsilon-plus", "--method", "gamma:0.25", "--steps", "8",
                                            "--perturbation", "blur:1.5", "--report", folder.file("report").path, "--quiet"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("epsilon-plus") && result.output.contains("8 inputs"))
        let report = try EvaluationReport.read(from: folder.file("report"))
        #expect(report.methods.map(\.name) == ["epsilon-plus", "gamma:0.25"] && report.baselines.map(\.name) == ["random", "gradient"])
        #expect(report.replacement == "blur:1.5" && report.steps == 8 && report.inputs == 8)
        #expect(report.methods.allSatisfy { $0.randomization?.count == 5 && $0.aopcMostRelevantFirst > report.baselines[0].aopcMostRelevantFirst })
        let html = try String(contentsOf: folder.file("report/report.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "data:image/png;base64,").count - 1 == 3)
    }

    @Test func badInputIsRefusedAndNothingIsWritten() throws {
        let folder = try TemporaryFolder()
        let report = folder.file("report")
        let wrongShape = try folder.write(NPY.encode(Tensor(shape: [2, 3, 32, 32])), to: "wrong.npy")
        let base = ["evaluate", "--model", CornerTag.model.path, "--input", CornerTag.images.path, "--report", report.path, "--quiet"]
        let cases: [([String], Int32, String)] = [
            (["--method", "gamma:0.25", "--relevance", wrongShape.path], 1, "wrong.npy: relevance of shape [2, 3, 32, 32] does not match the inputs [64, 3, 32, 32]"),
            (["--method", "gamma:0.25", "--shard", "3/2"], 2, "'--shard <shard>': shard '3/2'"),
            (["--method", "gamma:0.25", "--method", "zero", "--relevance", wrongShape.path], 2, "1 --relevance files for 2 methods"),
            (["--method", "gamma:0.25", "--perturbation", "blur:-1"], 2, "blur takes one positive"),
            (["--method", "gamma:0.25", "--steps", "100"], 2, "only 64 patches"),
            ([], 2, "at least one --method"),
        ]
        for (arguments, status, message) in cases {
            let result = try LRPExecutable.run(base + arguments)
            #expect(result.status == status && result.error.contains(message), "\(arguments): \(result.status) \(result.error)")
            #expect(!FileManager.default.fileExists(atPath: report.path))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["wrong.npy"])   // no staging folders left
    }
}
