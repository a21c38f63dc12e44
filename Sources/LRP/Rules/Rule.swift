/// An LRP rule for weighted layers (convolution, dense), with Zennit 1.0's numerics.
///
/// Every rule is computed by the same four steps (``RuleRecipe``): a forward pass with modified
/// parameters, a division, the layer's transposed operation, and a product with the input.
///
/// ```swift
/// let rules: [Rule] = [.zero, .epsilon(0.25), .gamma(0.25), .alphaBeta(alpha: 2, beta: 1), .box(low: [0], high: [255])]
/// let parsed = try Rule(spec: "gamma:0.25")
/// ```
public enum Rule: Sendable, Hashable, CustomStringConvertible {
    /// LRP-0: the ε rule with the stabiliser ε = 1e-6 only.
    case zero
    /// LRP-ε: `z = Wx + b`, `R = x ⊙ Wᵀ(R / (z + ε·sign z))`.
    case epsilon(Float)
    /// Generalised LRP-γ (equal to the original for non-negative inputs): positive and negative outputs use
    /// weights strengthened by `γ·W⁺` or `γ·W⁻` according to the sign of each input part.
    case gamma(Float)
    /// z⁺: only positive contributions (`W⁺x⁺ + W⁻x⁻ + b⁺`).
    case zPlus
    /// LRP-αβ with α − β = 1: α times the positive contributions minus β times the negative ones.
    case alphaBeta(alpha: Float, beta: Float)
    /// Flat: every weight and input 1, bias 0; relevance spreads evenly over the receptive field.
    case flat
    /// w²: relevance by squared weights, independent of the input.
    case wSquare
    /// z^B for bounded input: `low` and `high` are the lowest and highest input values, one value for all
    /// channels or one per channel.
    case box(low: [Float], high: [Float])

    /// The stabiliser added with the sign of the denominator by every rule (ε for ``epsilon(_:)``).
    public static let stabilizer: Float = 1e-6

    public var description: String {
        func number(_ value: Float) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value) }
        switch self {
        case .zero: return "zero"
        case .epsilon(let e): return "epsilon:\(e)"
        case .gamma(let g): return "gamma:\(g)"
        case .zPlus: return "zplus"
        case .alphaBeta(let a, let b): return "alphabeta:\(number(a)),\(number(b))"
        case .flat: return "flat"
        case .wSquare: return "wsquare"
        case .box(let low, let high):
            return "box:" + low.map(number).joined(separator: "/") + "," + high.map(number).joined(separator: "/")
        }
    }
}
