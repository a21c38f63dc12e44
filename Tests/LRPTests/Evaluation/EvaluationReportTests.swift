import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct EvaluationReportTests {
    static func metrics(_ name: String, samples: Int, aopc: Double, conservation: Double?) -> MethodMetrics {
        MethodMetrics(name: name, kind: conservation == nil ? "baseline" : "method", samples: samples,
                       aopcMostRelevantFirst: aopc, aopcLeastRelevantFirst: conservation.map { _ in -aopc },
                       curveMostRelevantFirst: [4, 4 - aopc], curveLeastRelevantFirst: conservation.map { _ in [4, 4 + aopc] },
                       conservationMean: conservation, conservationMinimum: conservation, conservationMaximum: conservation,
                       layerSums: conservation.map { [.init(node: "fc", relevance: $0)] }, gini: conservation.map { _ in 0.5 },
                       entropy: conservation.map { _ in 2 },
                       randomization: conservation.map { _ in [.init(layer: "fc", spearman: aopc / 10, spearmanAbsolute: 0)] })
    }

    @Test func mergingWeightsBySamples() throws {
        let merged = try MethodMetrics.merged([Self.metrics("gamma", samples: 1, aopc: 1, conservation: 0.5),
                                                Self.metrics("gamma", samples: 3, aopc: 5, conservation: 1.5)])
        #expect(merged.samples == 4 && merged.aopcMostRelevantFirst == 4 && merged.curveMostRelevantFirst == [4, 0])
        #expect(merged.conservationMean == 1.25 && merged.conservationMinimum == 0.5 && merged.conservationMaximum == 1.5)
        #expect(merged.layerSums?.first?.relevance == 1.25 && merged.randomization?.first?.spearman == 0.4)
        expectLRPError("cannot be merged") {
            _ = try MethodMetrics.merged([Self.metrics("gamma", samples: 1, aopc: 1, conservation: 1), Self.metrics("zero", samples: 1, aopc: 1, conservation: 1)])
        }
    }

    @Test func writesJSONCSVAndAPageAndReadsThemBack() throws {
        let folder = try TemporaryFolder()
        var report = EvaluationReport(model: "m.onnx", patchSize: 4, steps: 1, replacement: "value:0", seed: 0)
        try report.add([Self.metrics("gamma", samples: 2, aopc: 3, conservation: 1), Self.metrics("random", samples: 2, aopc: 1, conservation: nil)])
        let output = folder.file("report")
        try report.write(to: output)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == ["metrics.csv", "metrics.json", "report.html"])
        #expect(try EvaluationReport.read(from: output) == report)
        let csv = try String(contentsOf: output.appendingPathComponent("metrics.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 3 && csv[1].hasPrefix("gamma,method,2,3,-3,1,1,1,0.5,2,0.3,fc:0.3") && csv[2].hasPrefix("random,baseline,2,1,,"))
        let html = try report.html()
        #expect(html.components(separatedBy: "<figure>").count - 1 == 3)   // two perturbation plots, one randomization plot
        #expect(html.contains("Relevance per layer") && !html.contains("src=\"http"))
        report.shard = ShardRecord(try Shard(spec: "2/3"), of: 6)
        try report.write(to: output)
        #expect(try EvaluationReport.read(from: output).shard == report.shard)
        #expect(try EvaluationReport.merged([report, report]).shard == nil)
        let other = EvaluationReport(model: "m.onnx", patchSize: 8, steps: 1, replacement: "value:0", seed: 0)
        expectLRPError("different models or settings") { _ = try EvaluationReport.merged([report, other]) }
        let notAReport = try folder.write(Data("{}".utf8), to: "metrics.json")
        expectLRPError("metrics.json", "not an lrp evaluate") { _ = try EvaluationReport.read(from: notAReport.deletingLastPathComponent()) }
    }
}
