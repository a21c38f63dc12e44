import LRPCore

/// What one ONNX node becomes in the engine's graph.
enum ONNXConversion {
    /// A value known at import time.
    case constant(ONNXConstant)
    /// The node's output is another value (a dropped `Softmax`); the note says why.
    case alias(String, note: String?)
    /// A layer reading the named (resolved) values.
    case layer(any Layer, inputs: [String])
    /// One layer per output of the node (`Split`).
    case layers([(any Layer, inputs: [String])])
    /// A bias, one value per output, to fold into the layer producing the named value.
    case bias([Float], producer: String)
}

/// Converts one ONNX node, reading its inputs and attributes through the importer's state.
struct ONNXNodeConverter {
    let node: Onnx_NodeProto
    let importer: ONNXGraphImporter
    let context: String
    let attributes: ONNXAttributes

    init(node: Onnx_NodeProto, importer: ONNXGraphImporter, context: String) {
        (self.node, self.importer, self.context) = (node, importer, context)
        attributes = ONNXAttributes(node, context: context)
    }

    /// The operators ``convert()`` turns into layers (beside those ``ONNXConstantFolding`` evaluates).
    static let operators: Set<String> = [
        "Conv", "Gemm", "MatMul", "Relu", "MaxPool", "AveragePool", "GlobalAveragePool", "ReduceMean",
        "BatchNormalization", "LayerNormalization", "Flatten", "Reshape", "Transpose", "Add", "Sub", "Mul", "Div",
        "Concat", "Slice", "Split", "Pad", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Erf", "Gelu",
        "LeakyRelu", "Squeeze", "Unsqueeze", "Dropout", "Identity", "Constant", "Softmax", "LogSoftmax",
    ]

    func convert() throws -> ONNXConversion {
        if node.opType != "Split" { try checkExtraOutputsUnused() }
        if let value = try ONNXConstantFolding(node: node, importer: importer, context: context, attributes: attributes).value() {
            return .constant(value)
        }
        switch node.opType {
        case "Conv": return try convolution()
        case "Gemm": return try gemm()
        case "MatMul": return try matMul()
        case "Relu": return .layer(ReLU(), inputs: [try computed(0)])
        case "MaxPool": return try maxPool()
        case "AveragePool": return try averagePool()
        case "GlobalAveragePool": return .layer(GlobalAveragePooling(), inputs: [try computed(0)])
        case "ReduceMean": return try reduceMean()
        case "BatchNormalization": return try batchNormalization()
        case "LayerNormalization": return try layerNormalization()
        case "Flatten": return try flatten()
        case "Reshape": return try reshape()
        case "Transpose": return .layer(try wrap { try Transpose(permutation: attributes.ints("perm") ?? []) }, inputs: [try computed(0)])
        case "Add", "Sub", "Mul", "Div": return try arithmetic()
        case "Concat": return try concatenation()
        case "Slice": return try slice()
        case "Split": return try split()
        case "Pad": return try pad()
        case "Squeeze", "Unsqueeze": return try squeezeOrUnsqueeze()
        case "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Erf", "Gelu", "LeakyRelu": return try activation()
        case "Dropout", "Identity":
            // the TorchScript exporter shares weights through Identity nodes on initializers
            if let value = importer.constants[node.input.first ?? ""] { return .constant(value) }
            return .layer(Identity(operatorName: node.opType), inputs: [try computed(0)])
        case "Constant": return .constant(try constant())
        case "Softmax", "LogSoftmax": return try droppedSoftmax()
        default: throw LRPError(.unsupported, "\(context): operator '\(printable(node.opType))' is not supported")
        }
    }

    // MARK: Inputs

    /// The resolved name of a computed (not constant) input.
    func computed(_ index: Int) throws -> String {
        guard index < node.input.count, !node.input[index].isEmpty else {
            throw LRPError(.input, "\(context): input \(index) is missing")
        }
        let name = importer.resolve(node.input[index])
        guard importer.shapes[name] != nil else {
            throw LRPError(.unsupported, "\(context): input '\(printable(node.input[index]))' is a constant; a computed tensor is expected")
        }
        return name
    }

    func shape(of name: String) -> [Int] { importer.shapes[name]! }

    func constantInput(_ index: Int, _ role: String) throws -> ONNXConstant {
        guard let value = try optionalConstant(index, role) else {
            throw LRPError(.input, "\(context): the \(role) (input \(index)) is missing")
        }
        return value
    }

    func optionalConstant(_ index: Int, _ role: String) throws -> ONNXConstant? {
        guard index < node.input.count, !node.input[index].isEmpty else { return nil }
        guard let value = importer.constants[node.input[index]] else {
            throw LRPError(.unsupported, "\(context): the \(role) '\(printable(node.input[index]))' must be a constant (an initializer)")
        }
        return value
    }

