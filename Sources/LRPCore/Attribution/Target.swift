/// Which output class each sample's explanation is for.
public enum Target: Sendable, Hashable {
    /// The class with the highest score (the default).
    case predicted
    /// One class for every sample.
    case fixed(Int)
    /// One class per sample (for example a CIFAR-10 batch's labels).
    case perSample([Int])

    /// The target of the samples `range` of a batch of `count`.
    /// - Throws: `LRPError` (`.parameter`) for per-sample targets that do not match the batch.
    func restricted(to range: Range<Int>, of count: Int) throws -> Target {
        guard case .perSample(let targets) = self else { return self }
        guard targets.count == count else { throw LRPError(.parameter, "\(targets.count) targets given for a batch of \(count)") }
        return .perSample(Array(targets[range]))
    }

    /// The class index of each sample given the logits `[N, classes]`.
    ///
    /// ```swift
    /// let predicted = try Target.predicted.classes(for: logits)   // the arg-max of each row
    /// ```
    /// - Throws: `LRPError` (`.parameter`) for a class outside `0..<classes` or a label count that does not
    ///   match the batch.
    public func classes(for logits: Tensor) throws -> [Int] {
        let (count, classes) = (logits.batchSize, logits.elementsPerSample)
        switch self {
        case .predicted:
            return (0..<count).map { sample in
                let scores = logits.scalars[sample * classes ..< (sample + 1) * classes]
                return scores.indices.max { scores[$0] < scores[$1] || scores[$0] == scores[$1] && $0 > $1 }! - sample * classes
            }
        case .fixed(let target):
            guard (0..<classes).contains(target) else {
                throw LRPError(.parameter, "target class \(target) is outside the model's \(classes) classes (0…\(classes - 1))")
            }
            return Array(repeating: target, count: count)
        case .perSample(let targets):
            guard targets.count == count else {
                throw LRPError(.parameter, "\(targets.count) targets given for a batch of \(count)")
            }
            if let bad = targets.firstIndex(where: { !(0..<classes).contains($0) }) {
                throw LRPError(.parameter, "target \(targets[bad]) of sample \(bad) is outside the model's \(classes) classes")
            }
            return targets
        }
    }
}

/// What the backward pass starts from at the output.
public enum InitialRelevance: String, Sendable, Hashable, CaseIterable {
    /// The target's logit, all other outputs zero (Zennit's `output * one_hot`): the default.
    case logit
    /// 1 at the target, 0 elsewhere.
    case oneHot = "one-hot"

    /// The initial relevance for the given logits and target classes.
    func seed(logits: Tensor, targets: [Int]) -> Tensor {
        let classes = logits.elementsPerSample
        var seed = Tensor(zerosWithValidShape: logits.shape)
        for (sample, target) in targets.enumerated() {
            let index = sample * classes + target
            seed[index] = self == .logit ? logits[index] : 1
        }
        return seed
    }
}
