import LRPCore

/// The ranges an ONNX `Slice` node takes along each axis of a given shape: `starts`, `ends`, `axes` and
/// `steps` from the inputs (operator set 10 on) or the attributes (before), with negative indices counted
/// from the end and out-of-range ones clamped as the operator's specification says.
struct ONNXSliceRanges {
    let starts: [Int64], ends: [Int64], axes: [Int64]?, steps: [Int64]?
    let context: String

    /// - Parameter constants: the node's inputs where they are constants (`nil` for computed ones).
    init(node: Onnx_NodeProto, attributes: ONNXAttributes, constants: [ONNXConstant?], opset: Int, context: String) throws {
        self.context = context
        if opset < 10 {
            starts = try attributes.ints("starts").map { $0.map(Int64.init) } ?? []
            ends = try attributes.ints("ends").map { $0.map(Int64.init) } ?? []
            axes = try attributes.ints("axes").map { $0.map(Int64.init) }
            steps = nil
            return
        }
        func constant(_ index: Int, _ role: String) throws -> [Int64]? {
            guard index < node.input.count, !node.input[index].isEmpty else { return nil }
            guard index < constants.count, let value = constants[index], value.isInteger else {
                throw LRPError(.unsupported, "\(context): the \(role) must be integer constants")
            }
            return value.integers
        }
        guard let starts = try constant(1, "starts"), let ends = try constant(2, "ends") else {
            throw LRPError(.input, "\(context): needs starts and ends")
        }
        (self.starts, self.ends, axes, steps) = (starts, ends, try constant(3, "axes"), try constant(4, "steps"))
    }

    /// One range per axis of `shape`; axes the node does not name are taken whole.
    func ranges(for shape: [Int]) throws -> [Slice.AxisRange] {
        let rank = shape.count
        let axes = self.axes ?? (0 ..< Int64(starts.count)).map { $0 }
        let steps = self.steps ?? [Int64](repeating: 1, count: starts.count)
        guard starts.count == ends.count, axes.count == starts.count, steps.count == starts.count else {
            throw LRPError(.input, "\(context): starts, ends, axes and steps differ in length")
        }
        var ranges = shape.map { Slice.AxisRange(start: 0, step: 1, count: $0) }
        var seen = Set<Int>()
        for (index, rawAxis) in axes.enumerated() {
            guard (-Int64(rank) ..< Int64(rank)).contains(rawAxis) else { throw LRPError(.input, "\(context): axis \(rawAxis) is out of range for rank \(rank)") }
            let axis = Int(rawAxis < 0 ? rawAxis + Int64(rank) : rawAxis)
            guard seen.insert(axis).inserted else { throw LRPError(.input, "\(context): axis \(axis) is sliced twice") }
            let step = steps[index], size = Int64(shape[axis])
            guard step != 0, step.magnitude <= UInt64(Int32.max) else { throw LRPError(.input, "\(context): step \(step) is not supported") }
            func position(_ value: Int64, _ low: Int64, _ high: Int64) -> Int64 {
                min(max(value < 0 ? value &+ size : value, low), high)   // value < 0 plus a size ≤ 2³¹ cannot overflow
            }
            let start = step > 0 ? position(starts[index], 0, size) : position(starts[index], 0, size - 1)
            let end = step > 0 ? position(ends[index], 0, size) : position(ends[index], -1, size - 1)
            let count = step > 0 ? max(0, (end - start + step - 1) / step) : max(0, (start - end + (-step) - 1) / (-step))
            ranges[axis] = Slice.AxisRange(start: Int(start), step: Int(step), count: Int(count))
        }
        return ranges
    }
}

extension ONNXSliceRanges {
    /// Whether the node leaves the batch dimension whole: it names axis 0 not at all, or from 0 to the end
    /// in steps of 1.
    func keepsBatch(rank: Int) -> Bool {
        let axes = self.axes ?? (0 ..< Int64(starts.count)).map { $0 }
        guard let index = axes.firstIndex(where: { $0 == 0 || $0 == -Int64(rank) }) else { return true }
        return starts[index] == 0 && ends[index] >= Int64(Int32.max) && (steps?[index] ?? 1) == 1
    }
}
