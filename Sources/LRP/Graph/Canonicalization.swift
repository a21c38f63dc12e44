extension Model {
    /// The same function with every batch normalisation that directly follows a convolution or dense layer
    /// (and is the only reader of its output) merged into that layer: `W' = W·γ/√(var+ε)`,
    /// `b' = (b − μ)·γ/√(var+ε) + β`. Other batch normalisations stay. LRP explains the merged model.
    ///
    /// ```swift
    /// let canonical = try model.mergingBatchNormalization()
    /// ```
    public func mergingBatchNormalization() throws -> Model {
        var readers = [Int](repeating: 0, count: nodes.count + 1)
        for slots in inputSlots { for slot in slots { readers[slot] += 1 } }
        readers[outputSlot] += 1
        var merged = nodes
        var removed = Set<Int>()
        for (index, node) in nodes.enumerated() {
            guard let norm = node.layer as? BatchNormalization, let source = inputSlots[index].first, source > 0,
                  readers[source] == 1, let linear = merged[source - 1].layer as? any LinearLayer else { continue }
            let producer = merged[source - 1]
            merged[source - 1] = Model.Node(name: producer.name, layer: try linear.mergingBatchNormalization(norm),
                                             inputs: producer.inputs, output: node.output)
            removed.insert(index)
        }
        guard !removed.isEmpty else { return self }
        return try Model(inputName: inputName, sampleShape: sampleShape,
                         nodes: merged.enumerated().filter { !removed.contains($0.offset) }.map(\.element),
                         outputName: outputName)
    }
}

extension LinearLayer {
    /// This layer followed by `norm`, as one layer: output channel `o` scaled by `norm.multiplier[o]`.
    func mergingBatchNormalization(_ norm: BatchNormalization) throws -> Self {
        let outputs = weight.shape[0]
        guard norm.channels == outputs else {
            throw LRPError(.shape, "\(operatorName): batch normalisation of \(norm.channels) channels follows \(outputs) outputs")
        }
        let perOutput = weight.count / outputs
        let scaled = weight.scalars.enumerated().map { index, value in value * norm.multiplier[index / perOutput] }
        let bias = (0..<outputs).map { o in (self.bias?[o] ?? 0) * norm.multiplier[o] + norm.shift[o] }
        return try replacingParameters(weight: try Tensor(shape: weight.shape, scalars: scaled),
                                       bias: try Tensor(shape: [outputs], scalars: bias))
    }
}
