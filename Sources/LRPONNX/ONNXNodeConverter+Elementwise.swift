import LRPCore

/// Element-wise operators: arithmetic between computed tensors and constants, activations, and layer
/// normalization.
extension ONNXNodeConverter {
    /// `Add`, `Sub`, `Mul`, `Div`. Two computed tensors make a residual sum or difference, or a gated
    /// product; a constant added to the output of a dense or convolution layer (that nothing else reads)
    /// joins its bias; any other constant operand makes a ``ScaleShift``.
    func arithmetic() throws -> ONNXConversion {
        guard node.input.count == 2 else { throw LRPError(.input, "\(context): takes 2 inputs, has \(node.input.count)") }
        let type = node.opType
        let constantSides = node.input.map { importer.constants[$0] != nil }
        guard constantSides.contains(true) else {
            let inputs = [try computed(0), try computed(1)]
            if type == "Add" || type == "Sub" { return .layer(Addition(subtracting: type == "Sub"), inputs: inputs) }
            let gate = try gateInput(of: inputs)
            return .layer(try wrap { try Multiplication(gateInput: gate, dividing: type == "Div") }, inputs: inputs)
        }
        let dataSide = constantSides[0] ? 1 : 0
        let data = try computed(dataSide)
        let constant = try importer.constants[node.input[1 - dataSide]]!.tensor()
        if type == "Add" || type == "Sub" && dataSide == 0, let bias = try joinableBias(type == "Sub" ? constant.mapped { -$0 } : constant, of: dataSide, data: data) {
            return .bias(bias, producer: data)
        }
        let layer: ScaleShift
        switch (type, dataSide) {
        case ("Add", _): layer = try wrap { try ScaleShift(operatorName: type, scale: nil, shift: constant) }
        case ("Sub", 0): layer = try wrap { try ScaleShift(operatorName: type, scale: nil, shift: constant.mapped { -$0 }) }
        case ("Sub", _): layer = try wrap { try ScaleShift(operatorName: type, scale: try Tensor(shape: [], scalars: [-1]), shift: constant) }
        case ("Mul", _): layer = try wrap { try ScaleShift(operatorName: type, scale: constant, shift: nil) }
        case ("Div", 0): layer = try wrap { try ScaleShift(operatorName: type, scale: constant.mapped { 1 / $0 }, shift: nil) }
        default: throw LRPError(.unsupported, "\(context): dividing a constant by a computed tensor is not supported")
        }
        return .layer(layer, inputs: [data])
    }

    /// A constant that varies only along the output axis of the dense or convolution layer producing
    /// `data`, as one bias value per output.
    private func joinableBias(_ constant: Tensor, of dataSide: Int, data: String) throws -> [Float]? {
        guard let linear = importer.linearProducer(of: data, readers: importer.consumers[node.input[dataSide], default: 0]) else { return nil }
        let rank = shape(of: data).count
        let shift = try ScaleShift(operatorName: node.opType, scale: nil, shift: constant)
        return shift.perChannel(axis: linear.outputAxis(rank: rank), rank: rank, channels: linear.weight.shape[0])?.shift
    }

    /// The gate of a product of two computed tensors: the one with fewer elements (broadcast over the other,
    /// a squeeze-and-excitation gate), else the one a sigmoid produced (SiLU's `x · σ(x)`).
    private func gateInput(of inputs: [String]) throws -> Int {
        let counts = inputs.map { shape(of: $0).reduce(1, *) }
        if counts[0] != counts[1] { return counts[0] < counts[1] ? 0 : 1 }
        let gates = inputs.map { name in (importer.nodes.last { $0.output == name }?.layer as? PointwiseActivation)?.isGate == true }
        if gates[0] != gates[1] { return gates[0] ? 0 : 1 }
        throw LRPError(.unsupported, "\(context): a product of two computed tensors needs a gate (a smaller, broadcast factor or a Sigmoid/HardSigmoid output), and neither factor is one")
    }

    func activation() throws -> ONNXConversion {
        let input = try computed(0)
        let function: PointwiseActivation.Function
        switch node.opType {
        case "Clip": function = try clipBounds()
        case "Sigmoid": function = .sigmoid
        case "HardSigmoid": function = .hardSigmoid(alpha: attributes.float("alpha", default: 0.2), beta: attributes.float("beta", default: 0.5))
        case "HardSwish": function = .hardSwish
        case "Tanh": function = .tanh
        case "Erf": function = .erf
        case "LeakyRelu": function = .leakyReLU(alpha: attributes.float("alpha", default: 0.01))
        default:
            guard attributes.string("approximate", default: "none") == "none" else {
                throw LRPError(.unsupported, "\(context): only the exact GELU (approximate = 'none') is supported")
            }
            function = .gelu
        }
        return .layer(PointwiseActivation(function), inputs: [input])
    }

    /// `Clip`'s bounds: constant inputs from operator set 11, attributes before; a missing one is unbounded.
    private func clipBounds() throws -> PointwiseActivation.Function {
        func bound(_ index: Int, _ name: String, _ unbounded: Float) throws -> Float {
            if importer.opset < 11 { return attributes.float(name, default: unbounded) }
            guard let value = try optionalConstant(index, name) else { return unbounded }
            guard value.count == 1 else { throw LRPError(.input, "\(context): the \(name) must be one value") }
            return Float(value.doubles[0])
        }
        let (low, high) = (try bound(1, "min", -.infinity), try bound(2, "max", .infinity))
        guard low <= high else { throw LRPError(.input, "\(context): min \(low) is above max \(high)") }
        return .clip(min: low, max: high)
    }

    func layerNormalization() throws -> ONNXConversion {
        let input = try computed(0)
        let rank = shape(of: input).count
        let rawAxis = try attributes.int("axis", default: -1)
        guard (-rank ..< rank).contains(rawAxis), (rawAxis + rank) % rank >= 1 else {
            throw LRPError(.unsupported, "\(context): axis \(rawAxis) must lie after the batch")
        }
        let axis = (rawAxis + rank) % rank
        let normalized = Array(shape(of: input)[axis...])
        func expanded(_ constant: Tensor) throws -> Tensor {
            let broadcast = try Broadcast(normalized, constant.shape, operation: context)
            guard broadcast.outputShape == normalized else {
                throw LRPError(.input, "\(context): \(describe(constant.shape)) does not broadcast to the normalized \(describe(normalized))")
            }
            return broadcast.combine(Tensor(zerosWithValidShape: normalized), constant) { $1 }
        }
        // a decomposed normalization without γ (fused by ONNXPatterns) names no scale: γ = 1
        let scale = try optionalConstant(1, "scale").map { try expanded(try $0.tensor()) } ?? Tensor(zerosWithValidShape: normalized).mapped { _ in 1 }
        let bias = try optionalConstant(2, "bias").map { try expanded(try $0.tensor()) }
        let layer = try wrap {
            try LayerNormalization(axis: axis, scale: scale.reshaped(to: [scale.count]), bias: bias?.reshaped(to: [scale.count]),
                                   epsilon: attributes.float("epsilon", default: 1e-5))
        }
        return .layer(layer, inputs: [input])
    }
}
