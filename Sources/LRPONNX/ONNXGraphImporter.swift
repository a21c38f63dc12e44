import LRPCore

/// Walks an ONNX graph in file order and builds the engine's `Model`: constants are folded into layer
/// parameters and shape computations evaluated, an `NHWC → NCHW` input `Transpose` becomes the model's
/// input layout, a bias `Add` after `MatMul`/`Conv` joins its layer, the GELU pattern becomes one node, and
/// a trailing `Softmax` is dropped (it is not part of the explained function).
struct ONNXGraphImporter {
    let proto: Onnx_ModelProto
    /// The graph's nodes after pattern fusion (``ONNXPatterns``).
    let graphNodes: [Onnx_NodeProto]
    let decoder: ONNXTensorDecoder
    let source: String
    let memoryLimit: MemoryLimit

    /// Values known at import time.
    var constants: [String: ONNXConstant] = [:]
    /// The batch-of-one shape of every computed value.
    var shapes: [String: [Int]] = [:]
    /// Names that stand for another value (absorbed or dropped nodes). A name is defined once and an alias
    /// only ever points to a value defined before it, so following aliases always ends.
    var aliases: [String: String] = [:]
    var nodes: [Model.Node] = []
    /// The node names given so far (made unique: files do not always keep them so).
    var nodeNames = Set<String>()
    var notes: [String] = []
    /// How many nodes read each value, to know when folding into a producer is safe.
    let consumers: [String: Int]
    let opset: Int

