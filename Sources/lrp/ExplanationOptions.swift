import ArgumentParser
import Foundation
import LRP

/// The target and start options shared by `explain`, `compare` and `evaluate`, and the batch loop.
struct ExplanationOptions: ParsableArguments {
    @Option(help: "The class to explain: predicted, a class number, or labels (the CIFAR-10 batch's or --labels').")
    var target: String = "predicted"

    @Option(help: "A .npy file of one class number per input, for --target labels.")
    var labels: String?

    @Option(help: "The initial relevance: logit (the target's score) or one-hot.")
    var start: String = "logit"

    @OptionGroup var batching: BatchOptions

    func validate() throws {
        guard Start(rawValue: start) != nil else { throw ValidationError("--start must be logit or one-hot, got '\(start)'") }
        guard target == "predicted" || target == "labels" || Int(target).map({ $0 >= 0 }) == true else {
            throw ValidationError("--target must be predicted, labels or a class number, got '\(target)'")
        }
    }

    /// Explains the inputs `range` (all by default) of `batch` with each explainer, `batchSize` inputs at a
    /// time, handing every batch's explanations (one per explainer) and its index range to `handle`.
    func explainInBatches(
        _ batch: InputBatch, in range: Range<Int>? = nil, with explainers: [Explainer], label: String,
        _ handle: (Range<Int>, [Explanation]) throws -> Void
    ) throws {
        let targets = try self.targets(for: batch)
        try batching.forEachBatch(in: range ?? 0 ..< batch.count, label: label) { range in
            let images = try batch.images(range)
            try handle(range, try explainers.map { try $0.explain(images, target: target(targets, range), start: initialRelevance) })
        }
    }

    /// `--start`, checked by `validate()`.
    var initialRelevance: Start { Start(rawValue: start) ?? .logit }

    /// The target of the inputs `range`.
    func target(_ targets: [Int]?, _ range: Range<Int>) -> Target {
        targets.map { Target.perSample(Array($0[range])) } ?? .predicted
    }

    /// Per-sample classes for `--target K` or `--target labels`; `nil` for the predicted class.
    func targets(for batch: InputBatch) throws -> [Int]? {
        switch target {
        case "predicted":
            return nil
        case "labels":
            if let labels { return try loadClassNumbers(labels, count: batch.count, what: "labels") }
            guard let labels = batch.labels else {
                throw ValidationError("--target labels needs CIFAR-10 input or --labels FILE.npy")
            }
            return labels
        default:
            return Array(repeating: Int(target)!, count: batch.count)
        }
    }
}
