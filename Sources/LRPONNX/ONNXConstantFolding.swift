import LRPCore

/// Evaluates at import time the nodes whose inputs are all known: the shape computations exporters write
/// around reshapes and pads (`Shape`, `Gather`, `Unsqueeze`, `Concat`, `Cast`, `ConstantOfShape`, `Range`,
/// arithmetic, …). `Shape` of a computed tensor is its shape for a batch of one: the batch is the only
/// dynamic dimension, and a reshape target that starts with it keeps the batch as its first dimension.
struct ONNXConstantFolding {
    let node: Onnx_NodeProto
    let importer: ONNXGraphImporter
    let context: String
    let attributes: ONNXAttributes

    /// The operators folded when their inputs are known.
    static let operators: Set<String> = [
        "Shape", "Size", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast", "ConstantOfShape", "Range", "Slice",
        "Reshape", "Transpose", "Expand", "Add", "Sub", "Mul", "Div", "Neg", "Abs", "Sqrt", "Floor", "Ceil",
        "Equal", "Less", "Greater", "Not", "Where", "Min", "Max",
    ]

    /// The most elements a folded value may have: shape computations are small, and a file must not make
    /// the import allocate what it likes.
    static let maximumElementCount = 1 << 24

    /// The node's value, or `nil` when it reads a computed tensor (other than through `Shape` or `Size`).
    func value() throws -> ONNXConstant? {
        guard ONNXConstantFolding.operators.contains(node.opType) else { return nil }
        let inputs = node.input.map { $0.isEmpty ? nil : importer.constants[$0] }
        if node.opType == "Shape" || node.opType == "Size" {
            guard let name = node.input.first, !name.isEmpty else { throw LRPError(.input, "\(context): input 0 is missing") }
            let shape = importer.constants[name]?.shape ?? importer.shapes[importer.resolve(name)] ?? []
            return node.opType == "Size" ? .integers([Int64(shape.reduce(1, *))], shape: []) : try shapeSlice(shape)
        }
        guard zip(node.input, inputs).allSatisfy({ $0.0.isEmpty || $0.1 != nil }), let first = inputs.first ?? nil else { return nil }
        let result = try evaluate(first, inputs)
        guard result.count <= ONNXConstantFolding.maximumElementCount else {
            throw LRPError(.unsupported, "\(context): the folded value \(describe(result.shape)) has more than \(ONNXConstantFolding.maximumElementCount) elements")
        }
        return result
    }

    private func evaluate(_ first: ONNXConstant, _ inputs: [ONNXConstant?]) throws -> ONNXConstant {
        switch node.opType {
        case "Gather": return try gather(first, indices: try input(inputs, 1))
        case "Unsqueeze": return try unsqueeze(first, axes: try axes(inputs, attributeBefore: 13) ?? [])
        case "Squeeze": return try squeeze(first, axes: try axes(inputs, attributeBefore: 13))
        case "Concat": return try concatenate(inputs.compactMap { $0 }, axis: try attributes.int("axis", default: 0))
        case "Cast": return try cast(first)
        case "ConstantOfShape": return try constantOfShape(first)
        case "Range": return try range(first, try input(inputs, 1), try input(inputs, 2))
        case "Slice": return try slice(first, inputs)
        case "Reshape": return try reshape(first, try input(inputs, 1))
        case "Transpose": return try transpose(first)
        case "Expand": return try expand(first, shape: try input(inputs, 1))
        case "Where": return try select(first, try input(inputs, 1), try input(inputs, 2))
        case "Neg", "Abs", "Sqrt", "Floor", "Ceil", "Not": return try unary(first)
        default: return try binary(first, try input(inputs, 1))
        }
    }

    private func input(_ inputs: [ONNXConstant?], _ index: Int) throws -> ONNXConstant {
        guard index < inputs.count, let value = inputs[index] else { throw LRPError(.input, "\(context): input \(index) is missing") }
        return value
    }

    // MARK: Shapes

