/// A fully connected layer `y = x Wᵀ + b` over the last axis of `[N, …, in]` batches (PyTorch `Linear`, ONNX
/// `Gemm` with `transB = 1`, `MatMul` by a constant), computed with one GEMM split by output columns across
/// the workers.
///
/// ```swift
/// let dense = try Dense(weight: Tensor(shape: [10, 512], repeating: 0.01), bias: nil)
/// let logits = try dense.forward(Tensor(shape: [4, 512], repeating: 1))   // [4, 10]
/// ```
public struct Dense: LinearLayer, UnaryInferenceLayer {
    /// `[outFeatures, inFeatures]`.
    public let weight: Tensor
    public let bias: Tensor?

    public var operatorName: String { "Gemm" }
    public var inputFeatures: Int { weight.shape[1] }
    public var outputFeatures: Int { weight.shape[0] }

    public var summary: String { "\(inputFeatures)→\(outputFeatures)" + (bias == nil ? ", no bias" : "") }

    public func flops(inputShapes: [[Int]], outputShape: [Int]) -> Int {
        saturatingProduct([2, inputFeatures] + outputShape)
    }

    /// The outputs run along the last axis.
    public func outputAxis(rank: Int) -> Int { rank - 1
    }

    /// - Throws: `LRPError` for a weight that is not 2-D with positive sizes or a bias of the wrong length.
    public init(weight: Tensor, bias: Tensor?) throws {
        guard weight.rank == 2, weight.shape.allSatisfy({ $0 > 0 }) else {
            throw LRPError(.shape, "Gemm: weight must be [out, in] with positive sizes, got \(describe(weight.shape))")
        }
        if let bias, bias.shape != [weight.shape[0]] {
            throw LRPError(.shape, "Gemm: bias of shape \(describe(bias.shape)) does not match \(weight.shape[0]) outputs")
        }
        (self.weight, self.bias) = (weight, bias)
    }

    public func replacingParameters(weight: Tensor, bias: Tensor?) throws -> Dense {
        try checkParameters(weight: weight, bias: bias)
        return try Dense(weight: weight, bias: bias)
    }

    public func stacking(_ weights: [Tensor]) throws -> (any LinearLayer)? {
        try Dense(weight: try concatenatedWeights(weights), bias: nil)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count >= 2, inputShape.allSatisfy({ $0 > 0 }), inputShape.last == inputFeatures else {
            throw LRPError(.shape, "Gemm: expects a non-empty [N, …, \(inputFeatures)] input for weight \(describe(weight.shape)), got \(describe(inputShape))")
        }
        return inputShape.dropLast() + [outputFeatures]
    }

    public func forward(_ input: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        try checkParameters(weight: weight, bias: bias)
        return try forward(input, weight: weight, bias: bias, rectified: false)
    }

    func inferenceOutput(_ input: Tensor, rectified: Bool) throws -> Tensor {
        try forward(input, weight: weight, bias: bias, rectified: rectified)
    }

    /// `x Wᵀ + b`, rectified as ReLU's `max(·, 0)` with `rectified`.
    private func forward(_ input: Tensor, weight: Tensor, bias: Tensor?, rectified: Bool) throws -> Tensor {
        let shape = try outputShape(for: input.shape)
        var output = Tensor(zerosWithValidShape: shape)
        input.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    BLAS.parallelGEMM(transposeA: false, transposeB: true, m: input.count / inputFeatures, n: outputFeatures, k: inputFeatures,
                              a: x.baseAddress!, lda: inputFeatures, b: w.baseAddress!, ldb: inputFeatures,
                              c: y.baseAddress!, ldc: outputFeatures)
                }
            }
        }
        addBias(bias, rectifying: rectified, to: &output, planeSize: 1)
        return output
    }

    public func transposed(_ gradOutput: Tensor, weight: Tensor, inputShape: [Int]) throws -> Tensor {
        try checkParameters(weight: weight, bias: nil)
        let shape = try outputShape(for: inputShape)
        guard gradOutput.shape == shape else {
            throw LRPError(.shape, "Gemm: gradient of shape \(describe(gradOutput.shape)) does not match the output shape \(describe(shape))")
        }
        var gradInput = Tensor(zerosWithValidShape: inputShape)
        gradOutput.withUnsafeBufferPointer { g in
            weight.withUnsafeBufferPointer { w in
                gradInput.withUnsafeMutableBufferPointer { dx in
                    BLAS.parallelGEMM(transposeA: false, transposeB: false, m: gradOutput.count / outputFeatures, n: inputFeatures, k: outputFeatures,
                              a: g.baseAddress!, lda: outputFeatures, b: w.baseAddress!, ldb: inputFeatures,
                              c: dx.baseAddress!, ldc: inputFeatures)
                }
            }
        }
        return gradInput
    }
}
