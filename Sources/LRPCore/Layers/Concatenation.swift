/// Joins computed tensors along one axis after the batch (ONNX `Concat`): DenseNet's feature stacks,
/// Inception's and SqueezeNet's parallel branches. Relevance is routed back to the part each element came
/// from (the gradient).
///
/// ```swift
/// let join = try Concatenation(axis: 1, inputCount: 2)
/// let y = try join.forward([a, b]).output      // [N, Ca + Cb, H, W]
/// ```
public struct Concatenation: Layer {
    /// The axis joined along, counting the batch as 0.
    public let axis: Int
    public let inputCount: Int

    /// - Throws: `LRPError` for an axis below 1 (the batch) or fewer than one input.
    public init(axis: Int, inputCount: Int) throws {
        guard axis >= 1, inputCount >= 1 else {
            throw LRPError(.parameter, "Concat: needs an axis after the batch (got \(axis)) and at least one input (got \(inputCount))")
        }
        (self.axis, self.inputCount) = (axis, inputCount)
    }

    public var operatorName: String { "Concat" }
    public var summary: String { "\(inputCount) inputs, axis \(axis)" }

    public func outputShape(for inputShapes: [[Int]]) throws -> [Int] {
        guard inputShapes.count == inputCount, let first = inputShapes.first, axis < first.count else {
            throw LRPError(.shape, "Concat: expects \(inputCount) inputs with more than \(axis) dimensions, got \(inputShapes.map(describe))")
        }
        var output = first
        for shape in inputShapes.dropFirst() {
            guard shape.count == first.count, shape.indices.allSatisfy({ $0 == axis || shape[$0] == first[$0] }) else {
                throw LRPError(.shape, "Concat: input shapes \(inputShapes.map(describe).joined(separator: ", ")) differ outside axis \(axis)")
            }
            output[axis] += shape[axis]
        }
        _ = try Tensor.elementCount(of: output)
        return output
    }

    public func forward(_ inputs: [Tensor]) throws -> LayerRecord {
        let shape = try outputShape(for: inputs.map(\.shape))
        var output = Tensor(zerosWithValidShape: shape)
        for (input, region) in zip(inputs, regions(inputs.map(\.shape), output: shape)) { region.scatter(input, into: &output) }
        return LayerRecord(output: output)
    }

    public func inputGradients(of gradOutput: Tensor, inputs: [Tensor], record: LayerRecord) throws -> [Tensor] {
        try checkGradientShape(gradOutput, record: record)
        return regions(inputs.map(\.shape), output: gradOutput.shape).map { $0.gather(from: gradOutput) }
    }

    private func regions(_ shapes: [[Int]], output: [Int]) -> [StridedRegion] {
        var offset = 0
        return shapes.map { shape in
            defer { offset += shape[axis] }
            return StridedRegion(container: output, block: shape, axis: axis, offset: offset)
        }
    }
}
