/// A rule of one's own for weighted layers, usable in composites beside the shipped rules.
///
/// The explainer calls it for every weighted layer the composite assigns it to, in chunks of the batch, and
/// keeps doing what it does for every rule: the layer sums, the check for non-finite relevance, the memory
/// limit. A rule gets the layer (with its forward and transposed products for any substitute weights, see
/// ``LinearLayer``), its input and its recorded output `z = Wx + b`.
///
/// ```swift
/// /// LRP-ε with ε scaled per sample: ε = scale · mean |z| of the sample.
/// struct ScaledEpsilon: CustomRule {
///     let scale: Float
///     var description: String { "scaled-epsilon:\(scale)" }
///
///     func propagate(_ relevance: Tensor, through layer: any LinearLayer, input: Tensor, output: Tensor) throws -> Tensor {
///         let perSample = output.elementsPerSample
///         var quotient = relevance
///         for sample in 0 ..< output.batchSize {
///             let z = output.scalars[sample * perSample ..< (sample + 1) * perSample]
///             let epsilon = scale * z.map(abs).reduce(0, +) / Float(perSample)
///             for index in z.indices { quotient[index] = relevance[index] / (z[index] + (z[index] >= 0 ? epsilon : -epsilon)) }
///         }
///         let spread = try layer.transposedProduct(quotient, inputShape: input.shape)
///         return try input.multiplied(by: spread)
///     }
/// }
///
/// let composite = try Composite([(.first(nil), .box(low: [0], high: [1])), (.all, .custom(ScaledEpsilon(scale: 0.1)))])
/// ```
public protocol CustomRule: Sendable, CustomStringConvertible {
    /// Relevance at the layer's input (of `input`'s shape) from `relevance` at its output.
    /// - Parameters:
    ///   - relevance: relevance at the layer's output, of `output`'s shape.
    ///   - layer: the convolution or dense layer, after batch normalization has been merged into it.
    ///   - input: the layer's input from the forward pass.
    ///   - output: the layer's recorded output `z = Wx + b`.
    func propagate(_ relevance: Tensor, through layer: any LinearLayer, input: Tensor, output: Tensor) throws -> Tensor
}

extension Tensor {
    /// The element-wise product with a tensor of the same shape.
    /// - Throws: `LRPError` (`.shape`) when the shapes differ.
    public func multiplied(by other: Tensor) throws -> Tensor {
        guard shape == other.shape else {
            throw LRPError(.shape, "multiply: shapes \(describe(shape)) and \(describe(other.shape)) differ")
        }
        return multiplied(sameShape: other)
    }
}
