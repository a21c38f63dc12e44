/// The result of explaining a batch.
public struct Explanation: Sendable {
    /// Relevance at the model input, the input's shape.
    public let relevance: Tensor
    /// The model's output for the batch.
    public let logits: Tensor
    /// The explained class of each sample.
    public let targets: [Int]
    /// For LRP: per node (in model order), the relevance sum of each sample at the node's output and at its
    /// inputs; equal for rules that conserve relevance.
    public let layerSums: [LayerRelevanceSums]
    /// Relevance at the outputs of the nodes asked for by name.
    public let layerRelevance: [String: Tensor]

    /// The score (logit) of each sample's target class.
    public var targetScores: [Float] {
        targets.enumerated().map { sample, target in logits[sample * logits.elementsPerSample + target] }
    }
}

/// Relevance sums of one node, per sample.
public struct LayerRelevanceSums: Sendable {
    public let node: String
    public let operatorName: String
    /// The number composites give this layer (``Composite/Selector/layers(_:)``), counting the weighted layers
    /// of the explained (canonized) model from 1; `nil` for a weightless layer.
    public let weightedLayerNumber: Int?
    /// Σ relevance at the node's output, per sample.
    public let output: [Double]
    /// Σ relevance at the node's inputs (all of them), per sample.
    public let input: [Double]
}

extension Explanation {
    /// The explanations of consecutive parts of a batch, joined into the batch's.
    init(joining parts: [Explanation]) throws {
        guard let first = parts.first else { throw LRPError(.shape, "explanation: nothing to join") }
        relevance = try Tensor(concatenating: parts.map(\.relevance))
        logits = try Tensor(concatenating: parts.map(\.logits))
        targets = parts.flatMap(\.targets)
        layerSums = first.layerSums.indices.map { index in
            LayerRelevanceSums(node: first.layerSums[index].node, operatorName: first.layerSums[index].operatorName,
                               weightedLayerNumber: first.layerSums[index].weightedLayerNumber, output: parts.flatMap { $0.layerSums[index].output }, input: parts.flatMap { $0.layerSums[index].input })
        }
        layerRelevance = try first.layerRelevance.keys.reduce(into: [:]) { joined, name in
            joined[name] = try Tensor(concatenating: parts.compactMap { $0.layerRelevance[name] })
        }
    }
}
