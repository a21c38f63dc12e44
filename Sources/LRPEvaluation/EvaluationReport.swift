import Foundation
import LRPCore
import LRPData
import LRPVisualization

/// The result of `lrp evaluate`: settings and one ``MethodMetrics`` per method and baseline, written as
/// `metrics.json` (this structure), `metrics.csv` (one row per method) and `report.html` (tables and the
/// perturbation and randomization plots). Reports of shards of one dataset merge into the report of all.
///
/// ```swift
/// var report = EvaluationReport(model: "demo.onnx", patchSize: 4, steps: 16, replacement: "value:0", seed: 0)
/// try report.add(try evaluation.evaluate(images))          // once per batch
/// try report.write(to: URL(fileURLWithPath: "evaluation"))
/// ```
public struct EvaluationReport: Codable, Sendable, Equatable {
    public let model: String
    public let patchSize: Int
    public let steps: Int
    /// The perturbation's replacement, as specified (`value:0`, `blur:2`).
    public let replacement: String
    public let seed: UInt64
    /// Which shard of the dataset the report is of (`nil`: all of it), for `lrp merge`.
    public var shard: ShardRecord?
    /// The methods asked for, in order.
    public private(set) var methods: [MethodMetrics] = []
    /// The reference orders: `random` and `gradient`.
    public private(set) var baselines: [MethodMetrics] = []

    public init(model: String, patchSize: Int, steps: Int, replacement: String, seed: UInt64) {
        (self.model, self.patchSize, self.steps, self.replacement, self.seed) = (model, patchSize, steps, replacement, seed)
    }

    /// The number of inputs evaluated.
    public var inputs: Int { methods.first?.samples ?? 0 }

    /// Adds one batch's metrics (as ``ExplanationEvaluation/evaluate(_:target:initialRelevance:firstIndex:relevance:)`` returns them).
    /// - Throws: `LRPError` if they are not of the same methods as the batches before.
    public mutating func add(_ metrics: [MethodMetrics]) throws {
        let (newMethods, newBaselines) = (metrics.filter { $0.kind == "method" }, metrics.filter { $0.kind == "baseline" })
        if methods.isEmpty {
            (methods, baselines) = (newMethods, newBaselines)
            return
        }
        guard newMethods.map(\.name) == methods.map(\.name), newBaselines.map(\.name) == baselines.map(\.name) else {
            throw LRPError(.input, "evaluation: metrics of \(metrics.map(\.name)) do not match \((methods + baselines).map(\.name))")
        }
        methods = try zip(methods, newMethods).map { try MethodMetrics.merged([$0, $1]) }
        baselines = try zip(baselines, newBaselines).map { try MethodMetrics.merged([$0, $1]) }
    }

    /// Joins the reports of disjoint shards of one dataset; the result is of no shard.
    /// - Throws: `LRPError` (`.input`) for no reports or reports with other models, settings or methods.
    public static func merged(_ reports: [EvaluationReport]) throws -> EvaluationReport {
        guard var result = reports.first else { throw LRPError(.input, "evaluation: no reports to merge") }
        result.shard = nil
        for report in reports.dropFirst() {
            guard (report.model, report.patchSize, report.steps, report.replacement, report.seed) ==
                    (result.model, result.patchSize, result.steps, result.replacement, result.seed) else {
                throw LRPError(.input, "evaluation: reports of different models or settings cannot be merged (\(report.model), patch \(report.patchSize), \(report.steps) steps, \(report.replacement))")
            }
            try result.add(report.methods + report.baselines)
        }
        return result
    }

    /// Reads `metrics.json` from a report folder.
    /// - Throws: `LRPError` (`.input`) naming the file when it is missing or not an evaluation report.
    public static func read(from folder: URL) throws -> EvaluationReport {
        let url = folder.appendingPathComponent("metrics.json")
        do {
            return try JSONDecoder().decode(EvaluationReport.self, from: try FileAccess.read(url))
        } catch let error as LRPError {
            throw error
        } catch {
            throw LRPError(.input, "\(url.path): not an lrp evaluate metrics.json (\(error.localizedDescription))")
        }
    }

