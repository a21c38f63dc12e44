/// A network as a directed acyclic graph of named nodes, kept in topological order, with one input
/// (a batch of samples of ``sampleShape``) and one output.
///
/// ```swift
/// let model = try Model(sampleShape: [3, 32, 32], layers: [
///     ("conv", conv), ("relu", ReLU()), ("flatten", Flatten()), ("fc", dense),
/// ])
/// let logits = try model.forward(images)                 // [N, classes]
/// let trace = try model.forwardRecording(images)
/// let gradient = try model.inputGradient(trace, outputGradient: seed)
/// ```
public struct Model: Sendable {
    /// One operation of the graph: a layer applied to named values, producing one named value.
    public struct Node: Sendable {
        public let name: String
        public let layer: any Layer
        /// The values the layer reads: the model's input name or other nodes' output names.
        public let inputs: [String]
        /// The name of the value the node produces (its own name unless given).
        public let output: String

        public init(name: String, layer: any Layer, inputs: [String], output: String? = nil) {
            (self.name, self.layer, self.inputs, self.output) = (name, layer, inputs, output ?? name)
        }
    }

    /// The name of the model's input value.
    public let inputName: String
    /// The shape of one input sample (without the batch dimension), e.g. `[3, 32, 32]`.
    public let sampleShape: [Int]
    /// The nodes in topological order: every node comes after the nodes it reads from; nodes that were
    /// already in order keep it.
    public let nodes: [Node]
    /// The name of the output value.
    public let outputName: String
    /// The shape of every value for a batch of one: index 0 the input, `i + 1` node `i`'s output.
    public let valueShapes: [[Int]]

    /// The shape of the model's output for a batch of one, e.g. `[1, 10]` for ten classes.
    public var outputShape: [Int] { valueShapes[outputSlot] }
    /// The node indices of the weighted layers (convolutions and dense layers), in model order: the layer
    /// composites number `n` is node `weightedNodeIndices[n - 1]`.
    public var weightedNodeIndices: [Int] { nodes.indices.filter { nodes[$0].layer is any LinearLayer } }

    /// For each node, the value slots it reads (0 = model input, `i + 1` = node `i`'s output).
    let inputSlots: [[Int]]
    /// The value slot of the model's output.
    let outputSlot: Int
    /// For each node, the ReLU node that ``forward(_:)`` runs in its pass: when the node is an
    /// ``InferenceLayer`` whose output is not the model's output and has that ReLU as its only reader.
    let absorbedReLUs: [Int?]

    /// Builds and checks a graph: names resolve, no cycles, and shapes fit (inferred for a batch of one).
    /// - Parameters:
    ///   - inputName: the name nodes use for the model's input.
    ///   - sampleShape: the shape of one input sample, without the batch dimension.
    ///   - nodes: the nodes, in any order that is a DAG.
    ///   - outputName: the value the model outputs; the last node's output by default.
    /// - Throws: `LRPError` naming the node: a duplicate name or output, an input nothing produces, a cycle,
    ///   an output that is the input, or a shape that does not fit or has more than
    ///   ``Tensor/maximumElementCount`` elements per sample.
    public init(inputName: String = "input", sampleShape: [Int], nodes: [Node], outputName: String? = nil) throws {
        guard !nodes.isEmpty else { throw LRPError(.shape, "model: has no nodes") }
        guard sampleShape.allSatisfy({ $0 > 0 }) else {
            throw LRPError(.shape, "model: input shape \(describe(sampleShape)) must have positive dimensions")
        }
        _ = try Tensor.elementCount(of: sampleShape)
        let ordered = try Model.topologicallySorted(nodes, inputName: inputName)
        var names = Set<String>()
        for node in nodes where !names.insert(node.name).inserted {
            throw LRPError(.shape, "node '\(node.name)': the name is used by two nodes")
        }
        var slotOfValue = [inputName: 0]
        for (index, node) in ordered.enumerated() { slotOfValue[node.output] = index + 1 }
        let inputSlots = ordered.map { node in node.inputs.map { slotOfValue[$0]! } }
        let output = outputName ?? ordered[ordered.count - 1].output
        guard let outputSlot = slotOfValue[output] else {
            throw LRPError(.shape, "model: output '\(output)' is produced by no node")
        }
        guard outputSlot > 0 else { throw LRPError(.shape, "model: the output '\(output)' is the input; the model computes nothing") }
        var shapes = [[1] + sampleShape]
        for (node, slots) in zip(ordered, inputSlots) {
            guard slots.count == node.layer.inputCount else {
                throw LRPError(.shape, "node '\(node.name)' (\(node.layer.operatorName)): takes \(node.layer.inputCount) input(s), given \(slots.count)")
            }
            do {
                let shape = try node.layer.outputShape(for: slots.map { shapes[$0] })
                _ = try Tensor.elementCount(of: shape)
                shapes.append(shape)
            } catch let error as LRPError {
                throw error.prefixed("node '\(node.name)'")
            }
        }
        (self.inputName, self.sampleShape, self.nodes, self.outputName) = (inputName, sampleShape, ordered, output)
        (self.valueShapes, self.inputSlots, self.outputSlot) = (shapes, inputSlots, outputSlot)
        absorbedReLUs = Model.absorbedReLUs(nodes: ordered, inputSlots: inputSlots, outputSlot: outputSlot)
    }

