import LRPCore

/// Operators that move values without computing new ones: `Concat`, `Slice`, `Split`, `Pad`. Relevance
/// follows the values back (their gradient).
extension ONNXNodeConverter {
    func concatenation() throws -> ONNXConversion {
        let inputs = try node.input.indices.map { try computed($0) }
        let rank = shape(of: inputs[0]).count
        let axis = try batchFreeAxis(try attributes.int("axis", default: 1), rank: rank)
        return .layer(try wrap { try Concatenation(axis: axis, inputCount: inputs.count) }, inputs: inputs)
    }

    func slice() throws -> ONNXConversion {
        let input = try computed(0)
        let inputShape = shape(of: input)
        let specification = try ONNXSliceRanges(node: node, attributes: attributes, constants: node.input.map { importer.constants[$0] },
                                                opset: importer.opset, context: context)
        guard specification.keepsBatch(rank: inputShape.count) else {
            throw LRPError(.unsupported, "\(context): slicing the batch dimension is not supported")
        }
        let ranges = try specification.ranges(for: inputShape)
        return .layer(try wrap { try Slice(inputSampleShape: Array(inputShape.dropFirst()), ranges: Array(ranges.dropFirst())) }, inputs: [input])
    }

    /// One ``Slice`` per output, in order along the axis.
    func split() throws -> ONNXConversion {
        let input = try computed(0)
        let inputShape = shape(of: input)
        let axis = try batchFreeAxis(try attributes.int("axis", default: 0), rank: inputShape.count)
        let outputs = node.output.count
        var sizes: [Int]
        if importer.opset >= 13, let given = try optionalConstant(1, "split") {
            sizes = given.integers.map { Int(clamping: $0) }
        } else if importer.opset < 13, let given = try attributes.ints("split") {
            sizes = given
        } else {
            let size = inputShape[axis]
            let part = (size + outputs - 1) / outputs   // operator set 18's num_outputs: the last part may be smaller
            sizes = (0 ..< outputs).map { min(part, max(0, size - $0 * part)) }
        }
        guard sizes.count == outputs, sizes.allSatisfy({ $0 > 0 }), sizes.reduce(0, +) == inputShape[axis] else {
            throw LRPError(.input, "\(context): parts \(describe(sizes)) do not split \(inputShape[axis]) into \(outputs) outputs")
        }
        var start = 0
        return .layers(try sizes.map { size in
            defer { start += size }
            var ranges = inputShape.dropFirst().map { Slice.AxisRange(start: 0, step: 1, count: $0) }
            ranges[axis - 1] = Slice.AxisRange(start: start, step: 1, count: size)
            return (try wrap { try Slice(inputSampleShape: Array(inputShape.dropFirst()), ranges: ranges) }, inputs: [input])
        })
    }

    /// `Pad` in `constant` mode, pads from the second input (operator set 11 on) or the attribute, on all
    /// axes or those the fourth input names (operator set 18).
    func pad() throws -> ONNXConversion {
        let input = try computed(0)
        let rank = shape(of: input).count
        guard attributes.string("mode", default: "constant") == "constant" else {
            throw LRPError(.unsupported, "\(context): only constant padding is supported, not '\(printable(attributes.string("mode", default: "")))'")
        }
        let pads: [Int]
        var value: Float = 0
        var axes = Array(0 ..< rank)
        if importer.opset < 11 {
            pads = try attributes.ints("pads") ?? []
            value = attributes.float("value", default: 0)
        } else {
            pads = try constantInput(1, "pads").integers.map { Int(clamping: $0) }
            if let constant = try optionalConstant(2, "constant value") { value = Float(constant.doubles.first ?? 0) }
            if let given = try optionalConstant(3, "axes") {
                axes = try given.integers.map { try batchAxis(Int(clamping: $0), rank: rank) }
            }
        }
        guard pads.count == 2 * axes.count else { throw LRPError(.input, "\(context): \(pads.count) pads for \(axes.count) axes") }
        var before = [Int](repeating: 0, count: rank), after = [Int](repeating: 0, count: rank)
        for (index, axis) in axes.enumerated() { (before[axis], after[axis]) = (pads[index], pads[index + axes.count]) }
        guard before[0] == 0, after[0] == 0 else { throw LRPError(.unsupported, "\(context): padding the batch dimension is not supported") }
        guard (before + after).allSatisfy({ $0 >= 0 }) else { throw LRPError(.unsupported, "\(context): negative pads (cropping) are not supported") }
        return .layer(try wrap { try ConstantPad(before: Array(before.dropFirst()), after: Array(after.dropFirst()), value: value) }, inputs: [input])
    }

    /// `Squeeze` and `Unsqueeze` of a computed tensor: a reshape that keeps the batch first. (Of constants
    /// they are folded.)
    func squeezeOrUnsqueeze() throws -> ONNXConversion {
        let input = try computed(0)
        let inputShape = shape(of: input)
        let folding = ONNXConstantFolding(node: node, importer: importer, context: context, attributes: attributes)
        let axes = try folding.axes(node.input.map { importer.constants[$0] }, attributeBefore: 13)
        var shape: [Int]
        if node.opType == "Unsqueeze" {
            shape = try ONNXConstantFolding.unsqueezed(inputShape, axes: axes ?? [], context: context)
            guard shape.first == inputShape.first, !(axes ?? []).contains(where: { $0 == 0 || $0 == -shape.count }) else {
                throw LRPError(.unsupported, "\(context): inserting an axis before the batch is not supported")
            }
        } else {
            // without axes every 1 goes, but never the batch (of size 1 only in the import's shapes)
            shape = try ONNXConstantFolding.squeezed(inputShape, axes: axes ?? inputShape.indices.dropFirst().filter { inputShape[$0] == 1 }, context: context)
            guard !(axes ?? []).contains(where: { $0 == 0 || $0 == -inputShape.count }) else {
                throw LRPError(.unsupported, "\(context): removing the batch axis is not supported")
            }
        }
        return .layer(try wrap { try Reshape(sampleShape: Array(shape.dropFirst())) }, inputs: [input])
    }

    /// `axis` counted from the front (negative from the back) of a rank-`rank` tensor.
    private func batchAxis(_ axis: Int, rank: Int) throws -> Int {
        guard (-rank ..< rank).contains(axis) else { throw LRPError(.input, "\(context): axis \(axis) is out of range for rank \(rank)") }
        return axis < 0 ? axis + rank : axis
    }

    /// An axis after the batch.
    private func batchFreeAxis(_ axis: Int, rank: Int) throws -> Int {
        let normalized = try batchAxis(axis, rank: rank)
        guard normalized >= 1 else { throw LRPError(.unsupported, "\(context): operating along the batch dimension is not supported") }
        return normalized
    }
}