    init(proto: Onnx_ModelProto, decoder: ONNXTensorDecoder, source: String, memoryLimit: MemoryLimit) throws {
        (self.proto, self.decoder, self.source, self.memoryLimit) = (proto, decoder, source, memoryLimit)
        graphNodes = ONNXPatterns(nodes: proto.graph.node) { name in
            ONNXGraphImporter.smallConstant(named: name, in: proto.graph, decoder: decoder)
        }.fused()
        var counts: [String: Int] = [:]
        for node in graphNodes { for input in node.input where !input.isEmpty { counts[input, default: 0] += 1 } }
        consumers = counts
        opset = Int(proto.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }?.version ?? 0)
    }

    func run() throws -> ONNXModel {
        var importer = self
        return try importer.importGraph()
    }

    private mutating func importGraph() throws -> ONNXModel {
        let graph = proto.graph
        guard !graph.node.isEmpty else { throw LRPError(.input, "\(source): the ONNX graph has no nodes") }
        guard opset > 0 else { throw LRPError(.input, "\(source): the model imports no default-domain operator set") }
        try checkOperatorsSupported()
        try checkParameterMemory()
        for initializer in graph.initializer {
            constants[initializer.name] = try decoder.decode(initializer, what: "initializer '\(printable(initializer.name))'")
        }
        let (inputName, sampleShape) = try graphInput()
        shapes[inputName] = [1] + sampleShape
        for node in graphNodes where !isAbsorbed(node) {
            try importNode(node)
        }
        guard let outputName = graph.output.first?.name else { throw LRPError(.input, "\(source): the graph has no output") }
        let output = resolve(outputName)
        guard output != inputName else {
            throw LRPError(.input, "\(source): the graph output '\(printable(outputName))' is the graph input; the model computes nothing")
        }
        guard shapes[output] != nil else {
            throw LRPError(.input, "\(source): the graph output '\(printable(outputName))' is produced by no node")
        }
        let model: Model
        do {
            model = try Model(inputName: inputName, sampleShape: Array(shapes[inputName]!.dropFirst()), nodes: nodes, outputName: output)
        } catch let error as LRPError {
            throw error.prefixed(source)
        }
        try memoryLimit.check(model, source: source)
        let flops = ModelSummary(model).totalFLOPs
        guard flops <= ONNXModel.maximumFLOPsPerSample else {
            throw LRPError(.input, "\(source): one sample needs \(flops == .max ? "more than 2^63" : String(flops)) floating-point operations, more than the limit of 2^40")
        }
        let producer = [proto.producerName, proto.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        return ONNXModel(model: model, producer: producer.isEmpty ? "unknown" : producer, opsetVersion: opset, notes: notes)
    }

    /// The one graph input that is not an initializer, and its per-sample shape (after an absorbed
    /// `NHWC → NCHW` transpose).
    private mutating func graphInput() throws -> (String, [Int]) {
        let inputs = proto.graph.input.filter { constants[$0.name] == nil }
        guard inputs.count == 1, let input = inputs.first else {
            throw LRPError(.unsupported, "\(source): the graph has \(inputs.count) inputs; one image input is supported")
        }
        let dimensions = input.type.tensorType.shape.dim
        var sample: [Int] = []
        for dimension in dimensions.dropFirst() {
            guard case .dimValue(let value)? = dimension.value, value > 0, value <= 1 << 20 else {
                throw LRPError(.unsupported, "\(source): input '\(printable(input.name))' needs fixed sizes after the batch dimension")
            }
            sample.append(Int(value))
        }
        guard !dimensions.isEmpty, !sample.isEmpty else {
            throw LRPError(.unsupported, "\(source): input '\(printable(input.name))' has no shape; a batch of fixed-size samples is expected")
        }
        guard (try? Tensor.elementCount(of: sample)) != nil else {
            throw LRPError(.input, "\(source): input '\(printable(input.name))' of shape [N, \(sample.map(String.init).joined(separator: ", "))] has more than \(Tensor.maximumElementCount) elements per sample")
        }
        if sample.count == 3, let transpose = inputTranspose(of: input.name) {
            sample = [sample[2], sample[0], sample[1]]
            aliases[transpose.output[0]] = input.name
            notes.append("input '\(printable(input.name))' is NHWC in the file; the model takes NCHW (node '\(printable(transpose.name))' absorbed)")
        }
        return (input.name, sample)
    }

    /// The node that turns an `NHWC` input into `NCHW`, when that is the input's only use.
    private func inputTranspose(of input: String) -> Onnx_NodeProto? {
        guard consumers[input] == 1,
              let node = graphNodes.first(where: { $0.input.first == input }), node.opType == "Transpose",
              let output = node.output.first, !output.isEmpty, output != input,
              (try? ONNXAttributes(node, context: "").ints("perm")) == [0, 3, 1, 2] else { return nil }
        return node
    }

    private func isAbsorbed(_ node: Onnx_NodeProto) -> Bool {
        node.opType == "Transpose" && node.output.first.map { aliases[$0] != nil } == true
    }

    /// Every operator of the graph that is neither converted nor folded, named at once with its nodes.
    private func checkOperatorsSupported() throws {
        var unsupported: [String: [String]] = [:]
        for node in graphNodes {
            let known = (node.domain.isEmpty || node.domain == "ai.onnx")
                && (ONNXNodeConverter.operators.contains(node.opType) || ONNXConstantFolding.operators.contains(node.opType))
            if !known { unsupported[(node.domain.isEmpty ? "" : node.domain + ".") + node.opType, default: []].append(node.name) }
        }
        guard !unsupported.isEmpty else { return }
        let list = unsupported.keys.sorted().map { type in
            let names = unsupported[type]!
            let shown = names.prefix(3).map { "'\(printable($0))'" }.joined(separator: ", ") + (names.count > 3 ? " and \(names.count - 3) more" : "")
            return "'\(printable(type))' (\(names.count == 1 ? "node" : "nodes") \(shown))"
        }
        throw LRPError(.unsupported, "\(source): \(list.count == 1 ? "operator" : "operators") not supported: \(list.joined(separator: ", "))")
    }

    /// The value of an initializer or `Constant` node's output named `name` of at most 4096 elements,
    /// decoded on demand (patterns look at scalars and axes; a large tensor is never one of them).
    static func smallConstant(named name: String, in graph: Onnx_GraphProto, decoder: ONNXTensorDecoder) -> ONNXConstant? {
        let proto = graph.initializer.first { $0.name == name }
            ?? graph.node.first { $0.opType == "Constant" && $0.output.first == name }?.attribute.first { $0.name == "value" && $0.hasT }?.t
        guard let proto, proto.dims.allSatisfy({ $0 >= 0 && $0 <= 4096 }), saturatingProduct(proto.dims.map(Int.init)) <= 4096 else { return nil }
        return try? decoder.decode(proto, what: name)
    }

    /// The parameters' memory, from the initializers' declared dimensions, checked before any is decoded
    /// (external data may declare gigabytes in a sparse file).
    private func checkParameterMemory() throws {
        var total = 0
        var largest: (count: Int, initializer: Onnx_TensorProto)?
        for initializer in proto.graph.initializer {
            let count = saturatingProduct(initializer.dims.map { Int(max(0, $0)) })
            let (sum, overflow) = total.addingReportingOverflow(count)
            total = overflow ? .max : sum
            if count > largest?.count ?? -1 { largest = (count, initializer) }
        }
        guard let largest else { return }
        let dimensions = describe(largest.initializer.dims.map { Int($0) })
        try memoryLimit.checkParameters(total, source: source, largest: "initializer '\(printable(largest.initializer.name))' \(dimensions)\(largest.count > Tensor.maximumElementCount ? ", too large to hold" : "")")
    }

    /// The value a name stands for, following aliases: at most one step per alias, so that even a cycle
    /// (which defining each name once rules out) could not hang the import.
    func resolve(_ name: String) -> String {
        var current = name
        for _ in 0 ... aliases.count {
            guard let next = aliases[current] else { break }
            current = next
        }
        return current
    }

    private mutating func importNode(_ node: Onnx_NodeProto) throws {
        let context = "\(source): node '\(printable(node.name))' (\(printable(node.opType)))"
        guard node.domain.isEmpty || node.domain == "ai.onnx" else {
            throw LRPError(.unsupported, "\(context): operator domain '\(printable(node.domain))' is not supported")
        }
        guard let output = node.output.first, !output.isEmpty else { throw LRPError(.input, "\(context): has no output") }
        guard constants[output] == nil, shapes[output] == nil, aliases[output] == nil else {
            throw LRPError(.input, "\(context): its output '\(printable(output))' is already defined (by a node, an initializer or the graph input)")
        }
        for input in node.input where !input.isEmpty {
            guard constants[input] != nil || shapes[resolve(input)] != nil else {
                throw LRPError(.input, "\(context): input '\(printable(input))' is produced by no node or initializer")
            }
        }
        let operation = ONNXNodeConverter(node: node, importer: self, context: context)
        switch try operation.convert() {
        case .constant(let value):
            constants[output] = value
        case .alias(let input, let note):
            aliases[output] = input
            if let note { notes.append(note) }
        case .layer(let layer, let inputs):
            try append(layer, inputs: inputs, name: try uniqueName(node.name.isEmpty ? output : node.name, output: output), output: output, context: context)
        case .layers(let layers):
            for ((layer, inputs), output) in zip(layers, node.output) {
                guard constants[output] == nil, shapes[output] == nil, aliases[output] == nil else {
                    throw LRPError(.input, "\(context): its output '\(printable(output))' is already defined")
                }
                let name = "\(node.name.isEmpty ? output : node.name):\(output)"
                try append(layer, inputs: inputs, name: try uniqueName(name, output: output), output: output, context: context)
            }
        case .bias(let bias, let producerOutput):
            try foldBias(bias, into: producerOutput, output: output, context: context)
        }
    }

    /// The node's name for messages and tables, made printable and, if another node has it, followed by the
    /// node's output.
    private mutating func uniqueName(_ name: String, output: String) throws -> String {
        for candidate in [printable(name), "\(printable(name)) → \(printable(output))"] where nodeNames.insert(candidate).inserted {
            return candidate
        }
        throw LRPError(.input, "\(source): two nodes are named '\(printable(name))' and write '\(printable(output))'")
    }

    private mutating func append(_ layer: any Layer, inputs: [String], name: String, output: String, context: String) throws {
        do {
            let shape = try layer.outputShape(for: inputs.map { shapes[$0]! })
            _ = try Tensor.elementCount(of: shape)
            shapes[output] = shape
        } catch let error as LRPError {
            throw LRPError(error.kind, "\(context): \(error.message)")
        }
        nodes.append(Model.Node(name: name, layer: layer, inputs: inputs, output: output))
    }

    /// The dense or convolution layer that produces `value` when nothing else reads it: a constant added to
    /// its output can join its bias.
    func linearProducer(of value: String, readers: Int) -> (any LinearLayer)? {
        guard readers == 1, let node = nodes.last(where: { $0.output == value }) else { return nil }
        return node.layer as? any LinearLayer
    }

    /// Adds `bias` (one value per output) to the bias of the dense or convolution layer that produced
    /// `producerOutput`.
    private mutating func foldBias(_ bias: [Float], into producerOutput: String, output: String, context: String) throws {
        guard let index = nodes.lastIndex(where: { $0.output == producerOutput }),
              let linear = nodes[index].layer as? any LinearLayer, bias.count == linear.weight.shape[0] else {
            throw LRPError(.unsupported, "\(context): the constant is not the bias of the layer before it")
        }
        let producer = nodes[index]
        let total = (0 ..< bias.count).map { (linear.bias?[$0] ?? 0) + bias[$0] }
        let layer = try linear.replacingParameters(weight: linear.weight, bias: try Tensor(shape: [total.count], scalars: total))
        nodes[index] = Model.Node(name: producer.name, layer: layer, inputs: producer.inputs, output: producer.output)
        aliases[output] = producerOutput
    }
}
