import LRPCore
import LRPData
import LRPVisualization

/// The evaluation figures of one explanation method over a set of inputs; every figure is a mean over the
/// samples (so batches and shards merge by weighting with ``samples``). Figures that do not apply are `nil`:
/// a random order has no heatmap, relevance read from a file has no per-layer sums.
///
/// ```swift
/// let all = try MethodMetrics.merged([firstShard, secondShard])
/// print(all.aopcMostRelevantFirst, all.randomization?.last?.spearman ?? .nan)
/// ```
public struct MethodMetrics: Codable, Sendable, Equatable {
    /// The mean of one layer's relevance sums.
    public struct LayerSum: Codable, Sendable, Equatable {
        public let node: String
        public let relevance: Double
    }

    /// The mean similarity of the explanations after one more layer is randomized (from the top).
    public struct RandomizationStep: Codable, Sendable, Equatable {
        /// The weighted layer randomized at this step (all layers after it are randomized too).
        public let layer: String
        /// Spearman's rank correlation of the channel-summed relevance with the trained model's.
        public let spearman: Double
        /// The same on |relevance|.
        public let spearmanAbsolute: Double
    }

    /// The method's specification (`gamma:0.25`) or the baseline's name (`random`, `gradient`).
    public let name: String
    /// `method` for a method asked for, `baseline` for the reference orders.
    public let kind: String
    public let samples: Int
    /// Area over the perturbation curve with the most relevant patches replaced first: larger is better.
    public let aopcMostRelevantFirst: Double
    /// With the least relevant first: smaller is better (`nil` for the random order, which has no ranking).
    public let aopcLeastRelevantFirst: Double?
    /// The mean target score after 0, 1, … patches replaced, most relevant first.
    public let curveMostRelevantFirst: [Double]
    public let curveLeastRelevantFirst: [Double]?
    /// Σ input relevance / target score: 1 for a conserving rule without biases.
    public let conservationMean: Double?
    public let conservationMinimum: Double?
    public let conservationMaximum: Double?
    /// Mean relevance sum at each node's output, from the output towards the input (LRP only).
    public let layerSums: [LayerSum]?
    /// Sparseness of the channel-summed |relevance| (Gini index).
    public let gini: Double?
    /// Complexity of the channel-summed |relevance| (entropy, nats).
    public let entropy: Double?
    public let randomization: [RandomizationStep]?

    /// Joins metrics of the same method over disjoint sets of samples.
    /// - Throws: `LRPError` (`.input`) for an empty list or metrics of different methods or settings.
    public static func merged(_ parts: [MethodMetrics]) throws -> MethodMetrics {
        guard let first = parts.first else { throw LRPError(.input, "metrics: nothing to merge") }
        for part in parts.dropFirst() {
            guard part.name == first.name, part.kind == first.kind, part.curveMostRelevantFirst.count == first.curveMostRelevantFirst.count,
                  part.randomization?.map(\.layer) == first.randomization?.map(\.layer),
                  part.layerSums?.map(\.node) == first.layerSums?.map(\.node) else {
                throw LRPError(.input, "metrics of '\(part.name)' cannot be merged with those of '\(first.name)': different methods or settings")
            }
        }
        let total = parts.reduce(0) { $0 + $1.samples }
        func weightedMean(_ value: (MethodMetrics) -> Double) -> Double {
            parts.reduce(0.0) { $0 + Double($1.samples) * value($1) } / Double(max(total, 1))
        }
        func optionalMean(_ value: (MethodMetrics) -> Double?) -> Double? {
            parts.allSatisfy { value($0) != nil } ? weightedMean { value($0) ?? 0 } : nil
        }
        func meanList(_ list: (MethodMetrics) -> [Double]?) -> [Double]? {
            list(first).map { values in values.indices.map { index in weightedMean { list($0)?[index] ?? 0 } } }
        }
        let (minima, maxima) = (parts.compactMap(\.conservationMinimum), parts.compactMap(\.conservationMaximum))
        return MethodMetrics(
            name: first.name, kind: first.kind, samples: total,
            aopcMostRelevantFirst: weightedMean { $0.aopcMostRelevantFirst }, aopcLeastRelevantFirst: optionalMean(\.aopcLeastRelevantFirst),
            curveMostRelevantFirst: meanList { $0.curveMostRelevantFirst } ?? [], curveLeastRelevantFirst: meanList(\.curveLeastRelevantFirst),
            conservationMean: optionalMean(\.conservationMean),
            conservationMinimum: minima.count == parts.count ? minima.min() : nil,
            conservationMaximum: maxima.count == parts.count ? maxima.max() : nil,
            layerSums: first.layerSums.map { sums in
                sums.indices.map { index in LayerSum(node: sums[index].node, relevance: weightedMean { $0.layerSums?[index].relevance ?? 0 }) }
            },
            gini: optionalMean(\.gini), entropy: optionalMean(\.entropy),
            randomization: first.randomization.map { steps in
                steps.indices.map { index in
                    RandomizationStep(layer: steps[index].layer, spearman: weightedMean { $0.randomization?[index].spearman ?? 0 },
                                      spearmanAbsolute: weightedMean { $0.randomization?[index].spearmanAbsolute ?? 0 })
                }
            })
    }
}
