import Foundation

/// Batch normalization at inference: `y = (x − mean) · γ / √(var + ε) + β` per channel (dimension 1) of
/// `[N, C]` or `[N, C, H, W]` batches. An affine map, so its gradient is the per-channel scale.
///
/// ```swift
/// let bn = try BatchNormalization(scale: Tensor(shape: [1], scalars: [2]), offset: Tensor(shape: [1], scalars: [1]),
///                                 mean: Tensor(shape: [1], scalars: [0]), variance: Tensor(shape: [1], scalars: [1]),
///                                 epsilon: 0)
/// let y = try bn.forward(Tensor(shape: [1, 1], scalars: [3]))   // [[7]]
/// ```
public struct BatchNormalization: UnaryLayer {
    /// γ, β, the running mean and variance, one entry per channel, and ε.
    public let scale: Tensor, offset: Tensor, mean: Tensor, variance: Tensor
    public let epsilon: Float
    /// The folded per-channel map `y = x · multiplier + shift`.
    public let multiplier: [Float], shift: [Float]

    public var operatorName: String { "BatchNormalization" }
    public var channels: Int { scale.count }
    public var summary: String { "\(channels) channels, ε \(epsilon)" }

    /// - Throws: `LRPError` if the four parameter tensors are not 1-D of one length, or ε or a variance is
    ///   negative.
    public init(scale: Tensor, offset: Tensor, mean: Tensor, variance: Tensor, epsilon: Float = 1e-5) throws {
        let channels = scale.count
        for (label, tensor) in [("scale", scale), ("bias", offset), ("mean", mean), ("variance", variance)] {
            guard tensor.shape == [channels], channels > 0 else {
                throw LRPError(.shape, "BatchNormalization: \(label) has shape \(describe(tensor.shape)), expected [\(channels)] like the scale")
            }
        }
        guard epsilon >= 0, variance.scalars.allSatisfy({ $0 >= 0 }) else {
            throw LRPError(.parameter, "BatchNormalization: epsilon and variances must not be negative")
        }
        (self.scale, self.offset, self.mean, self.variance, self.epsilon) = (scale, offset, mean, variance, epsilon)
        let multiplier = (0..<channels).map { scale[$0] / (variance[$0] + epsilon).squareRoot() }
        self.multiplier = multiplier
        shift = (0..<channels).map { offset[$0] - mean[$0] * multiplier[$0] }
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2 || inputShape.count == 4, inputShape[1] == channels,
              inputShape.allSatisfy({ $0 > 0 }) else {
            throw LRPError(.shape, "BatchNormalization: expects a non-empty [N, \(channels)] or [N, \(channels), H, W] input, got \(describe(inputShape))")
        }
        return inputShape
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        _ = try outputShape(for: input.shape)
        return input.mappedByChannel { value, channel in value * multiplier[channel] + shift[channel] }
    }

    public func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor {
        gradOutput.mappedByChannel { value, channel in value * multiplier[channel] }
    }
}
