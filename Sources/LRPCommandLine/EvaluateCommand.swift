import ArgumentParser
import Foundation
import LRP

/// `lrp evaluate`: faithfulness and sanity figures for several methods, as metrics.json, metrics.csv and an
/// HTML report with plots.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure how faithful explanations are: DIR/metrics.json, DIR/metrics.csv and DIR/report.html.",
        discussion: """
            For every --method (and the random-order and gradient baselines): region perturbation with the most and \
            the least relevant patches first and the area over the perturbation curve (AOPC); cascading \
            model-parameter randomization (Spearman correlation per layer); conservation (ΣR / score) and per-layer \
            relevance sums; sparseness (Gini) and complexity (entropy) of the heatmaps.
            """)

    @OptionGroup var options: ModelInputOptions

    @OptionGroup var chosen: MethodOptions

    @Option(help: "Relevance of all inputs for the matching --method, as 'lrp explain --output' writes it (repeat once per method, in order).")
    var relevance: [String] = []

    @Option(help: "Patches are PATCH-SIZE × PATCH-SIZE pixels.")
    var patchSize: Int = 4

    @Option(help: "How many patches to replace (default: half of them).")
    var steps: Int?

    @Option(help: "What replaced pixels become: value:V[,V,…] (one per channel) or blur:SIGMA (default: value:0).",
            transform: RegionPerturbation.Replacement.init(spec:))
    var perturbation: RegionPerturbation.Replacement = .constant([0])

    @Flag(help: "Skip the model-parameter randomization (the slowest part).")
    var noRandomization = false

    @Option(help: "Seed of the random order and of the randomized weights.")
    var seed: UInt64 = 0

    @Option(help: "The folder for metrics.json, metrics.csv and report.html (created if needed).")
    var report: String

    @OptionGroup var explanation: ExplanationOptions
    @OptionGroup var sharding: ShardOptions

    func validate() throws {
        guard relevance.isEmpty || relevance.count == chosen.methods.count else {
            throw ValidationError("\(relevance.count) --relevance files for \(chosen.methods.count) methods; give one per method, in the same order")
        }
        guard patchSize > 0 else { throw ValidationError("--patch-size must be positive, got \(patchSize)") }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1, got \(steps)") }
    }

    func run() throws {
        let imported = try options.loadModel()
        let batch = try options.loadInput(for: imported.model)
        let shape = [batch.count] + batch.sampleShape
        let range = try sharding.range(of: batch.count)
        let stored = try relevance.map { try openRelevance($0, matching: shape) }
        let patches = RegionPerturbation.patchCount(height: shape[2], width: shape[3], patchSize: patchSize)
        let perturbation = try RegionPerturbation(patchSize: patchSize, steps: steps ?? max(patches / 2, 1), replacement: perturbation)
        let evaluation = try ExplanationEvaluation(model: imported.model, methods: chosen.methods, perturbation: perturbation,
                                                   randomization: !noRandomization, seed: seed, memoryLimit: options.memory.limit)
        let targets = try explanation.targets(for: batch, classes: imported.model.outputShape.last ?? 0)
        var result = EvaluationReport(model: options.model, patchSize: patchSize, steps: perturbation.steps,
                                      replacement: perturbation.replacement.description, seed: seed)
        result.shard = sharding.record(of: batch.count)
        try explanation.batching.forEachBatch(in: range, label: "evaluating") { range in
            let given = try stored.isEmpty ? nil : stored.map { try $0.rows(range) }
            try result.add(try evaluation.evaluate(try batch.images(range), target: explanation.target(targets, range),
                                                   initialRelevance: explanation.initialRelevance, firstIndex: range.lowerBound, relevance: given))
        }
        try result.write(to: URL(fileURLWithPath: report))
        let rows = (result.methods + result.baselines).map { metrics in
            [metrics.name, format(metrics.aopcMostRelevantFirst), format(metrics.aopcLeastRelevantFirst),
             format(metrics.conservationMean), format(metrics.randomization?.last?.spearman)]
        }
        print(table([["method", "AOPC (most relevant first)", "AOPC (least relevant first)", "ΣR/score", "Spearman, randomized"]] + rows))
        print("\(result.inputs) inputs\(sharding.shard.map { " (shard \($0))" } ?? ""); report: \(URL(fileURLWithPath: report).appendingPathComponent("report.html").path)")
    }

    private func format(_ value: Double?) -> String { value.map { String(format: "%.4g", $0) } ?? "–" }
}
