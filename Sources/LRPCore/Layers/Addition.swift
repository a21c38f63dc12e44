/// Element-wise sum (ONNX `Add`) or difference (`Sub`) of two computed tensors, with NumPy broadcasting:
/// the merge of a residual connection, or a centring such as `x − mean(x)`. Linear in both inputs, so the
/// Norm rule shares relevance in proportion to each input's signed contribution.
///
/// ```swift
/// let record = try Addition().forward([a, b])                    // record.output == a + b
/// let centered = try Addition(subtracting: true).forward([x, mean])
/// ```
public struct Addition: InferenceLayer {
    /// Whether the second input is subtracted (`Sub`) instead of added.
    public let subtracting: Bool

    public init(subtracting: Bool = false) { self.subtracting = subtracting }

    public var operatorName: String { subtracting ? "Sub" : "Add" }
    public var inputCount: Int { 2 }

    public func outputShape(for inputShapes: [[Int]]) throws -> [Int] {
        try Broadcast(inputs: inputShapes, operation: operatorName).outputShape
    }

    public func forward(_ inputs: [Tensor]) throws -> LayerRecord {
        LayerRecord(output: try sum(inputs, rectified: false))
    }

    func inferenceOutput(_ inputs: [Tensor], rectified: Bool) throws -> Tensor {
        try sum(inputs, rectified: rectified)
    }

    /// `a ± b`, and with `rectified` `max(a ± b, 0)` (in the same pass when the shapes are equal).
    private func sum(_ inputs: [Tensor], rectified: Bool) throws -> Tensor {
        let broadcast = try Broadcast(inputs: inputs.map(\.shape), operation: operatorName)
        if inputs[0].shape == inputs[1].shape {   // the residual case, without index arithmetic
            let sign: Float = subtracting ? -1 : 1
            return inputs[0].adding(sameShape: inputs[1], scaledBy: sign, rectified: rectified)
        }
        let output = broadcast.combine(inputs[0], inputs[1], subtracting ? (-) : (+))
        return rectified ? try ReLU().forward(output) : output
    }

    public func inputGradients(of gradOutput: Tensor, inputs: [Tensor], record: LayerRecord) throws -> [Tensor] {
        try checkGradientShape(gradOutput, record: record)
        let broadcast = try Broadcast(inputs: inputs.map(\.shape), operation: operatorName)
        let sign: Float = subtracting ? -1 : 1
        if inputs[0].shape == inputs[1].shape { return [gradOutput, subtracting ? gradOutput.mapped { -$0 } : gradOutput] }
        return gradOutput.withUnsafeBufferPointer { g in
            [broadcast.accumulate(into: inputs[0].shape, forFirst: true) { output, _, _ in g[output] },
             broadcast.accumulate(into: inputs[1].shape, forFirst: false) { output, _, _ in sign * g[output] }]
        }
    }
}
