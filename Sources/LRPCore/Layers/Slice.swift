/// Takes every `step`-th element from `start` along each axis after the batch (ONNX `Slice`, and each
/// output of `Split`): the strided subsampling of a ResNet's option-A shortcut, ShuffleNet's channel halves.
/// Relevance goes back to the elements it took; the others get none (the gradient).
///
/// ```swift
/// // x[:, :, ::2, ::2] of a [N, 16, 32, 32] input
/// let subsample = try Slice(inputSampleShape: [16, 32, 32],
///                           ranges: [.init(start: 0, step: 1, count: 16), .init(start: 0, step: 2, count: 16),
///                                    .init(start: 0, step: 2, count: 16)])
/// ```
public struct Slice: UnaryLayer {
    /// The elements `start, start + step, …` (`count` of them) of one axis; `step` may be negative.
    public struct AxisRange: Sendable, Hashable {
        public let start: Int, step: Int, count: Int
        public init(start: Int, step: Int, count: Int) { (self.start, self.step, self.count) = (start, step, count) }
    }

    /// The shape of one input sample the ranges refer to.
    public let inputSampleShape: [Int]
    /// One range per axis of a sample.
    public let ranges: [AxisRange]

    /// - Throws: `LRPError` unless there is one range per axis, each with a non-zero step and a positive
    ///   count, lying inside the axis.
    public init(inputSampleShape: [Int], ranges: [AxisRange]) throws {
        guard ranges.count == inputSampleShape.count else {
            throw LRPError(.parameter, "Slice: \(ranges.count) ranges for an input sample of shape \(describe(inputSampleShape))")
        }
        for (axis, (range, size)) in zip(ranges, inputSampleShape).enumerated() {
            let (last, overflow) = range.step.multipliedReportingOverflow(by: range.count - 1)
            guard range.step != 0, range.count > 0, !overflow, (0 ..< size).contains(range.start),
                  (0 ..< size).contains(range.start + last) else {
                throw LRPError(.parameter, "Slice: axis \(axis + 1) of size \(size) has no \(range.count) elements from \(range.start) in steps of \(range.step)")
            }
        }
        (self.inputSampleShape, self.ranges) = (inputSampleShape, ranges)
    }

    public var operatorName: String { "Slice" }
    public var summary: String { describe(inputSampleShape) + " → " + describe(ranges.map(\.count)) }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard let batch = inputShape.first, batch > 0, Array(inputShape.dropFirst()) == inputSampleShape else {
            throw LRPError(.shape, "Slice: expects an input [N] + \(describe(inputSampleShape)), got \(describe(inputShape))")
        }
        return [batch] + ranges.map(\.count)
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        try region(input.shape).gather(from: input)
    }

    public func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor {
        var gradInput = Tensor(zerosWithValidShape: input.shape)
        try region(input.shape).scatter(gradOutput, into: &gradInput)
        return gradInput
    }

    private func region(_ inputShape: [Int]) throws -> StridedRegion {
        StridedRegion(container: inputShape, shape: try outputShape(for: inputShape),
                      starts: [0] + ranges.map(\.start), steps: [1] + ranges.map(\.step))
    }
}

/// Pads each axis after the batch with a constant (ONNX `Pad` in `constant` mode): the channel padding of
/// a ResNet's option-A shortcut, a Keras `ZeroPadding2D`. Relevance of the padding is dropped; the rest goes
/// back to where it came from (the gradient).
///
/// ```swift
/// let widen = try ConstantPad(before: [4, 0, 0], after: [4, 0, 0])   // 16 → 24 channels
/// ```
public struct ConstantPad: UnaryLayer {
    /// Elements added before and after each axis of a sample.
    public let before: [Int], after: [Int]
    public let value: Float

    /// - Throws: `LRPError` for negative amounts or lists of different lengths.
    public init(before: [Int], after: [Int], value: Float = 0) throws {
        guard before.count == after.count, (before + after).allSatisfy({ $0 >= 0 && $0 <= Tensor.maximumElementCount }) else {
            throw LRPError(.parameter, "Pad: amounts \(describe(before)) before and \(describe(after)) after must be non-negative, one per axis")
        }
        (self.before, self.after, self.value) = (before, after, value)
    }

    public var operatorName: String { "Pad" }
    public var summary: String { "before \(describe(before)), after \(describe(after))" + (value == 0 ? "" : ", value \(value)") }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == before.count + 1, let batch = inputShape.first, batch > 0 else {
            throw LRPError(.shape, "Pad: expects an input with \(before.count) axes after the batch, got \(describe(inputShape))")
        }
        let shape = [batch] + (0 ..< before.count).map { inputShape[$0 + 1] + before[$0] + after[$0] }
        _ = try Tensor.elementCount(of: shape)
        return shape
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        let region = try self.region(input.shape)
        var output = Tensor(zerosWithValidShape: region.container)
        if value != 0 {   // the padding takes `value`: fill everything, then clear the input's place
            output = output.mapped { _ in value }
            region.scatter(Tensor(validShape: input.shape, scalars: [Float](repeating: -value, count: input.count)), into: &output)
        }
        region.scatter(input, into: &output)
        return output
    }

    public func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor {
        try region(input.shape).gather(from: gradOutput)
    }

    private func region(_ inputShape: [Int]) throws -> StridedRegion {
        StridedRegion(container: try outputShape(for: inputShape), shape: inputShape, starts: [0] + before,
                      steps: [Int](repeating: 1, count: inputShape.count))
    }
}
