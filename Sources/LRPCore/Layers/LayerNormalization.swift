/// Layer normalization (ONNX `LayerNormalization`): each sample's values over the axes from `axis` on are
/// centered, divided by their standard deviation `σ = √(var + ε)` and scaled and shifted element-wise:
/// `y = γ ⊙ (x − μ)/σ + β`. ConvNeXt normalizes channels this way.
///
/// LRP uses the LN rule (Ali et al., "XAI for Transformers: Better Explanations through Conservative
/// Propagation", 2022): `σ` is held constant, so the layer is linear in `x` and the Norm rule distributes
/// relevance through the centring (``LocallyLinearLayer``); `β` acts as a bias and absorbs its share. The
/// gradient methods use the true gradient.
///
/// ```swift
/// let norm = try LayerNormalization(axis: 3, scale: Tensor(shape: [96], repeating: 1), bias: nil, epsilon: 1e-6)
/// ```
public struct LayerNormalization: LocallyLinearLayer {
    /// The first normalized axis (the batch is 0); the normalized axes run to the last.
    public let axis: Int
    /// γ and β, one entry per element of the normalized axes (β `nil` for none).
    public let scale: Tensor, bias: Tensor?
    public let epsilon: Float

    /// - Throws: `LRPError` for an axis below 1, a bias of another size than the scale, or a negative ε.
    public init(axis: Int, scale: Tensor, bias: Tensor?, epsilon: Float = 1e-5) throws {
        guard axis >= 1, epsilon >= 0, scale.count > 0, bias.map({ $0.count == scale.count }) ?? true else {
            throw LRPError(.parameter, "LayerNormalization: needs an axis after the batch (got \(axis)), ε ≥ 0 (got \(epsilon)) and a bias as large as the scale")
        }
        (self.axis, self.scale, self.bias, self.epsilon) = (axis, scale, bias, epsilon)
    }

    public var operatorName: String { "LayerNormalization" }
    public var inputCount: Int { 1 }
    public var summary: String { "\(scale.count) values from axis \(axis), ε \(epsilon)" }

    public func outputShape(for inputShapes: [[Int]]) throws -> [Int] {
        guard inputShapes.count == 1, let shape = inputShapes.first, axis < shape.count,
              shape[axis...].reduce(1, *) == scale.count, shape.allSatisfy({ $0 > 0 }) else {
            throw LRPError(.shape, "LayerNormalization: expects one input whose axes from \(axis) hold \(scale.count) values, got \(inputShapes.map(describe))")
        }
        return shape
    }

    public func forward(_ inputs: [Tensor]) throws -> LayerRecord {
        _ = try outputShape(for: inputs.map(\.shape))
        var output = inputs[0]
        output.withUnsafeMutableBufferPointer { y in
            forEachGroup(inputs[0]) { x, offset, deviation in
                for index in 0 ..< scale.count {
                    y[offset + index] = scale[index] * x[index] / deviation + (bias?[index] ?? 0)
                }
            }
        }
        return LayerRecord(output: output)
    }

    public func inputGradients(of gradOutput: Tensor, inputs: [Tensor], record: LayerRecord) throws -> [Tensor] {
        try gradients(of: gradOutput, inputs: inputs, record: record, holdingDeviation: false)
    }

    /// The gradient with `σ` held constant: `(γ⊙g − mean(γ⊙g)) / σ`.
    public func detachedInputGradients(of gradOutput: Tensor, inputs: [Tensor], record: LayerRecord) throws -> [Tensor] {
        try gradients(of: gradOutput, inputs: inputs, record: record, holdingDeviation: true)
    }

    /// `dx = (γ⊙g − mean(γ⊙g) − n · mean(γ⊙g ⊙ n)) / σ` with `n = (x − μ)/σ`; the last term is the path through
    /// `σ`, which the LN rule drops.
    private func gradients(of gradOutput: Tensor, inputs: [Tensor], record: LayerRecord, holdingDeviation: Bool) throws -> [Tensor] {
        try checkGradientShape(gradOutput, record: record)
        let count = Float(scale.count)
        var gradInput = gradOutput
        gradInput.withUnsafeMutableBufferPointer { dx in
            gradOutput.withUnsafeBufferPointer { g in
                forEachGroup(inputs[0]) { centered, offset, deviation in
                    var (meanG, meanGN) = (Float(0), Float(0))
                    for index in 0 ..< scale.count {
                        let scaled = scale[index] * g[offset + index]
                        meanG += scaled
                        meanGN += scaled * centered[index] / deviation
                    }
                    (meanG, meanGN) = (meanG / count, holdingDeviation ? 0 : meanGN / count)
                    for index in 0 ..< scale.count {
                        let normalized = centered[index] / deviation
                        dx[offset + index] = (scale[index] * g[offset + index] - meanG - normalized * meanGN) / deviation
                    }
                }
            }
        }
        return [gradInput]
    }

    /// Calls `body(centered, offset, σ)` for each group of normalized values, with the group's values
    /// minus their mean.
    private func forEachGroup(_ input: Tensor, _ body: ([Float], Int, Float) -> Void) {
        let size = scale.count
        input.withUnsafeBufferPointer { x in
            var centered = [Float](repeating: 0, count: size)
            for offset in stride(from: 0, to: input.count, by: size) {
                var sum = Float(0)
                for index in 0 ..< size { sum += x[offset + index] }
                let mean = sum / Float(size)
                var squares = Float(0)
                for index in 0 ..< size {
                    centered[index] = x[offset + index] - mean
                    squares += centered[index] * centered[index]
                }
                body(centered, offset, (squares / Float(size) + epsilon).squareRoot())
            }
        }
    }
}
