/// One operation of a network: a forward pass over a batch and the vector–Jacobian product with respect to
/// its inputs (the input gradient).
///
/// Layers are values: they hold their parameters and are safe to share between threads. Most layers take
/// one input and conform through ``UnaryLayer``; residual addition takes two.
public protocol Layer: Sendable {
    /// The operator's name in tables and messages, spelled as ONNX does (`Conv`, `Relu`, `MaxPool`).
    var operatorName: String { get }
    /// How many input tensors the layer takes.
    var inputCount: Int { get }
    /// The output shape for the given input shapes (batch dimension first).
    /// - Throws: `LRPError` naming the layer and the shapes when they do not fit.
    func outputShape(for inputShapes: [[Int]]) throws -> [Int]
    /// Computes the output and records what the backward pass needs (max pooling's arg-max).
    func forward(_ inputs: [Tensor]) throws -> LayerRecord
    /// The gradient with respect to each input of `⟨output, gradOutput⟩`, one tensor per input.
    func inputGradients(of gradOutput: Tensor, inputs: [Tensor], record: LayerRecord) throws -> [Tensor]
    /// The layer's parameters in a few words, for model summaries (`3×3, stride 2, pad 1, 64→128`).
    var summary: String { get }
    /// Floating-point operations of one forward pass for the given input and output shapes: two per
    /// multiply–add for weighted layers, one per output element for element-wise layers; `Int.max` when the
    /// count does not fit.
    func flops(inputShapes: [[Int]], outputShape: [Int]) -> Int
}

extension Layer {
    public var summary: String { "" }

    public func flops(inputShapes: [[Int]], outputShape: [Int]) -> Int {
        saturatingProduct(outputShape)
    }
}

/// The product of `factors`, or `Int.max` if it overflows: FLOP counts come from shapes and kernel sizes a
/// file declares, and saturate instead of trapping.
package func saturatingProduct(_ factors: [Int]) -> Int {
    var product = 1
    for factor in factors {
        let (next, overflow) = product.multipliedReportingOverflow(by: factor)
        if overflow { return .max }
        product = next
    }
    return product
}

/// What a layer's forward pass produced: its output and, for layers that route (max pooling), the flat
/// input index each output element came from.
public struct LayerRecord: Sendable {
    /// The layer's output.
    public let output: Tensor
    /// For max pooling, the flat input index of each output element's arg-max; empty for other layers.
    public let indices: [Int32]

    public init(output: Tensor, indices: [Int32] = []) {
        self.output = output
        self.indices = indices
    }
}

/// A layer with exactly one input. Conform by implementing the single-input methods.
public protocol UnaryLayer: Layer {
    /// The output shape for an input of shape `inputShape`.
    func outputShape(for inputShape: [Int]) throws -> [Int]
    /// The output for `input`.
    func forward(_ input: Tensor) throws -> Tensor
    /// The output and what the backward pass needs; by default just the output.
    func recordingForward(_ input: Tensor) throws -> LayerRecord
    /// The gradient of `⟨output, gradOutput⟩` with respect to the input.
    func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor
}

extension UnaryLayer {
    public var inputCount: Int { 1 }

    public func recordingForward(_ input: Tensor) throws -> LayerRecord {
        LayerRecord(output: try forward(input))
    }

    public func outputShape(for inputShapes: [[Int]]) throws -> [Int] {
        try outputShape(for: try single(inputShapes))
    }

    public func forward(_ inputs: [Tensor]) throws -> LayerRecord {
        try recordingForward(try single(inputs))
    }

    public func inputGradients(of gradOutput: Tensor, inputs: [Tensor], record: LayerRecord) throws -> [Tensor] {
        try checkGradientShape(gradOutput, record: record)
        return [try inputGradient(of: gradOutput, input: try single(inputs), record: record)]
    }

    private func single<T>(_ values: [T]) throws -> T {
        guard values.count == 1, let value = values.first else {
            throw LRPError(.shape, "\(operatorName): takes 1 input, got \(values.count)")
        }
        return value
    }
}

extension Layer {
    /// Checks that an incoming gradient has the shape of the output it belongs to.
    func checkGradientShape(_ gradOutput: Tensor, record: LayerRecord) throws {
        guard gradOutput.shape == record.output.shape else {
            throw LRPError(.shape, "\(operatorName): gradient of shape \(describe(gradOutput.shape)) does not match the output shape \(describe(record.output.shape))")
        }
    }

