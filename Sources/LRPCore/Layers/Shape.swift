/// Flattens every dimension after the batch: `[N, C, H, W] → [N, C·H·W]` (ONNX `Flatten` with axis 1).
///
/// ```swift
/// let y = try Flatten().forward(Tensor(shape: [2, 3, 4, 4], repeating: 0))   // [2, 48]
/// ```
public struct Flatten: UnaryLayer {
    public init() {}

    public var operatorName: String { "Flatten" }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard let batch = inputShape.first, batch > 0 else {
            throw LRPError(.shape, "Flatten: expects a non-empty batch, got \(describe(inputShape))")
        }
        return [batch, try Tensor.elementCount(of: Array(inputShape.dropFirst()))]
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        try input.reshaped(to: try outputShape(for: input.shape))
    }

    public func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor {
        try gradOutput.reshaped(to: input.shape)
    }
}

/// Gives each batch entry a new shape with the same number of elements; the batch dimension is kept.
///
/// ```swift
/// let y = try Reshape(sampleShape: [512]).forward(Tensor(shape: [2, 512, 1, 1], repeating: 0))   // [2, 512]
/// ```
public struct Reshape: UnaryLayer {
    /// The shape of one batch entry after reshaping.
    public let sampleShape: [Int]

    /// - Throws: `LRPError` if a dimension is not positive or the shape has more than
    ///   ``Tensor/maximumElementCount`` elements.
    public init(sampleShape: [Int]) throws {
        guard sampleShape.allSatisfy({ $0 > 0 }), (try? Tensor.elementCount(of: sampleShape)) != nil else {
            throw LRPError(.parameter, "Reshape: target shape \(describe(sampleShape)) must have positive dimensions and at most \(Tensor.maximumElementCount) elements")
        }
        self.sampleShape = sampleShape
    }

    public var operatorName: String { "Reshape" }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let perSample = try? Tensor.elementCount(of: Array(inputShape.dropFirst()))
        guard let batch = inputShape.first, batch > 0, perSample == sampleShape.reduce(1, *) else {
            throw LRPError(.shape, "Reshape: cannot reshape \(describe(inputShape)) to [N] + \(describe(sampleShape))")
        }
        return [batch] + sampleShape
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        try input.reshaped(to: try outputShape(for: input.shape))
    }

    public func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor {
        try gradOutput.reshaped(to: input.shape)
    }
}

/// Passes its input through unchanged: ONNX `Identity`, and `Dropout` at inference.
///
/// ```swift
/// let dropout = Identity(operatorName: "Dropout")
/// ```
public struct Identity: UnaryLayer {
    public let operatorName: String

    public init(operatorName: String = "Identity") { self.operatorName = operatorName }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    public func forward(_ input: Tensor) throws -> Tensor { input }

    public func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor {
        gradOutput
    }
}