    private func checkExtraOutputsUnused() throws {
        for output in node.output.dropFirst() where !output.isEmpty && importer.consumers[output, default: 0] > 0 {
            throw LRPError(.unsupported, "\(context): its extra output '\(printable(output))' is used; only the first output is supported")
        }
    }

    // MARK: Weighted layers

    private func convolution() throws -> ONNXConversion {
        let input = try computed(0)
        let weight = try constantInput(1, "weight").tensor()
        guard weight.rank == 4, shape(of: input).count == 4 else {
            throw LRPError(.unsupported, "\(context): only 2-D convolutions are supported (weight \(describe(weight.shape)))")
        }
        let bias = try optionalConstant(2, "bias")?.tensor()
        let kernel = Size2D(weight.shape[2], weight.shape[3])
        if let declared = try attributes.ints("kernel_shape"), declared != [kernel.height, kernel.width] {
            throw LRPError(.input, "\(context): kernel_shape \(describe(declared)) does not match the weight \(describe(weight.shape))")
        }
        let (stride, dilation) = (try pair("strides"), try pair("dilations"))
        let padding = try self.padding(kernel: kernel, stride: stride, dilation: dilation, input: shape(of: input))
        let layer = try wrap {
            try Convolution2D(weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation,
                              groups: try attributes.int("group", default: 1))
        }
        return .layer(layer, inputs: [input])
    }

    private func gemm() throws -> ONNXConversion {
        let input = try computed(0)
        guard try attributes.int("transA", default: 0) == 0 else {
            throw LRPError(.unsupported, "\(context): transA = 1 is not supported")
        }
        var weight = try constantInput(1, "weight").tensor()
        guard weight.rank == 2 else { throw LRPError(.input, "\(context): weight \(describe(weight.shape)) is not 2-D") }
        if try attributes.int("transB", default: 0) == 0 { weight = try transposed(weight) }
        let alpha = attributes.float("alpha", default: 1), beta = attributes.float("beta", default: 1)
        if alpha != 1 { weight = try Tensor(shape: weight.shape, scalars: weight.scalars.map { $0 * alpha }) }
        var bias: Tensor?
        if let c = try optionalConstant(2, "bias")?.tensor() {
            let outputs = weight.shape[0]
            guard c.count == outputs || c.count == 1 else {
                throw LRPError(.unsupported, "\(context): bias \(describe(c.shape)) does not broadcast to \(outputs) outputs")
            }
            bias = try Tensor(shape: [outputs], scalars: c.count == 1 ? Array(repeating: c[0] * beta, count: outputs) : c.scalars.map { $0 * beta })
        }
        return .layer(try wrap { try Dense(weight: weight, bias: bias) }, inputs: [input])
    }

    private func matMul() throws -> ONNXConversion {
        let input = try computed(0)
        let b = try constantInput(1, "weight").tensor()
        guard b.rank == 2 else { throw LRPError(.unsupported, "\(context): only a 2-D constant right-hand side is supported, got \(describe(b.shape))") }
        return .layer(try wrap { try Dense(weight: try transposed(b), bias: nil) }, inputs: [input])
    }

    private func batchNormalization() throws -> ONNXConversion {
        guard try attributes.int("training_mode", default: 0) == 0 else {
            throw LRPError(.unsupported, "\(context): training mode is not supported; export the model in eval mode")
        }
        let input = try computed(0)
        let layer = try wrap {
            try BatchNormalization(scale: try constantInput(1, "scale").tensor(), offset: try constantInput(2, "bias").tensor(),
                                   mean: try constantInput(3, "mean").tensor(), variance: try constantInput(4, "variance").tensor(),
                                   epsilon: attributes.float("epsilon", default: 1e-5))
        }
        return .layer(layer, inputs: [input])
    }

    // MARK: Pooling

    private func maxPool() throws -> ONNXConversion {
        let input = try computed(0)
        let (kernel, stride, dilation) = (try kernelShape(), try pair("strides"), try pair("dilations"))
        let padding = try ceilModePadding(try self.padding(kernel: kernel, stride: stride, dilation: dilation, input: shape(of: input)),
                                          kernel: kernel, stride: stride, dilation: dilation, input: shape(of: input)).padding
        return .layer(try wrap { try MaxPooling2D(kernel: kernel, stride: stride, padding: padding, dilation: dilation) }, inputs: [input])
    }

