import Foundation

/// One class of a model's output: its index, logit and softmax probability.
public struct ClassScore: Sendable, Hashable {
    public let index: Int
    public let logit: Float
    public let probability: Float
}

extension Tensor {
    /// The softmax over the classes of `[N, classes]` logits, per sample (the largest logit subtracted first,
    /// so no exponential overflows).
    ///
    /// ```swift
    /// let probabilities = try model.forward(images).softmax()   // each row sums to 1
    /// ```
    /// - Throws: `LRPError` (`.shape`) unless the tensor is `[N, classes]` with at least one class.
    public func softmax() throws -> Tensor {
        guard rank == 2, shape[1] > 0 else { throw LRPError(.shape, "softmax: expects [N, classes] logits, got \(describe(shape))") }
        let classes = shape[1]
        var result = self
        result.withUnsafeMutableBufferPointer { values in
            for start in stride(from: 0, to: values.count, by: classes) {
                let row = start ..< start + classes
                let largest = row.map { values[$0] }.max()!
                var total = Float(0)
                for index in row {
                    values[index] = Foundation.exp(values[index] - largest)
                    total += values[index]
                }
                for index in row { values[index] /= total }
            }
        }
        return result
    }

    /// The `k` highest-scoring classes of each sample of `[N, classes]` logits, best first (equal logits: the
    /// lower index first), with their softmax probabilities.
    ///
    /// ```swift
    /// for best in try model.forward(images).topClasses(3)[0] {
    ///     print(CIFAR10.classNames[best.index], best.logit, best.probability)
    /// }
    /// ```
    /// - Throws: `LRPError` (`.shape`, `.parameter`) for a tensor that is not `[N, classes]` or `k < 1`.
    public func topClasses(_ k: Int) throws -> [[ClassScore]] {
        guard k >= 1 else { throw LRPError(.parameter, "top classes: k must be at least 1, got \(k)") }
        let probabilities = try softmax()
        let classes = shape[1]
        return (0 ..< shape[0]).map { sample in
            let base = sample * classes
            let ranked = (0 ..< classes).sorted { self[base + $0] > self[base + $1] || self[base + $0] == self[base + $1] && $0 < $1 }
            return ranked.prefix(k).map { ClassScore(index: $0, logit: self[base + $0], probability: probabilities[base + $0]) }
        }
    }
}
