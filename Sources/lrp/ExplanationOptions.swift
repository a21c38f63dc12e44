import ArgumentParser
import Foundation
import LRP

/// The target, start and batching options shared by `explain` and `compare`, and the batch loop.
struct ExplanationOptions: ParsableArguments {
    @Option(help: "The class to explain: predicted, a class number, or labels (the CIFAR-10 batch's or --labels').")
    var target: String = "predicted"

    @Option(help: "A .npy file of one class number per input, for --target labels.")
    var labels: String?

    @Option(help: "The initial relevance: logit (the target's score) or one-hot.")
    var start: String = "logit"

    @Option(help: "How many inputs to explain at once (memory grows with it).")
    var batchSize: Int = 64

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        guard Start(rawValue: start) != nil else { throw ValidationError("--start must be logit or one-hot, got '\(start)'") }
        guard target == "predicted" || target == "labels" || Int(target).map({ $0 >= 0 }) == true else {
            throw ValidationError("--target must be predicted, labels or a class number, got '\(target)'")
        }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
    }

    /// Explains `batch` with each explainer, `batchSize` inputs at a time, handing every batch's explanations
    /// (one per explainer) and its index range to `handle`.
    func explainInBatches(
        _ batch: InputBatch, with explainers: [Explainer], label: String,
        _ handle: (Range<Int>, [Explanation]) throws -> Void
    ) throws {
        let targets = try self.targets(for: batch)
        let count = batch.images.batchSize
        let progress = ProgressBar(total: (count + batchSize - 1) / batchSize, label: label, quiet: quiet)
        for (step, start) in stride(from: 0, to: count, by: batchSize).enumerated() {
            let range = start ..< min(start + batchSize, count)
            let images = try batch.images.batch(range)
            let target = targets.map { Target.perSample(Array($0[range])) } ?? .predicted
            try handle(range, try explainers.map { try $0.explain(images, target: target, start: Start(rawValue: self.start)!) })
            progress.update(step + 1)
        }
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