    private func averagePool() throws -> ONNXConversion {
        let input = try computed(0)
        let (kernel, stride, dilation) = (try kernelShape(), try pair("strides"), try pair("dilations"))
        let (padding, extended) = try ceilModePadding(try self.padding(kernel: kernel, stride: stride, dilation: dilation, input: shape(of: input)),
                                                      kernel: kernel, stride: stride, dilation: dilation, input: shape(of: input))
        let countIncludePad = try attributes.int("count_include_pad", default: 0) != 0
        guard !(extended && countIncludePad) else {
            throw LRPError(.unsupported, "\(context): ceil_mode = 1 with count_include_pad = 1 changes the output size here and is not supported")
        }
        let layer = try wrap {
            try AveragePooling2D(kernel: kernel, stride: stride, padding: padding, dilation: dilation, countIncludePad: countIncludePad)
        }
        return .layer(layer, inputs: [input])
    }

    private func reduceMean() throws -> ONNXConversion {
        let input = try computed(0)
        let rank = shape(of: input).count
        let axes: [Int]
        if let constant = try optionalConstant(1, "axes") {
            axes = constant.integers.map(Int.init)
        } else {
            axes = try attributes.ints("axes") ?? Array(0..<rank)
        }
        guard rank == 4, axes.allSatisfy({ (-rank ..< rank).contains($0) }), Set(axes.map { ($0 + rank) % rank }) == [2, 3] else {
            throw LRPError(.unsupported, "\(context): only the mean over height and width of a 4-D tensor is supported (axes \(describe(axes)))")
        }
        return .layer(GlobalAveragePooling(keepDimensions: try attributes.int("keepdims", default: 1) != 0), inputs: [input])
    }

    // MARK: Shapes and merges

    private func flatten() throws -> ONNXConversion {
        let input = try computed(0)
        let rank = shape(of: input).count
        let axis = try attributes.int("axis", default: 1)
        guard (axis + rank) % rank == 1 || axis == 1 else {
            throw LRPError(.unsupported, "\(context): Flatten with axis \(axis) is not supported; axis 1 keeps the batch")
        }
        return .layer(Flatten(), inputs: [input])
    }

    /// The first target dimension is the batch; the rest, with `0` (copy) and `-1` (infer) resolved, is
    /// the per-sample shape.
    private func reshape() throws -> ONNXConversion {
        let input = try computed(0)
        let target = try constantInput(1, "shape").integers.map(Int.init)
        let inputShape = shape(of: input)
        let allowZero = try attributes.int("allowzero", default: 0) != 0
        guard let batch = target.first, batch == -1 || batch == 0 && !allowZero || batch > 0 else {
            throw LRPError(.unsupported, "\(context): target shape \(describe(target)) does not keep the batch dimension first")
        }
        let perSample = inputShape.dropFirst().reduce(1, *)   // the importer keeps shapes within Tensor.maximumElementCount
        var sample = try target.dropFirst().enumerated().map { index, dimension -> Int in
            if dimension == 0 && !allowZero {
                guard index + 1 < inputShape.count else { throw LRPError(.input, "\(context): target \(describe(target)) copies a dimension the input lacks") }
                return inputShape[index + 1]
            }
            guard dimension > 0 || dimension == -1 else { throw LRPError(.input, "\(context): invalid target shape \(describe(target))") }
            return dimension
        }
        if let unknown = sample.firstIndex(of: -1) {
            let known = try? Tensor.elementCount(of: sample.filter { $0 != -1 })
            guard sample.filter({ $0 == -1 }).count == 1, let known, known > 0, perSample % known == 0 else {
                throw LRPError(.input, "\(context): cannot reshape \(describe(inputShape)) to \(describe(target))")
            }
            sample[unknown] = perSample / known
        }
        return .layer(try wrap { try Reshape(sampleShape: sample) }, inputs: [input])
    }

    private func droppedSoftmax() throws -> ONNXConversion {
        let input = try computed(0)
        guard importer.proto.graph.output.contains(where: { $0.name == node.output[0] }) else {
            throw LRPError(.unsupported, "\(context): \(node.opType) is supported only as the model's final operation")
        }
        return .alias(input, note: "final \(node.opType) '\(printable(node.name))' dropped: the model outputs logits")
    }

    private func constant() throws -> ONNXConstant {
        if let tensor = attributes.tensor("value") {
            return try importer.decoder.decode(tensor, what: "constant '\(printable(node.output[0]))'")
        }
        if attributes.has("value_float") { return ONNXConstant(shape: [], floats: [attributes.float("value_float", default: 0)], integers: []) }
        if let floats = attributes.floats("value_floats") { return ONNXConstant(shape: [floats.count], floats: floats, integers: []) }
        if attributes.has("value_int") {
            return ONNXConstant(shape: [], floats: [], integers: [Int64(try attributes.int("value_int", default: 0))])
        }
        if let ints = try attributes.ints("value_ints") { return ONNXConstant(shape: [ints.count], floats: [], integers: ints.map(Int64.init)) }
        throw LRPError(.unsupported, "\(context): only tensor, float and int constants are supported")
    }

