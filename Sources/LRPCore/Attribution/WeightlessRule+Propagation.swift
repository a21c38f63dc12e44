extension WeightlessRule {
    /// Relevance at a weightless layer's inputs from relevance at its output.
    func propagate(_ relevance: Tensor, layer: any Layer, inputs: [Tensor], record: LayerRecord) throws -> [Tensor] {
        switch self {
        case .pass:
            guard inputs.count == 1, inputs[0].shape == relevance.shape else {
                throw LRPError(.shape, "\(layer.operatorName): the pass rule needs one input of the output's shape")
            }
            return [relevance]
        case .gradient:
            return try layer.inputGradients(of: relevance, inputs: inputs, record: record)
        case .norm:
            let quotient = relevance.divided(sameShapeStabilized: record.output, epsilon: Rule.stabilizer)
            let gradients = try (layer as? any LocallyLinearLayer)?.detachedInputGradients(of: quotient, inputs: inputs, record: record)
                ?? layer.inputGradients(of: quotient, inputs: inputs, record: record)
            return zip(inputs, gradients).map { x, c in x.multiplied(sameShape: c) }
        }
    }
}
