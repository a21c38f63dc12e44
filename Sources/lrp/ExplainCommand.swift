import ArgumentParser
import Foundation
import LRP

/// `lrp explain`: relevance at the input for a batch, streamed in batches.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain predictions with an LRP rule or composite (or a gradient baseline).",
        discussion: """
            Rules: zero, epsilon:E, gamma:G, zplus, alphabeta:A,B, flat, wsquare, box:L,H.
            Composites: epsilon-plus, epsilon-plus-flat, epsilon-alpha2-beta1, epsilon-alpha2-beta1-flat,
            epsilon-gamma-box:L,H, or SELECTOR=RULE entries separated by ';' over the weighted layers
            numbered from the input (see 'lrp info'): 1-4=gamma:0.25;5-8=epsilon:0.25;9-10=zero.
            Baselines (--method): gradient, gradient-x-input, smoothgrad[:NOISE,SAMPLES], integrated-gradients[:STEPS].
            """)

    @OptionGroup var options: ModelInputOptions

    @Option(help: "One LRP rule for every weighted layer.")
    var rule: String?

    @Option(help: "A composite: a preset or SELECTOR=RULE entries.")
    var composite: String?

    @Option(help: "A gradient baseline instead of LRP.")
    var method: String?

    @Option(help: "The class to explain: predicted, a class number, or labels (the CIFAR-10 batch's or --labels').")
    var target: String = "predicted"

    @Option(help: "A .npy file of one class number per input, for --target labels.")
    var labels: String?

    @Option(help: "The initial relevance: logit (the target's score) or one-hot.")
    var start: String = "logit"

    @Option(help: "Write the relevance as float32 (N, C, H, W) .npy to this file.")
    var output: String?

    @Option(help: "How many inputs to explain at once (memory grows with it).")
    var batchSize: Int = 64

    func validate() throws {
        let given = [rule, composite, method].compactMap { $0 }
        guard given.count == 1 else { throw ValidationError("give exactly one of --rule, --composite or --method") }
        _ = try attributionMethod()
        guard Start(rawValue: start) != nil else { throw ValidationError("--start must be logit or one-hot, got '\(start)'") }
        guard target == "predicted" || target == "labels" || Int(target).map({ $0 >= 0 }) == true else {
            throw ValidationError("--target must be predicted, labels or a class number, got '\(target)'")
        }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
    }

    func attributionMethod() throws -> AttributionMethod {
        do {
            if let rule { return .lrp(.uniform(try Rule(spec: rule))) }
            if let composite { return .lrp(try Composite(spec: composite)) }
            let method = try AttributionMethod(spec: method ?? "")
            if case .lrp = method { throw ValidationError("--method takes a gradient baseline; use --rule or --composite for LRP") }
            return method
        } catch let error as LRPError {
            throw ValidationError(error.message)
        }
    }

    func run() throws {
        let imported = try options.loadModel()
        let batch = try options.loadInput(for: imported.model)
        // a composite that does not fit this model throws a parameter error: exit status 2
        let explainer = try Explainer(model: imported.model, method: try attributionMethod())
        let targets = try self.targets(for: batch)
        let writer = try output.map { try NPYStreamWriter(url: URL(fileURLWithPath: $0), shape: batch.images.shape) }
        var rows: [[String]] = [["input", "target", "score", "Σ relevance"]]
        for start in stride(from: 0, to: batch.images.batchSize, by: batchSize) {
            let range = start ..< min(start + batchSize, batch.images.batchSize)
            let explanation = try explainer.explain(try batch.images.batch(range), target: targets.map { .perSample(Array($0[range])) } ?? .predicted,
                                                    start: Start(rawValue: self.start)!)
            try writer?.append(explanation.relevance)
            let classes = explanation.logits.sampleCount
            for (offset, sum) in explanation.relevance.sumPerSample().enumerated() {
                rows.append([batch.names[range.lowerBound + offset], options.className(explanation.targets[offset], of: classes),
                             String(format: "%.4g", explanation.targetScores[offset]), String(format: "%.4g", sum)])
            }
        }
        try writer?.finish()
        print("method: \(explainer.method)")
        print(table(rows))
        if let output { print("relevance written to \(output)") }
    }

    /// Per-sample classes for `--target K` or `--target labels`; `nil` for the predicted class.
    private func targets(for batch: InputBatch) throws -> [Int]? {
        switch target {
        case "predicted":
            return nil
        case "labels":
            if let labels {
                let values = try NPY.read(URL(fileURLWithPath: labels)).scalars.map { Int($0) }
                guard values.count == batch.images.batchSize else {
                    throw LRPError(.input, "\(labels): \(values.count) labels for \(batch.images.batchSize) inputs")
                }
                return values
            }
            guard let labels = batch.labels else {
                throw ValidationError("--target labels needs CIFAR-10 input or --labels FILE.npy")
            }
            return labels
        default:
            return Array(repeating: Int(target)!, count: batch.images.batchSize)
        }
    }
}