    /// A chain of layers, each reading the previous one's output.
    public init(inputName: String = "input", sampleShape: [Int], layers: [(name: String, layer: any Layer)]) throws {
        var previous = inputName
        let nodes = layers.map { entry in
            defer { previous = entry.name }
            return Node(name: entry.name, layer: entry.layer, inputs: [previous])
        }
        try self.init(inputName: inputName, sampleShape: sampleShape, nodes: nodes)
    }

    /// Evaluates the model on a batch `[N] + sampleShape`, for inference: each value is kept only until the last
    /// node that reads it has run, so memory holds a few activations at a time rather than all of them; a ReLU
    /// that alone reads a convolution's, dense layer's or addition's output runs with that layer (in its last
    /// pass over the output, except for an addition that broadcasts), and
    /// convolutions take the algorithms picked for ``ConvolutionProduct/inference``. The logits therefore
    /// equal those of ``forwardRecording(_:)`` (from which LRP starts) up to float32 rounding, not to the bit.
    /// - Throws: `LRPError` for an input of the wrong shape or an empty batch, or a layer's error prefixed
    ///   with its node.
    public func forward(_ input: Tensor) throws -> Tensor {
        try checkInput(input)
        var lastReader = [Int](repeating: -1, count: nodes.count + 1)
        for (index, slots) in inputSlots.enumerated() { for slot in slots { lastReader[slot] = index } }
        let absorbed = Set(absorbedReLUs.compactMap { $0 })
        var values = [Tensor?](repeating: nil, count: nodes.count + 1)
        values[0] = input
        for (index, slots) in inputSlots.enumerated() where !absorbed.contains(index) {
            let inputs = slots.map { values[$0]! }
            for slot in slots where lastReader[slot] == index && slot != outputSlot { values[slot] = nil }
            let rectifier = absorbedReLUs[index]
            values[(rectifier ?? index) + 1] = try inferenceOutput(node: index, on: inputs, rectified: rectifier != nil)
        }
        return values[outputSlot]!
    }

    /// ``absorbedReLUs`` of a checked, sorted graph, found once when the model is built.
    private static func absorbedReLUs(nodes: [Node], inputSlots: [[Int]], outputSlot: Int) -> [Int?] {
        var readers = [[Int]](repeating: [], count: nodes.count + 1)
        for (index, slots) in inputSlots.enumerated() { for slot in slots { readers[slot].append(index) } }
        return nodes.indices.map { index in
            let slot = index + 1
            guard nodes[index].layer is any InferenceLayer, slot != outputSlot, readers[slot].count == 1,
                  let reader = readers[slot].first, nodes[reader].layer is ReLU else { return nil }
            return reader
        }
    }

    /// Evaluates the model and keeps every node's output (and max pooling's arg-max) for a backward walk.
    /// - Throws: `LRPError` for an input of the wrong shape or an empty batch, or a layer's error prefixed
    ///   with its node.
    public func forwardRecording(_ input: Tensor) throws -> ForwardTrace {
        try checkInput(input)
        var records: [LayerRecord] = []
        records.reserveCapacity(nodes.count)
        func value(_ slot: Int) -> Tensor { slot == 0 ? input : records[slot - 1].output }
        for (index, slots) in inputSlots.enumerated() {
            records.append(try evaluate(node: index, on: slots.map(value)))
        }
        return ForwardTrace(input: input, records: records, outputSlot: outputSlot)
    }

    private func checkInput(_ input: Tensor) throws {
        guard input.rank == sampleShape.count + 1, Array(input.shape.dropFirst()) == sampleShape else {
            throw LRPError(.shape, "model: input of shape \(describe(input.shape)) does not fit the model's input [N] + \(describe(sampleShape))")
        }
        guard input.batchSize > 0 else { throw LRPError(.shape, "model: the input batch is empty") }
    }

