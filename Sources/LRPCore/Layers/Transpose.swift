/// Permutes the dimensions of each batch entry (the batch axis stays first): ONNX `Transpose` with
/// `perm[0] = 0`, as tf2onnx emits between Keras's `NHWC` and `NCHW`.
///
/// ```swift
/// let toChannelsLast = try Transpose(permutation: [0, 2, 3, 1])
/// let y = try toChannelsLast.forward(Tensor(shape: [1, 3, 4, 5], repeating: 0))   // [1, 4, 5, 3]
/// ```
public struct Transpose: UnaryLayer {
    /// Output dimension `i` is input dimension `permutation[i]`.
    public let permutation: [Int]

    /// - Throws: `LRPError` unless `permutation` is a permutation of `0..<n` that keeps 0 first.
    public init(permutation: [Int]) throws {
        guard permutation.sorted() == Array(0..<permutation.count), permutation.first == 0 else {
            throw LRPError(.parameter, "Transpose: \(describe(permutation)) is not a permutation that keeps the batch axis first")
        }
        self.permutation = permutation
    }

    public var operatorName: String { "Transpose" }
    public var summary: String { "perm \(describe(permutation))" }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == permutation.count else {
            throw LRPError(.shape, "Transpose: permutation \(describe(permutation)) does not fit an input of shape \(describe(inputShape))")
        }
        return permutation.map { inputShape[$0] }
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        try permute(input, by: permutation, outputShape: try outputShape(for: input.shape))
    }

    public func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor {
        var inverse = permutation
        for (position, axis) in permutation.enumerated() { inverse[axis] = position }
        return try permute(gradOutput, by: inverse, outputShape: input.shape)
    }

    private func permute(_ tensor: Tensor, by order: [Int], outputShape: [Int]) throws -> Tensor {
        let rank = order.count
        var inputStrides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { inputStrides[axis] = inputStrides[axis + 1] * tensor.shape[axis + 1] }
        let strides = order.map { inputStrides[$0] }   // input stride of each output axis
        var result = [Float](repeating: 0, count: tensor.count)
        var index = [Int](repeating: 0, count: rank)
        tensor.withUnsafeBufferPointer { source in
            for position in result.indices {
                var offset = 0
                for axis in 0..<rank { offset &+= index[axis] &* strides[axis] }
                result[position] = source[offset]
                var axis = rank - 1
                while axis >= 0 {
                    index[axis] += 1
                    if index[axis] < outputShape[axis] { break }
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
        return Tensor(validShape: outputShape, scalars: result)
    }
}