    /// Writes `metrics.json`, `metrics.csv` and `report.html` into `folder`, all or none.
    public func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let staged = try StagedFolder(destination: folder)
        try staged.write(try encoder.encode(self), named: "metrics.json")
        try staged.write(Data(csv().utf8), named: "metrics.csv")
        try staged.write(Data(try html().utf8), named: "report.html")
        try staged.commit()
    }

    /// One row per method and baseline.
    public func csv() -> String {
        let header = ["name", "kind", "samples", "aopc_most_relevant_first", "aopc_least_relevant_first", "conservation_mean",
                      "conservation_min", "conservation_max", "gini", "entropy", "spearman_fully_randomized", "spearman_per_layer"]
        let rows = (methods + baselines).map { metrics -> [String] in
            [metrics.name, metrics.kind, String(metrics.samples), format(metrics.aopcMostRelevantFirst),
             format(metrics.aopcLeastRelevantFirst), format(metrics.conservationMean), format(metrics.conservationMinimum),
             format(metrics.conservationMaximum), format(metrics.gini), format(metrics.entropy),
             format(metrics.randomization?.last?.spearman),
             metrics.randomization?.map { "\($0.layer):\(format($0.spearman))" }.joined(separator: ";") ?? ""]
        }
        return ([header] + rows).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// The page: settings, the summary table, the perturbation curves, the randomization curve, layer sums.
    public func html() throws -> String {
        let everything = methods + baselines
        var page = HTMLPage(title: "SwiftLRP evaluation — \(URL(fileURLWithPath: model).lastPathComponent)")
        page.paragraph("\(inputs) inputs; patches of \(patchSize)×\(patchSize) pixels replaced by \(replacement), \(steps) steps; seed \(seed). " +
                       "AOPC: the mean drop of the target's score over the steps (most relevant first: larger is better; least relevant first: smaller is better). " +
                       "Baselines: random order, and the gradient's sensitivity Σ_c (∂f/∂x)².")
        page.heading("Summary")
        page.table(header: ["method", "AOPC most relevant first", "AOPC least relevant first", "ΣR / score: mean [min, max]",
                            "Gini", "entropy", "Spearman, fully randomized"],
                   rows: everything.map { metrics in
                       [metrics.name, format(metrics.aopcMostRelevantFirst), format(metrics.aopcLeastRelevantFirst),
                        metrics.conservationMean.map { "\(format($0)) [\(format(metrics.conservationMinimum)), \(format(metrics.conservationMaximum))]" } ?? "–",
                        format(metrics.gini), format(metrics.entropy), format(metrics.randomization?.last?.spearman)]
                   }, swatches: Canvas.palette)
        page.heading("Region perturbation")
        let plot = Plot()
        try page.figure(plot.lines(everything.map(\.curveMostRelevantFirst)),
                        caption: "Most relevant first: mean target score (y) after x patches replaced; colors as in the summary table.")
        try page.figure(plot.lines(everything.map { $0.curveLeastRelevantFirst ?? [] }),
                        caption: "Least relevant first: mean target score (y) after x patches replaced.")
        if let layers = methods.lazy.compactMap(\.randomization).first?.map(\.layer) {
            page.heading("Model-parameter randomization")
            try page.figure(plot.lines(everything.map { metrics in metrics.randomization.map { [1] + $0.map(\.spearman) } ?? [] }),
                            caption: "Mean Spearman correlation (y) between the explanations of the trained model and of the model with its top x weighted layers randomized, in this order: \(layers.joined(separator: ", ")).")
        }
        let summed = methods.filter { $0.layerSums != nil }
        if let nodes = summed.first?.layerSums?.map(\.node) {
            page.heading("Relevance per layer")
            page.paragraph("Mean Σ relevance at each node's output, from the output towards the input.")
            page.table(header: ["node"] + summed.map(\.name),
                       rows: nodes.indices.map { row in [nodes[row]] + summed.map { format($0.layerSums?[row].relevance) } })
        }
        return page.html
    }

    private func format(_ value: Double?) -> String {
        guard let value else { return "" }
        return String(format: "%.4g", value)
    }

    private func csvField(_ text: String) -> String {
        text.contains(where: { ",\"\n".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
