import Foundation
import LRPCore
import LRPData
import LRPVisualization

/// A separable Gaussian blur of each channel of an `[N, C, H, W]` tensor, edges extended by their nearest
/// pixel: the perturbation that removes a patch's detail but keeps its color.
///
/// ```swift
/// let blurred = try GaussianBlur(sigma: 2).apply(to: images)
/// ```
public struct GaussianBlur: Sendable {
    /// The standard deviation in pixels.
    public let sigma: Float
    /// The normalized kernel, `2 · radius + 1` taps with radius ⌈3σ⌉.
    let taps: [Float]

    /// - Throws: `LRPError` (`.parameter`) unless `sigma` is positive and finite.
    public init(sigma: Float) throws {
        guard sigma > 0, sigma.isFinite else { throw LRPError(.parameter, "blur: sigma must be positive, got \(sigma)") }
        let radius = Int((3 * sigma).rounded(.up))
        let weights = (-radius...radius).map { exp(-Float($0 * $0) / (2 * sigma * sigma)) }
        let total = weights.reduce(0, +)
        (self.sigma, taps) = (sigma, weights.map { $0 / total })
    }

    /// - Throws: `LRPError` (`.shape`) for a tensor that is not `[N, C, H, W]`.
    public func apply(to tensor: Tensor) throws -> Tensor {
        guard tensor.rank == 4 else { throw LRPError(.shape, "blur: needs [N, C, H, W], got \(describe(tensor.shape))") }
        let (height, width) = (tensor.shape[2], tensor.shape[3])
        let radius = taps.count / 2
        var result = tensor
        var rows = [Float](repeating: 0, count: height * width)
        result.withUnsafeMutableBufferPointer { values in
            for base in stride(from: 0, to: values.count, by: height * width) {
                for y in 0..<height {
                    for x in 0..<width {
                        rows[y * width + x] = taps.indices.reduce(0) { sum, tap in
                            sum + taps[tap] * values[base + y * width + min(max(x + tap - radius, 0), width - 1)]
                        }
                    }
                }
                for y in 0..<height {
                    for x in 0..<width {
                        values[base + y * width + x] = taps.indices.reduce(0) { sum, tap in
                            sum + taps[tap] * rows[min(max(y + tap - radius, 0), height - 1) * width + x]
                        }
                    }
                }
            }
        }
        return result
    }
}