    private func shapeSlice(_ shape: [Int]) throws -> ONNXConstant {
        let rank = shape.count
        func clamp(_ value: Int) -> Int { min(max(value < 0 ? value + rank : value, 0), rank) }
        let start = clamp(try attributes.int("start", default: 0)), end = clamp(try attributes.int("end", default: rank))
        let dims = start < end ? Array(shape[start ..< end]) : []
        return .integers(dims.map(Int64.init), shape: [dims.count])
    }

    /// `axes` from the attribute (operator sets before `version`) or the second input.
    func axes(_ inputs: [ONNXConstant?], attributeBefore version: Int) throws -> [Int]? {
        if importer.opset < version { return try attributes.ints("axes") }
        guard inputs.count > 1, let axes = inputs[1] else { return nil }
        return try axes.integers.map { try checked($0, "axis") }
    }

    private func normalized(_ axis: Int, rank: Int) throws -> Int {
        guard (-rank ..< rank).contains(axis) else { throw LRPError(.input, "\(context): axis \(axis) is out of range for rank \(rank)") }
        return axis < 0 ? axis + rank : axis
    }

    private func unsqueeze(_ value: ONNXConstant, axes: [Int]) throws -> ONNXConstant {
        value.reshaped(try ONNXConstantFolding.unsqueezed(value.shape, axes: axes, context: context))
    }

    private func squeeze(_ value: ONNXConstant, axes: [Int]?) throws -> ONNXConstant {
        value.reshaped(try ONNXConstantFolding.squeezed(value.shape, axes: axes, context: context))
    }

    /// `shape` with dimensions of size 1 inserted at `axes` of the result (`Unsqueeze`).
    static func unsqueezed(_ shape: [Int], axes: [Int], context: String) throws -> [Int] {
        let rank = shape.count + axes.count
        let inserted = try Set(axes.map { axis in
            guard (-rank ..< rank).contains(axis) else { throw LRPError(.input, "\(context): axis \(axis) is out of range for rank \(rank)") }
            return axis < 0 ? axis + rank : axis
        })
        guard inserted.count == axes.count else { throw LRPError(.input, "\(context): axes \(describe(axes)) repeat") }
        var remaining = shape.makeIterator()
        return (0 ..< rank).map { inserted.contains($0) ? 1 : remaining.next() ?? 1 }
    }

    /// `shape` without the dimensions at `axes`, all of size 1, or without every 1 when `axes` is `nil` (`Squeeze`).
    static func squeezed(_ shape: [Int], axes: [Int]?, context: String) throws -> [Int] {
        let rank = shape.count
        let removed = try axes.map { axes in
            try Set(axes.map { axis in
                guard (-rank ..< rank).contains(axis) else { throw LRPError(.input, "\(context): axis \(axis) is out of range for rank \(rank)") }
                return axis < 0 ? axis + rank : axis
            })
        } ?? Set(shape.indices.filter { shape[$0] == 1 })
        guard removed.allSatisfy({ shape[$0] == 1 }) else { throw LRPError(.input, "\(context): squeezes an axis whose size is not 1") }
        return shape.indices.filter { !removed.contains($0) }.map { shape[$0] }
    }

    private func reshape(_ value: ONNXConstant, _ target: ONNXConstant) throws -> ONNXConstant {
        var shape = try target.integers.enumerated().map { index, dimension -> Int in
            if dimension == 0, index < value.shape.count { return value.shape[index] }
            return try checked(dimension, "dimension")
        }
        if let unknown = shape.firstIndex(of: -1) {
            let known = shape.filter { $0 != -1 }.reduce(1, *)
            guard known > 0, value.count % known == 0 else { throw LRPError(.input, "\(context): cannot reshape \(describe(value.shape)) to \(describe(shape))") }
            shape[unknown] = value.count / known
        }
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == value.count else {
            throw LRPError(.input, "\(context): cannot reshape \(describe(value.shape)) to \(describe(shape))")
        }
        return value.reshaped(shape)
    }

