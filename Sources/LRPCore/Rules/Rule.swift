/// An LRP rule for weighted layers (convolution, dense), with Zennit 1.0's numerics.
///
/// Every rule is computed by the same four steps (``RuleRecipe``): a forward pass with modified
/// parameters, a division, the layer's transposed operation, and a product with the input.
///
/// A rule's values are checked where it is used (``Composite``'s initializer, ``validate(quoting:)``), with the
/// parser's messages; ``custom(_:)`` takes a rule of one's own (``CustomRule``).
///
/// ```swift
/// let rules: [Rule] = [.zero, .epsilon(0.25), .gamma(0.25), .alphaBeta(alpha: 2, beta: 1), .box(low: [0], high: [255])]
/// let parsed = try Rule(spec: "gamma:0.25")
/// ```
public enum Rule: Sendable, Hashable, CustomStringConvertible {
    /// LRP-0: the ε rule with the stabilizer ε = 1e-6 only.
    case zero
    /// LRP-ε: `z = Wx + b`, `R = x ⊙ Wᵀ(R / (z + ε·sign z))`.
    case epsilon(Float)
    /// Generalized LRP-γ (equal to the original for non-negative inputs): positive and negative outputs use
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
    /// A rule of one's own; two are equal when their types and descriptions are.
    case custom(any CustomRule)

    /// The stabilizer added with the sign of the denominator by every rule (ε for ``epsilon(_:)``).
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
        case .custom(let rule): return rule.description
        }
    }

    /// Checks the rule's values: ε and γ not negative, α, β ≥ 0 with α − β = 1, box bounds `L < H` of equal
    /// counts. Messages quote `spec` (the rule's description by default), as the parser's do.
    /// - Throws: `LRPError` (`.parameter`) naming the rule and the value at fault.
    public func validate(quoting spec: String? = nil) throws {
        func fail(_ problem: String) -> LRPError { LRPError(.parameter, "rule '\(spec ?? description)': \(problem)") }
        func finite(_ values: [Float]) throws {
            guard values.allSatisfy(\.isFinite) else { throw fail("parameters must be finite numbers") }
        }
        switch self {
        case .epsilon(let e):
            try finite([e])
            guard e >= 0 else { throw fail("ε must not be negative") }
        case .gamma(let g):
            try finite([g])
            guard g >= 0 else { throw fail("γ must not be negative") }
        case .alphaBeta(let alpha, let beta):
            try finite([alpha, beta])
            guard alpha >= 0, beta >= 0, abs(alpha - beta - 1) < 1e-6 else {
                throw fail("needs α, β ≥ 0 with α − β = 1, got α − β = \(alpha - beta)")
            }
        case .box(let low, let high):
            try finite(low + high)
            guard !low.isEmpty, low.count == high.count else { throw fail("L and H need the same number of values") }
            guard zip(low, high).allSatisfy({ $0 < $1 }) else { throw fail("needs L < H") }
        case .zero, .zPlus, .flat, .wSquare, .custom: break
        }
    }

    public static func == (lhs: Rule, rhs: Rule) -> Bool {
        switch (lhs, rhs) {
        case (.custom(let a), .custom(let b)): type(of: a) == type(of: b) && a.description == b.description
        case (.custom, _), (_, .custom): false
        default: lhs.description == rhs.description
        }
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
}