    /// Node `index`'s forward pass, its errors prefixed with the node's name.
    private func evaluate(node index: Int, on inputs: [Tensor]) throws -> LayerRecord {
        try prefixingErrors(node: index) { try nodes[index].layer.forward(inputs) }
    }

    /// Node `index`'s output for inference, rectified as ReLU with `rectified` (an ``InferenceLayer``'s own
    /// pass; other layers, never rectified here, give the recorded forward's output), its errors prefixed with
    /// the node's name.
    private func inferenceOutput(node index: Int, on inputs: [Tensor], rectified: Bool) throws -> Tensor {
        try prefixingErrors(node: index) {
            guard let layer = nodes[index].layer as? any InferenceLayer else {
                precondition(!rectified, "only an InferenceLayer runs a ReLU in its pass")
                return try nodes[index].layer.forward(inputs).output
            }
            return try layer.inferenceOutput(inputs, rectified: rectified)
        }
    }

    private func prefixingErrors<T>(node index: Int, _ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let error as LRPError {
            throw error.prefixed("node '\(nodes[index].name)'")
        }
    }

    /// The gradient of `⟨output, outputGradient⟩` with respect to the model's input.
    public func inputGradient(_ trace: ForwardTrace, outputGradient: Tensor) throws -> Tensor {
        let signals = try propagateBackward(trace, seed: outputGradient) { index, gradient in
            try nodes[index].layer.inputGradients(
                of: gradient, inputs: trace.inputs(of: index, in: self), record: trace.records[index])
        }
        return signals[0] ?? Tensor(zerosWithValidShape: trace.input.shape)
    }

    /// Sends a signal from the output back through the graph: for each node in reverse topological order
    /// whose output received a signal, `step(nodeIndex, signal)` gives one signal per node input; signals
    /// meeting at a value are summed. Returns the signal at every value slot (`nil` where none arrived).
    /// Gradients and every LRP rule walk the graph through this one function.
    public func propagateBackward(
        _ trace: ForwardTrace, seed: Tensor, step: (Int, Tensor) throws -> [Tensor]
    ) throws -> [Tensor?] {
        let outputShape = trace.value(at: outputSlot)?.shape ?? []
        guard seed.shape == outputShape else {
            throw LRPError(.shape, "model: output signal of shape \(describe(seed.shape)) does not match the output \(describe(outputShape))")
        }
        var signals = [Tensor?](repeating: nil, count: nodes.count + 1)
        signals[outputSlot] = seed
        for index in nodes.indices.reversed() {
            guard let signal = signals[index + 1] else { continue }
            signals[index + 1] = nil   // intermediate signals are not kept: memory stays at one layer's worth
            let node = nodes[index]
            do {
                let results = try step(index, signal)
                for (slot, result) in zip(inputSlots[index], results) {
                    signals[slot] = try signals[slot].map { try $0.adding(result) } ?? result
                }
            } catch let error as LRPError {
                throw error.prefixed("node '\(node.name)'")
            }
        }
        return signals
    }

    /// Orders nodes so that each comes after its producers; a stable Kahn sort, so ordered input is kept.
    private static func topologicallySorted(_ nodes: [Node], inputName: String) throws -> [Node] {
        var producer: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            guard node.output != inputName, producer.updateValue(index, forKey: node.output) == nil else {
                throw LRPError(.shape, "node '\(node.name)': its output '\(node.output)' is produced twice")
            }
        }
        var dependencies = try nodes.map { node in
            try Set(node.inputs.compactMap { name -> Int? in
                if name == inputName { return nil }
                guard let source = producer[name] else {
                    throw LRPError(.shape, "node '\(node.name)': input '\(name)' is produced by no node")
                }
                return source
            })
        }
        var ordered: [Node] = []
        var placed = [Bool](repeating: false, count: nodes.count)
        while ordered.count < nodes.count {
            guard let next = nodes.indices.first(where: { !placed[$0] && dependencies[$0].isEmpty }) else {
                let stuck = nodes.indices.first { !placed[$0] }!
                throw LRPError(.shape, "node '\(nodes[stuck].name)': the graph has a cycle through it")
            }
            placed[next] = true
            ordered.append(nodes[next])
            for index in nodes.indices { dependencies[index].remove(next) }
        }
        return ordered
    }
}