    private func constantOfShape(_ shapeValue: ONNXConstant) throws -> ONNXConstant {
        let shape = try shapeValue.integers.map { try checked($0, "dimension") }
        guard shape.allSatisfy({ $0 >= 0 }), let count = try? Tensor.elementCount(of: shape),
              count <= ONNXConstantFolding.maximumElementCount else {
            throw LRPError(.unsupported, "\(context): cannot fill a tensor of shape \(describe(shape))")
        }
        let fill = try attributes.tensor("value").map { try importer.decoder.decode($0, what: "the fill value of \(context)") }
            ?? .floats([0], shape: [])
        guard fill.count == 1 else { throw LRPError(.input, "\(context): the fill value must hold one element") }
        return fill.isInteger ? .integers(Array(repeating: fill.integers[0], count: count), shape: shape)
            : .floats(Array(repeating: fill.floats[0], count: count), shape: shape)
    }

    // MARK: Indexing

    private func gather(_ data: ONNXConstant, indices: ONNXConstant) throws -> ONNXConstant {
        guard !data.shape.isEmpty else { throw LRPError(.input, "\(context): gathers from a scalar") }
        let axis = try normalized(try attributes.int("axis", default: 0), rank: data.shape.count)
        let size = data.shape[axis]
        let positions = try indices.integers.map { index -> Int in
            let position = Int(clamping: index < 0 ? index + Int64(size) : index)
            guard (0 ..< size).contains(position) else { throw LRPError(.input, "\(context): index \(index) is out of range for size \(size)") }
            return position
        }
        let shape = Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...])
        try checkSize(shape)
        let outer = data.shape[..<axis].reduce(1, *), inner = data.shape[(axis + 1)...].reduce(1, *)
        let sources = (0 ..< outer).flatMap { row in positions.flatMap { position in (0 ..< inner).map { (row * size + position) * inner + $0 } } }
        return data.picking(sources, shape: shape)
    }

    private func slice(_ data: ONNXConstant, _ inputs: [ONNXConstant?]) throws -> ONNXConstant {
        let rank = data.shape.count
        let ranges = try ONNXSliceRanges(node: node, attributes: attributes, constants: inputs, opset: importer.opset, context: context)
            .ranges(for: data.shape)
        var strides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * data.shape[axis + 1] }
        var sources = [0]
        for axis in 0 ..< rank {
            let range = ranges[axis]
            sources = sources.flatMap { base in (0 ..< range.count).map { base + (range.start + $0 * range.step) * strides[axis] } }
        }
        return data.picking(sources, shape: ranges.map(\.count))
    }

    private func transpose(_ value: ONNXConstant) throws -> ONNXConstant {
        let rank = value.shape.count
        let permutation = try attributes.ints("perm") ?? Array((0 ..< rank).reversed())
        guard permutation.sorted() == Array(0 ..< rank) else { throw LRPError(.input, "\(context): perm \(describe(permutation)) is not a permutation") }
        var strides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * value.shape[axis + 1] }
        var sources = [0]
        for axis in permutation { sources = sources.flatMap { base in (0 ..< value.shape[axis]).map { base + $0 * strides[axis] } } }
        return value.picking(sources, shape: permutation.map { value.shape[$0] })
    }

    private func expand(_ value: ONNXConstant, shape target: ONNXConstant) throws -> ONNXConstant {
        let shape = try target.integers.map { try checked($0, "dimension") }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw LRPError(.input, "\(context): invalid shape \(describe(shape))") }
        let broadcast = try Broadcast(value.shape, shape, operation: context)
        try checkSize(broadcast.outputShape)
        var sources: [Int] = []
        broadcast.forEachElement { _, index, _ in sources.append(index) }
        return value.picking(sources, shape: broadcast.outputShape)
    }

    private func concatenate(_ parts: [ONNXConstant], axis: Int) throws -> ONNXConstant {
        guard let first = parts.first else { throw LRPError(.input, "\(context): has no inputs") }
        let rank = first.shape.count
        let axis = try normalized(axis, rank: rank)
        guard parts.allSatisfy({ $0.shape.count == rank && $0.isInteger == first.isInteger }) else {
            throw LRPError(.input, "\(context): joins constants of different ranks or types")
        }
        let outer = first.shape[..<axis].reduce(1, *)
        var shape = first.shape
        shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        let blocks = parts.map { $0.count / max(outer, 1) }
        func joined<T>(_ values: (ONNXConstant) -> [T]) -> [T] {
            (0 ..< outer).flatMap { row in zip(parts, blocks).flatMap { part, block in values(part)[row * block ..< (row + 1) * block] } }
        }
        return first.isInteger ? .integers(joined(\.integers), shape: shape) : .floats(joined(\.floats), shape: shape)
    }

    // MARK: Arithmetic

    private func cast(_ value: ONNXConstant) throws -> ONNXConstant {
        switch try attributes.int("to", default: 1) {
        case 1, 10, 11, 16: return .floats(value.isInteger ? value.integers.map(Float.init) : value.floats, shape: value.shape)
        case 2, 3, 4, 5, 6, 7, 9, 12, 13:
            return .integers(value.isInteger ? value.integers : value.floats.map(ONNXConstant.saturatingInteger), shape: value.shape)
        case let type: throw LRPError(.unsupported, "\(context): cast to ONNX data type \(type) is not supported")
        }
    }

    private func range(_ start: ONNXConstant, _ limit: ONNXConstant, _ delta: ONNXConstant) throws -> ONNXConstant {
        let (first, end, step) = (start.doubles.first ?? 0, limit.doubles.first ?? 0, delta.doubles.first ?? 0)
        let count = step == 0 ? -1 : max(0, ((end - first) / step).rounded(.up))
        guard count.isFinite, count >= 0, count <= Double(ONNXConstantFolding.maximumElementCount) else {
            throw LRPError(.unsupported, "\(context): a range from \(first) to \(end) in steps of \(step) is not supported")
        }
        guard start.isInteger, let origin = start.integers.first, let increment = delta.integers.first else {
            return .floats((0 ..< Int(count)).map { Float(first + Double($0) * step) }, shape: [Int(count)])
        }
        let operation = try integerOperation(for: "Add")
        var values: [Int64] = []
        var value = origin
        for _ in 0 ..< Int(count) {
            values.append(value)
            value = try operation(value, increment)
        }
        return .integers(values, shape: [values.count])
    }

    private func unary(_ value: ONNXConstant) throws -> ONNXConstant {
        switch node.opType {
        case "Neg": return value.isInteger ? .integers(value.integers.map { 0 &- $0 }, shape: value.shape) : .floats(value.floats.map { -$0 }, shape: value.shape)
        case "Abs": return value.isInteger ? .integers(value.integers.map { $0 == .min ? .max : abs($0) }, shape: value.shape) : .floats(value.floats.map(abs), shape: value.shape)
        case "Not": return .integers(value.integers.map { $0 == 0 ? 1 : 0 }, shape: value.shape)
        default:
            let transform: (Float) -> Float = node.opType == "Sqrt" ? { $0.squareRoot() } : node.opType == "Floor" ? { $0.rounded(.down) } : { $0.rounded(.up) }
            return value.isInteger ? value : .floats(value.floats.map(transform), shape: value.shape)
        }
    }

    private func binary(_ a: ONNXConstant, _ b: ONNXConstant) throws -> ONNXConstant {
        let broadcast = try Broadcast(a.shape, b.shape, operation: context)
        try checkSize(broadcast.outputShape)
        let shape = broadcast.outputShape
        if a.isInteger && b.isInteger {
            let operation = try integerOperation(for: node.opType)
            var values: [Int64] = []
            var failure: LRPError?
            broadcast.forEachElement { _, i, j in
                guard failure == nil else { return }
                do { values.append(try operation(a.integers[i], b.integers[j])) } catch let error as LRPError { failure = error } catch {}
            }
            if let failure { throw failure }
            return .integers(values, shape: shape)
        }
        let (x, y) = (a.isInteger ? a.integers.map(Float.init) : a.floats, b.isInteger ? b.integers.map(Float.init) : b.floats)
        let comparison = ["Equal", "Less", "Greater"].contains(node.opType)
        var values: [Float] = []
        broadcast.forEachElement { _, i, j in values.append(floatOperation(x[i], y[j])) }
        return comparison ? .integers(values.map { Int64($0) }, shape: shape) : .floats(values, shape: shape)
    }

    private func integerOperation(for operator: String) throws -> (Int64, Int64) throws -> Int64 {
        let context = self.context
        func overflowChecked(_ result: (partialValue: Int64, overflow: Bool)) throws -> Int64 {
            guard !result.overflow else { throw LRPError(.input, "\(context): integer overflow") }
            return result.partialValue
        }
        switch `operator` {
        case "Add": return { try overflowChecked($0.addingReportingOverflow($1)) }
        case "Sub": return { try overflowChecked($0.subtractingReportingOverflow($1)) }
        case "Mul": return { try overflowChecked($0.multipliedReportingOverflow(by: $1)) }
        case "Div":
            return { a, b in
                guard b != 0 else { throw LRPError(.input, "\(context): integer division by zero") }
                return try overflowChecked(a.dividedReportingOverflow(by: b))
            }
        case "Min": return { min($0, $1) }
        case "Max": return { max($0, $1) }
        case "Equal": return { $0 == $1 ? 1 : 0 }
        case "Less": return { $0 < $1 ? 1 : 0 }
        default: return { $0 > $1 ? 1 : 0 }
        }
    }

    private func floatOperation(_ a: Float, _ b: Float) -> Float {
        switch node.opType {
        case "Add": a + b
        case "Sub": a - b
        case "Mul": a * b
        case "Div": a / b
        case "Min": min(a, b)
        case "Max": max(a, b)
        case "Equal": a == b ? 1 : 0
        case "Less": a < b ? 1 : 0
        default: a > b ? 1 : 0
        }
    }

    private func select(_ condition: ONNXConstant, _ a: ONNXConstant, _ b: ONNXConstant) throws -> ONNXConstant {
        let pair = try Broadcast(a.shape, b.shape, operation: context)
        let whole = try Broadcast(condition.shape, pair.outputShape, operation: context)
        try checkSize(whole.outputShape)
        let chosen = try expandTo(whole.outputShape, a), other = try expandTo(whole.outputShape, b), test = try expandTo(whole.outputShape, condition)
        guard a.isInteger == b.isInteger else { throw LRPError(.input, "\(context): selects between values of different types") }
        let keep = test.isInteger ? test.integers.map { $0 != 0 } : test.floats.map { $0 != 0 }
        return a.isInteger ? .integers(zip(keep.indices, keep).map { $1 ? chosen.integers[$0] : other.integers[$0] }, shape: whole.outputShape)
            : .floats(zip(keep.indices, keep).map { $1 ? chosen.floats[$0] : other.floats[$0] }, shape: whole.outputShape)
    }

    private func expandTo(_ shape: [Int], _ value: ONNXConstant) throws -> ONNXConstant {
        let broadcast = try Broadcast(value.shape, shape, operation: context)
        var sources: [Int] = []
        broadcast.forEachElement { _, index, _ in sources.append(index) }
        return value.picking(sources, shape: shape)
    }

    private func checkSize(_ shape: [Int]) throws {
        guard let count = try? Tensor.elementCount(of: shape), count <= ONNXConstantFolding.maximumElementCount else {
            throw LRPError(.unsupported, "\(context): the folded value \(describe(shape)) has more than \(ONNXConstantFolding.maximumElementCount) elements")
        }
    }

    private func checked(_ value: Int64, _ what: String) throws -> Int {
        guard value.magnitude <= UInt64(Int32.max) else { throw LRPError(.input, "\(context): \(what) \(value) is out of range") }
        return Int(value)
    }
}