    // MARK: Attributes

    private func pair(_ name: String) throws -> Size2D {
        guard let values = try attributes.ints(name) else { return Size2D(1) }
        guard values.count == 2 else { throw LRPError(.unsupported, "\(context): '\(printable(name))' \(describe(values)) is not 2-D") }
        return Size2D(values[0], values[1])
    }

    private func kernelShape() throws -> Size2D {
        guard let values = try attributes.ints("kernel_shape"), values.count == 2 else {
            throw LRPError(.input, "\(context): needs a 2-D kernel_shape")
        }
        return Size2D(values[0], values[1])
    }

    /// Explicit `pads` (`[top, left, bottom, right]`) or the padding `auto_pad` implies for this input.
    private func padding(kernel: Size2D, stride: Size2D, dilation: Size2D, input: [Int]) throws -> Padding2D {
        switch attributes.string("auto_pad", default: "NOTSET") {
        case "NOTSET":
            guard let pads = try attributes.ints("pads") else { return .zero }
            guard pads.count == 4 else { throw LRPError(.unsupported, "\(context): pads \(describe(pads)) is not 2-D") }
            return Padding2D(top: pads[0], left: pads[1], bottom: pads[2], right: pads[3])
        case "VALID":
            return .zero
        case let mode where mode == "SAME_UPPER" || mode == "SAME_LOWER":
            guard input.count == 4 else { throw LRPError(.input, "\(context): auto_pad needs a 4-D input") }
            func split(_ size: Int, _ kernel: Int, _ stride: Int, _ dilation: Int) -> (Int, Int) {
                let output = (size + stride - 1) / stride
                let total = max(0, (output - 1) * stride + dilation * (kernel - 1) + 1 - size)
                return mode == "SAME_UPPER" ? (total / 2, total - total / 2) : (total - total / 2, total / 2)
            }
            let vertical = split(input[2], kernel.height, stride.height, dilation.height)
            let horizontal = split(input[3], kernel.width, stride.width, dilation.width)
            return Padding2D(top: vertical.0, left: horizontal.0, bottom: vertical.1, right: horizontal.1)
        case let mode:
            throw LRPError(.unsupported, "\(context): auto_pad '\(printable(mode))' is not supported")
        }
    }

    /// With `ceil_mode = 1` the output size rounds up, as PyTorch's: the last window may run past the input
    /// but must start inside it or its leading padding. That is floor mode with extra padding at the bottom
    /// and right, which a max pooling never picks and an average pooling without `count_include_pad` never
    /// counts. Returns the padding and whether it grew.
    private func ceilModePadding(_ padding: Padding2D, kernel: Size2D, stride: Size2D, dilation: Size2D, input: [Int]) throws -> (padding: Padding2D, extended: Bool) {
        guard try attributes.int("ceil_mode", default: 0) != 0 else { return (padding, false) }
        guard input.count == 4 else { throw LRPError(.unsupported, "\(context): expects a 4-D input, got \(describe(input))") }
        let window = try wrap { try SlidingWindow(layer: node.opType, kernel: kernel, stride: stride, dilation: dilation, padding: padding) }
        func extra(_ size: Int, _ before: Int, _ after: Int, _ extent: Int, _ stride: Int) -> Int {
            let span = size + before + after - extent
            guard span >= 0 else { return 0 }
            var outputs = (span + stride - 1) / stride + 1
            if (outputs - 1) * stride >= size + before { outputs -= 1 }
            return max(0, (outputs - 1) * stride + extent - (size + before + after))
        }
        let bottom = extra(input[2], padding.top, padding.bottom, window.extent.height, stride.height)
        let right = extra(input[3], padding.left, padding.right, window.extent.width, stride.width)
        let extended = Padding2D(top: padding.top, left: padding.left, bottom: padding.bottom + bottom, right: padding.right + right)
        return (extended, bottom + right > 0)
    }

    // MARK: Helpers

    private func transposed(_ matrix: Tensor) throws -> Tensor {
        let (rows, columns) = (matrix.shape[0], matrix.shape[1])
        return try Tensor(shape: [columns, rows], scalars: (0 ..< rows * columns).map { index in
            matrix[(index % rows) * columns + index / rows]
        })
    }

    /// Runs a layer constructor, putting the node's name in front of its error; a parameter the layer
    /// rejects is bad input in the file.
    func wrap<L>(_ make: () throws -> L) throws -> L {
        do { return try make() } catch let error as LRPError {
            throw LRPError(error.kind == .parameter ? .input : error.kind, "\(context): \(error.message)")
        }
    }
}