    /// Checks that `shape` is a batch of images `[N, C, H, W]` with every dimension positive.
    func imageDimensions(_ shape: [Int]) throws -> (batch: Int, channels: Int, height: Int, width: Int) {
        guard shape.count == 4, shape.allSatisfy({ $0 > 0 }) else {
            throw LRPError(.shape, "\(operatorName): expects a non-empty [N, C, H, W] input, got \(describe(shape))")
        }
        return (shape[0], shape[1], shape[2], shape[3])
    }
}

/// A layer that is linear in its input for fixed parameters (`y = W ⋆ x + b`): convolution and dense.
///
/// LRP's four-step rule needs exactly this seam: the forward with substitute parameters (`ρ(W)`, `ρ(b)`)
/// and the transposed operation (`ρ(W)ᵀ s`), whatever the layer is.
///
/// ```swift
/// let positive = try Tensor(shape: layer.weight.shape, scalars: layer.weight.scalars.map { max($0, 0) })
/// let z = try layer.forward(x, weight: positive, bias: nil)
/// let c = try layer.transposed(s, weight: positive, inputShape: x.shape)
/// ```
public protocol LinearLayer: UnaryLayer {
    /// The weight tensor.
    var weight: Tensor { get }
    /// The bias, one entry per output channel or unit, if any.
    var bias: Tensor? { get }
    /// The forward pass with `weight` and `bias` in place of the layer's own (same shapes).
    func forward(_ input: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor
    /// The transposed operation `Wᵀ g` for the input shape `inputShape`: the input gradient for `weight`.
    func transposed(_ gradOutput: Tensor, weight: Tensor, inputShape: [Int]) throws -> Tensor
    /// `W · x` with the layer's own weight and no bias. Unlike ``forward(_:weight:bias:)``, a layer may keep
    /// work that depends only on its weight for the next call (a convolution keeps its Winograd transforms).
    func product(_ input: Tensor) throws -> Tensor
    /// `Wᵀ g` with the layer's own weight for the input shape `inputShape`, keeping work as ``product(_:)``.
    func transposedProduct(_ gradOutput: Tensor, inputShape: [Int]) throws -> Tensor
    /// The axis of a rank-`rank` output along which the outputs (and the bias) run: 1 for convolutions, the
    /// last for dense layers.
    func outputAxis(rank: Int) -> Int
    /// The same layer with other parameters of the same shapes (batch-norm merging, bias folding).
    func replacingParameters(weight: Tensor, bias: Tensor?) throws -> Self
    /// One layer computing all of `weights` at once (outputs concatenated along dimension 1), or `nil`
    /// when the layer cannot stack them (grouped convolutions).
    func stacking(_ weights: [Tensor]) throws -> (any LinearLayer)?
}

extension LinearLayer {
    /// Concatenates weights of this layer's shape along their first (output) dimension.
    func concatenatedWeights(_ weights: [Tensor]) throws -> Tensor {
        for candidate in weights { try checkParameters(weight: candidate, bias: nil) }
        return try Tensor(shape: [weight.shape[0] * weights.count] + weight.shape.dropFirst(), scalars: weights.flatMap(\.scalars))
    }
}

extension LinearLayer {
    public func outputAxis(rank: Int) -> Int { 1 }

    public func forward(_ input: Tensor) throws -> Tensor {
        try forward(input, weight: weight, bias: bias)
    }

    public func product(_ input: Tensor) throws -> Tensor {
        try forward(input, weight: weight, bias: nil)
    }

    public func transposedProduct(_ gradOutput: Tensor, inputShape: [Int]) throws -> Tensor {
        try transposed(gradOutput, weight: weight, inputShape: inputShape)
    }

    public func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor {
        try transposedProduct(gradOutput, inputShape: input.shape)
    }

    /// Checks a substitute weight and bias against the layer's own shapes.
    func checkParameters(weight candidate: Tensor, bias candidateBias: Tensor?) throws {
        guard candidate.shape == weight.shape else {
            throw LRPError(.shape, "\(operatorName): weight of shape \(describe(candidate.shape)) given, the layer's is \(describe(weight.shape))")
        }
        if let candidateBias {
            guard candidateBias.shape == [weight.shape[0]] else {
                throw LRPError(.shape, "\(operatorName): bias of shape \(describe(candidateBias.shape)) given, expected [\(weight.shape[0])]")
            }
        }
    }
}
