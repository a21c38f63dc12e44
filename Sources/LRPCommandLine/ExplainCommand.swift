import ArgumentParser
import Foundation
import LRP

/// `lrp explain`: relevance at the input for a batch, streamed in batches, and optionally heatmaps.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain predictions with an LRP rule or composite (or a gradient method).",
        discussion: """
            Rules: zero, epsilon:E, gamma:G, zplus, alphabeta:A,B, flat, wsquare, box:L,H.
            Composites: epsilon-plus, epsilon-plus-flat, epsilon-alpha2-beta1, epsilon-alpha2-beta1-flat, \
            epsilon-gamma-box:L,H, or SELECTOR=RULE entries separated by ';' over the weighted layers \
            numbered from the input (see 'lrp info'): 1-4=gamma:0.25;5-8=epsilon:0.25;9-10=zero.
            Gradient methods (--method): gradient, gradient-x-input, smoothgrad[:NOISE,SAMPLES], integrated-gradients[:STEPS].
            """)

    @OptionGroup var options: ModelInputOptions
    @OptionGroup var explanation: ExplanationOptions
    @OptionGroup var pictures: HeatmapOptions
    @OptionGroup var sharding: ShardOptions

    @OptionGroup var rules: RuleOptions

    @Option(help: "A gradient method instead of LRP: gradient, gradient-x-input, smoothgrad[:NOISE,SAMPLES], integrated-gradients[:STEPS].",
            transform: gradientMethod)
    var method: AttributionMethod?

    @Option(help: "Write the relevance as float32 (N, C, H, W) .npy to this file (with --shard: the shard's inputs, and FILE.shard.json naming the shard).")
    var output: String?

    @Option(help: "Write one heatmap PNG per input into this folder (created if needed).")
    var heatmaps: String?

    func validate() throws {
        let given = [rules.rule != nil, rules.composite != nil, method != nil].filter { $0 }.count
        guard given == 1 else { throw ValidationError("give exactly one of --rule, --composite or --method") }
    }

    func attributionMethod() throws -> AttributionMethod {
        if let composite = try rules.chosen() { return .lrp(composite) }
        guard let method else { throw ValidationError("give exactly one of --rule, --composite or --method") }
        return method
    }

    func run() throws {
        let imported = try options.loadModel()
        let batch = try options.loadInput(for: imported.model)
        // a composite that does not fit this model throws a parameter error: exit status 2
        let explainer = try Explainer(model: imported.model, method: try attributionMethod(), memoryLimit: options.memory.limit)
        let heatmap = try pictures.heatmap()
        let range = try sharding.range(of: batch.count)
        let writer = try output.map { try NPYStreamWriter(url: URL(fileURLWithPath: $0), shape: [range.count] + batch.sampleShape) }
        let folder = try heatmaps.map { try StagedFolder(destination: URL(fileURLWithPath: $0)) }
        var taken = Set<String>()
        var rows: [[String]] = [["input", "target", "score", "Σ relevance"]]
        try explanation.explainInBatches(batch, in: range, with: [explainer], label: "explaining") { range, explanations in
            let result = explanations[0]
            try writer?.append(result.relevance)
            let classes = result.logits.elementsPerSample
            for (offset, sum) in result.relevance.sumPerSample().enumerated() {
                let name = batch.names[range.lowerBound + offset]
                rows.append([name, options.className(result.targets[offset], of: classes),
                             String(format: "%.4g", result.targetScores[offset]), String(format: "%.4g", sum)])
                if let folder {
                    let image = try heatmap.render(result.relevance, sample: offset, input: try batch.images(range))
                    try folder.write(try PNG.encode(image), named: pictureName(for: name, taken: &taken))
                }
            }
        }
        if let writer {
            // the record is written last: a relevance file without one is not a finished shard
            ShardRecord.remove(beside: writer.url)
            try writer.finish()
            try sharding.record(of: batch.count)?.write(beside: writer.url)
        }
        try folder?.commit()
        print("method: \(explainer.method)")
        print(table(rows))
        if let output { print("relevance written to \(output)") }
        if let heatmaps { print("heatmaps written to \(heatmaps)") }
    }
}

/// A gradient method given to `explain --method` (LRP goes through `--rule` or `--composite`).
private func gradientMethod(_ spec: String) throws -> AttributionMethod {
    let method = try AttributionMethod(spec: spec)
    if case .lrp = method { throw ValidationError("--method takes a gradient method; use --rule or --composite for LRP") }
    return method
}
