import Foundation

/// An activation applied to every element on its own: ONNX `Clip` (ReLU6), `Sigmoid`, `HardSigmoid`,
/// `HardSwish`, `Tanh`, `Erf`, `LeakyRelu` and GELU (`Gelu`, or the `Erf` pattern exporters write).
/// LRP passes relevance through it unchanged, as Zennit's `Pass` rule does for activations; the gradient
/// methods use its derivative.
///
/// ```swift
/// let relu6 = PointwiseActivation(.clip(min: 0, max: 6))
/// let y = try relu6.forward(Tensor(shape: [1, 3], scalars: [-1, 3, 9]))   // [0, 3, 6]
/// ```
public struct PointwiseActivation: UnaryLayer {
    /// The function applied to each element.
    public enum Function: Sendable, Hashable {
        /// `min(max(x, min), max)`.
        case clip(min: Float, max: Float)
        /// `1 / (1 + e^−x)`.
        case sigmoid
        /// `max(0, min(1, α·x + β))`.
        case hardSigmoid(alpha: Float, beta: Float)
        /// `x · max(0, min(1, x/6 + 1/2))`.
        case hardSwish
        case tanh
        /// The error function.
        case erf
        /// `x · Φ(x) = x/2 · (1 + erf(x/√2))`, the exact GELU.
        case gelu
        /// `x` for `x ≥ 0`, `α·x` otherwise.
        case leakyReLU(alpha: Float)
    }

    public let function: Function

    public init(_ function: Function) { self.function = function }

    public var operatorName: String {
        switch function {
        case .clip: "Clip"
        case .sigmoid: "Sigmoid"
        case .hardSigmoid: "HardSigmoid"
        case .hardSwish: "HardSwish"
        case .tanh: "Tanh"
        case .erf: "Erf"
        case .gelu: "Gelu"
        case .leakyReLU: "LeakyRelu"
        }
    }

    public var summary: String {
        switch function {
        case .clip(let low, let high): "[\(low), \(high)]"
        case .hardSigmoid(let alpha, let beta): "α \(alpha), β \(beta)"
        case .leakyReLU(let alpha): "α \(alpha)"
        default: ""
        }
    }

    /// Whether the function's values lie in [0, 1], so that it can act as a gate in a product.
    public var isGate: Bool {
        switch function {
        case .sigmoid, .hardSigmoid: true
        default: false
        }
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    public func forward(_ input: Tensor) throws -> Tensor {
        input.mapped(value)
    }

    public func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor {
        gradOutput.combined(with: input) { g, x in g * derivative(x) }
    }

    private func value(_ x: Float) -> Float {
        switch function {
        case .clip(let low, let high): min(max(x, low), high)
        case .sigmoid: 1 / (1 + Foundation.exp(-x))
        case .hardSigmoid(let alpha, let beta): max(0, min(1, alpha * x + beta))
        case .hardSwish: x * max(0, min(1, x / 6 + 0.5))
        case .tanh: Foundation.tanh(x)
        case .erf: Foundation.erf(x)
        case .gelu: 0.5 * x * (1 + Foundation.erf(x / Float(2).squareRoot()))
        case .leakyReLU(let alpha): x >= 0 ? x : alpha * x
        }
    }

    /// The derivative, with PyTorch's choices at the kinks.
    private func derivative(_ x: Float) -> Float {
        switch function {
        case .clip(let low, let high): return x >= low && x <= high ? 1 : 0
        case .sigmoid:
            let s = value(x)
            return s * (1 - s)
        case .hardSigmoid(let alpha, let beta):
            let z = alpha * x + beta
            return z > 0 && z < 1 ? alpha : 0
        case .hardSwish: return x < -3 ? 0 : x > 3 ? 1 : x / 3 + 0.5
        case .tanh:
            let t = Foundation.tanh(x)
            return 1 - t * t
        case .erf: return 2 / Float.pi.squareRoot() * Foundation.exp(-x * x)
        case .gelu:
            let cdf = 0.5 * (1 + Foundation.erf(x / Float(2).squareRoot()))
            return cdf + x * Foundation.exp(-0.5 * x * x) / (2 * Float.pi).squareRoot()
        case .leakyReLU(let alpha): return x > 0 ? 1 : alpha
        }
    }
}
