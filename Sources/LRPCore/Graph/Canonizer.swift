/// A rewrite of a model into an equivalent one that LRP explains better (Zennit's canonizers), applied by
/// the explainer before LRP in the order a ``Composite`` lists them.
///
/// ```swift
/// var composite = Composite.epsilonPlus
/// composite.canonizers = []   // explain the model as it is, batch normalization and all
/// ```
public protocol Canonizer: Sendable {
    /// The same function, rewritten.
    func canonize(_ model: Model) throws -> Model
}

/// Merges batch normalization and per-channel ``ScaleShift`` into the weighted layer before it
/// (``Model/mergingBatchNormalization()``): Zennit's `SequentialMergeBatchNorm`.
public struct MergeBatchNormalization: Canonizer {
    public init() {}

    public func canonize(_ model: Model) throws -> Model { try model.mergingBatchNormalization() }
}

extension Model {
    /// The same function with every batch normalization, or per-channel ``ScaleShift``, that directly follows
    /// a convolution or dense layer (and is the only reader of its output) merged into that layer:
    /// `W' = W·s`, `b' = b·s + t` per output channel for `y = x·s + t` (for batch normalization
    /// `s = γ/√(var+ε)`, `t = β − μ·s`). A chain of them (tf2onnx's `Mul` then `Add`) merges one after the
    /// other. Others stay. LRP explains the merged model.
    ///
    /// ```swift
    /// let canonical = try model.mergingBatchNormalization()
    /// ```
    public func mergingBatchNormalization() throws -> Model {
        var readers = [Int](repeating: 0, count: nodes.count + 1)
        for slots in inputSlots { for slot in slots { readers[slot] += 1 } }
        readers[outputSlot] += 1
        var merged = nodes
        /// For a node merged away, the node that now computes its output.
        var mergedInto: [Int: Int] = [:]
        for (index, node) in nodes.enumerated() {
            guard let source = inputSlots[index].first, source > 0, readers[source] == 1 else { continue }
            let producerIndex = mergedInto[source - 1] ?? source - 1
            let producer = merged[producerIndex]
            guard let linear = producer.layer as? any LinearLayer,
                  let factors = channelFactors(of: node.layer, after: linear, outputShape: valueShapes[source]) else { continue }
            merged[producerIndex] = Model.Node(name: producer.name, layer: try linear.scalingOutputs(factors.scale, shifting: factors.shift),
                                               inputs: producer.inputs, output: node.output)
            mergedInto[index] = producerIndex
        }
        guard !mergedInto.isEmpty else { return self }
        return try Model(inputName: inputName, sampleShape: sampleShape,
                         nodes: merged.enumerated().filter { mergedInto[$0.offset] == nil }.map(\.element),
                         outputName: outputName)
    }

    /// `y = x·scale + shift` per output of `linear`, when `layer` is such a map along the linear layer's output
    /// axis.
    private func channelFactors(of layer: any Layer, after linear: any LinearLayer, outputShape: [Int]) -> (scale: [Float], shift: [Float])? {
        let axis = linear.outputAxis(rank: outputShape.count)
        let channels = linear.weight.shape[0]
        if let norm = layer as? BatchNormalization, axis == 1, norm.channels == channels { return (norm.multiplier, norm.shift) }
        return (layer as? ScaleShift)?.perChannel(axis: axis, rank: outputShape.count, channels: channels)
    }
}

extension LinearLayer {
    /// This layer followed by `y ↦ y·scale[o] + shift[o]` on output `o`, as one layer.
    func scalingOutputs(_ scale: [Float], shifting shift: [Float]) throws -> Self {
        let outputs = weight.shape[0]
        guard scale.count == outputs, shift.count == outputs else {
            throw LRPError(.shape, "\(operatorName): \(scale.count) per-channel factors follow \(outputs) outputs")
        }
        let perOutput = weight.count / outputs
        let scaled = weight.scalars.enumerated().map { index, value in value * scale[index / perOutput] }
        let bias = (0..<outputs).map { o in (self.bias?[o] ?? 0) * scale[o] + shift[o] }
        return try replacingParameters(weight: try Tensor(shape: weight.shape, scalars: scaled),
                                       bias: try Tensor(shape: [outputs], scalars: bias))
    }
}
