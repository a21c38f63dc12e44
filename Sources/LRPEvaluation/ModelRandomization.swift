import LRPCore
import LRPData
import LRPVisualization

/// Cascading model-parameter randomization (Adebayo et al. 2018): the weighted layers are re-initialized one
/// after another, starting at the output. An explanation that depends on what the model learned must change
/// as more layers lose their training; one that does not (an edge detector in disguise) stays the same.
///
/// ```swift
/// try ModelRandomization.cascade(model, seed: 1) { step in
///     print(step.layer, try Explainer(model: step.model, method: method).explain(images, target: .perSample(targets)).relevance)
/// }
/// ```
public enum ModelRandomization {
    /// One step of the cascade: the last weighted layer randomized so far and the model at that point.
    public struct Step: Sendable {
        /// The node name of the weighted layer re-initialized at this step.
        public let layer: String
        /// The model with this layer and all weighted layers after it re-initialized.
        public let model: Model
    }

    /// Hands `visit` one model per weighted layer, from the top: step `k` has the last `k + 1` weighted layers
    /// replaced by Gaussian weights (and biases) with the mean and standard deviation of the trained ones, so
    /// that activations keep their scale. Reproducible for a seed. One step's model is alive at a time.
    /// - Throws: `LRPError` if the model has no weighted layer, or what `visit` throws.
    public static func cascade(_ model: Model, seed: UInt64 = 0, _ visit: (Step) throws -> Void) throws {
        let weighted = model.nodes.indices.compactMap { index in (model.nodes[index].layer as? any LinearLayer).map { (index, $0) } }
        guard !weighted.isEmpty else { throw LRPError(.parameter, "randomization: the model has no weighted layer") }
        var nodes = model.nodes
        for (index, layer) in weighted.reversed() {
            let node = nodes[index]
            var normal = NormalGenerator(seed: seed &+ UInt64(index))
            let randomized = try layer.replacingParameters(weight: redrawn(layer.weight, using: &normal),
                                                           bias: try layer.bias.map { try redrawn($0, using: &normal) })
            nodes[index] = Model.Node(name: node.name, layer: randomized, inputs: node.inputs, output: node.output)
            try visit(Step(layer: node.name, model: try Model(inputName: model.inputName, sampleShape: model.sampleShape,
                                                             nodes: nodes, outputName: model.outputName)))
        }
    }

    /// Gaussian values with the mean and standard deviation of `tensor`'s.
    private static func redrawn(_ tensor: Tensor, using normal: inout NormalGenerator) throws -> Tensor {
        let count = Double(max(tensor.count, 1))
        let mean = tensor.scalars.reduce(0.0) { $0 + Double($1) } / count
        let deviation = (tensor.scalars.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / count).squareRoot()
        return try Tensor(shape: tensor.shape, scalars: tensor.scalars.map { _ in Float(mean + deviation * Double(normal.next())) })
    }
}
