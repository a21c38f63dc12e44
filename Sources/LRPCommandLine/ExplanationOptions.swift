import ArgumentParser
import Foundation
import LRP

/// What `--target` names: the predicted class, the inputs' labels, or one class for all.
enum TargetChoice: ExpressibleByArgument, Equatable {
    case predicted, labels
    case single(Int)

    init?(argument: String) {
        switch argument {
        case "predicted": self = .predicted
        case "labels": self = .labels
        default:
            guard let number = Int(argument), number >= 0 else { return nil }
            self = .single(number)
        }
    }

    var defaultValueDescription: String {
        switch self {
        case .predicted: "predicted"
        case .labels: "labels"
        case .single(let number): String(number)
        }
    }
}

extension InitialRelevance: ExpressibleByArgument {}

/// The target and start options shared by `explain`, `compare` and `evaluate`, and the batch loop.
struct ExplanationOptions: ParsableArguments {
    @Option(help: "The class to explain: predicted, a class number, or labels (the CIFAR-10 batch's or --labels').")
    var target: TargetChoice = .predicted

    @Option(help: "A .npy file of one class number per input, for --target labels.")
    var labels: String?

    @Option(name: .customLong("start"), help: "The initial relevance: logit (the target's score) or one-hot.")
    var initialRelevance: InitialRelevance = .logit

    @OptionGroup var batching: BatchOptions

    /// Explains the inputs `range` (all by default) of `batch` with each explainer, `batchSize` inputs at a
    /// time, handing every batch's explanations (one per explainer) and its index range to `handle`.
    func explainInBatches(
        _ batch: InputDataset, in range: Range<Int>? = nil, with explainers: [Explainer], label: String,
        _ handle: (Range<Int>, [Explanation]) throws -> Void
    ) throws {
        let targets = try self.targets(for: batch, classes: explainers.first?.model.outputShape.last ?? 0)
        try batching.forEachBatch(in: range ?? 0 ..< batch.count, label: label) { range in
            let images = try batch.images(range)
            do {
                try handle(range, try explainers.map { try $0.explain(images, target: target(targets, range), initialRelevance: initialRelevance) })
            } catch let error as LRPError where error.kind == .numerical {
                // name the inputs: the explainer knows only the batch
                let names = range.count == 1 ? batch.names[range.lowerBound] : "\(batch.names[range.lowerBound]) … \(batch.names[range.upperBound - 1])"
                throw error.prefixed("\(names) (inputs \(range.lowerBound)..<\(range.upperBound))")
            }
        }
    }

    /// The target of the inputs `range`.
    func target(_ targets: [Int]?, _ range: Range<Int>) -> Target {
        targets.map { Target.perSample(Array($0[range])) } ?? .predicted
    }

    /// Per-sample classes for `--target K` or `--target labels`; `nil` for the predicted class.
    /// - Throws: `LRPError` (`.input`) naming the labels file (or the CIFAR-10 record) whose label is not one
    ///   of the model's `classes`.
    func targets(for batch: InputDataset, classes: Int) throws -> [Int]? {
        switch target {
        case .predicted:
            return nil
        case .labels:
            let values: [Int]
            if let labels { values = try loadClassNumbers(labels, count: batch.count, what: "labels") } else {
                guard let labels = batch.labels else {
                    throw ValidationError("--target labels needs CIFAR-10 input or --labels FILE.npy")
                }
                values = labels
            }
            if let bad = values.firstIndex(where: { $0 >= classes }) {
                throw LRPError(.input, "\(labels ?? batch.names[bad]): label \(values[bad]) of \(batch.names[bad]) is not a class of the model, which has \(classes)")
            }
            return values
        case .single(let number):
            return Array(repeating: number, count: batch.count)
        }
    }
}
