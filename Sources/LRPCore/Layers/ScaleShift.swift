/// `y = x · scale + shift` with constant factors that broadcast to the input (NumPy rules, batch dimension
/// included): what exporters write for a constant `Mul`, `Div`, `Add` or `Sub` — tf2onnx's batch
/// normalization (`Mul` + `Add` per channel), ConvNeXt's layer scale, an input normalization. Like batch
/// normalization it passes relevance unchanged; directly after a convolution or dense layer, a per-channel
/// one is merged into that layer's parameters before LRP (``Model/mergingBatchNormalization()``).
///
/// ```swift
/// let normalize = try ScaleShift(operatorName: "Sub+Div", scale: Tensor(shape: [1, 3, 1, 1], repeating: 2),
///                                shift: Tensor(shape: [1, 3, 1, 1], repeating: -1))
/// ```
public struct ScaleShift: UnaryLayer {
    public let operatorName: String
    /// The factor, or `nil` for 1.
    public let scale: Tensor?
    /// The summand, or `nil` for 0.
    public let shift: Tensor?

    /// - Throws: `LRPError` if both constants are missing or one of them is not finite.
    public init(operatorName: String, scale: Tensor?, shift: Tensor?) throws {
        guard scale != nil || shift != nil else { throw LRPError(.parameter, "\(operatorName): needs a scale or a shift") }
        for constant in [scale, shift].compactMap({ $0 }) where !constant.scalars.allSatisfy(\.isFinite) {
            throw LRPError(.parameter, "\(operatorName): the constant \(describe(constant.shape)) holds a non-finite value")
        }
        (self.operatorName, self.scale, self.shift) = (operatorName, scale, shift)
    }

    public var summary: String {
        [scale.map { "× \(describe($0.shape))" }, shift.map { "+ \(describe($0.shape))" }].compactMap { $0 }.joined(separator: " ")
    }

    /// The output has the input's shape: the constants broadcast into it, never enlarge it.
    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        for constant in [scale, shift].compactMap({ $0 }) {
            guard try Broadcast(inputShape, constant.shape, operation: operatorName).outputShape == inputShape else {
                throw LRPError(.shape, "\(operatorName): the constant \(describe(constant.shape)) would enlarge the input \(describe(inputShape))")
            }
        }
        return inputShape
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        _ = try outputShape(for: input.shape)
        var output = input
        if let scale { output = try Broadcast(input.shape, scale.shape, operation: operatorName).combine(output, scale, *) }
        if let shift { output = try Broadcast(input.shape, shift.shape, operation: operatorName).combine(output, shift, +) }
        return output
    }

    public func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor {
        guard let scale else { return gradOutput }
        return try Broadcast(gradOutput.shape, scale.shape, operation: operatorName).combine(gradOutput, scale, *)
    }

    /// The factors per index of `axis` of a rank-`rank` output with `channels` entries there, when the
    /// constants vary along that axis only; `nil` otherwise.
    package func perChannel(axis: Int, rank: Int, channels: Int) -> (scale: [Float], shift: [Float])? {
        func values(_ constant: Tensor?, default value: Float) -> [Float]? {
            guard let constant else { return Array(repeating: value, count: channels) }
            guard constant.rank <= rank else { return nil }
            let aligned = [Int](repeating: 1, count: rank - constant.rank) + constant.shape
            guard aligned.enumerated().allSatisfy({ $0.offset == axis || $0.element == 1 }) else { return nil }
            if aligned[axis] == 1 { return Array(repeating: constant[0], count: channels) }
            return aligned[axis] == channels ? constant.scalars : nil
        }
        guard let scale = values(scale, default: 1), let shift = values(shift, default: 0) else { return nil }
        return (scale, shift)
    }
}
