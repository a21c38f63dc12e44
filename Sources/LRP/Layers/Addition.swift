/// Element-wise sum of two tensors of equal shape: the merge of a residual connection.
///
/// ```swift
/// let record = try Addition().forward([a, b])   // record.output == a + b
/// ```
public struct Addition: Layer {
    public init() {}

    public var operatorName: String { "Add" }
    public var inputCount: Int { 2 }

    public func outputShape(for inputShapes: [[Int]]) throws -> [Int] {
        guard inputShapes.count == 2 else {
            throw LRPError.shape("Add: takes 2 inputs, got \(inputShapes.count)")
        }
        guard inputShapes[0] == inputShapes[1] else {
            throw LRPError.shape("Add: input shapes \(describe(inputShapes[0])) and \(describe(inputShapes[1])) differ")
        }
        return inputShapes[0]
    }

    public func forward(_ inputs: [Tensor]) throws -> LayerRecord {
        let shape = try outputShape(for: inputs.map(\.shape))
        return LayerRecord(output: Tensor(validShape: shape, scalars: zip(inputs[0].scalars, inputs[1].scalars).map(+)))
    }

    public func inputGradients(of gradOutput: Tensor, inputs: [Tensor], record: LayerRecord) throws -> [Tensor] {
        try checkGradientShape(gradOutput, record: record)
        return [gradOutput, gradOutput]
    }
}
