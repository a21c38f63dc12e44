/// A rule written as data for the four-step formulation.
///
/// A recipe has one or more *branches*. Each branch sums the forward passes of its *terms* into a
/// denominator `z_b = Σ_t sign_t · layer(input_t, ρ_t(W), ρ_t(b))`, divides the incoming relevance by the
/// stabilized denominator (only where the layer's original output has the branch's sign, if it has one), and
/// sends the quotient back through each term's transposed operation:
/// `R += coefficient_b · Σ_t sign_t · input_t ⊙ ρ_t(W)ᵀ s_b`.
public struct RuleRecipe: Sendable, Hashable {
    /// Which part of the layer's input a term uses.
    public enum InputPart: Sendable, Hashable {
        case input, positive, negative, ones, lowBound, highBound
    }

    /// How a term modifies a parameter tensor (weight or bias).
    public enum Transform: Sendable, Hashable {
        case identity, positive, negative, zero, ones, square
        /// `p + γ·p⁺`
        case gammaPositive(Float)
        /// `p + γ·p⁻`
        case gammaNegative(Float)

        /// The transformed value of one parameter.
        @inline(__always)
        func apply(_ p: Float) -> Float {
            switch self {
            case .identity: p
            case .positive: max(p, 0)
            case .negative: min(p, 0)
            case .zero: 0
            case .ones: 1
            case .square: p * p
            case .gammaPositive(let g): p + g * max(p, 0)
            case .gammaNegative(let g): p + g * min(p, 0)
            }
        }
    }

    public struct Term: Sendable, Hashable {
        public let input: InputPart
        public let weight: Transform
        public let bias: Transform
        public let sign: Float

        public init(_ input: InputPart, weight: Transform, bias: Transform, sign: Float = 1) {
            (self.input, self.weight, self.bias, self.sign) = (input, weight, bias, sign)
        }

    }

    /// Where a branch applies: everywhere, or where the layer's original output is positive or negative.
    public enum OutputSign: Sendable, Hashable { case any, positive, negative }

    public struct Branch: Sendable, Hashable {
        public let terms: [Term]
        public let outputSign: OutputSign
        public let coefficient: Float
    }

    public let branches: [Branch]
    /// ε of the stabilizer `z + ε·sign(z)` (sign(0) = +1).
    public let epsilon: Float

    /// The recipe of a rule, following Zennit 1.0 term by term (the bias enters the `x⁺` terms only); `nil`
    /// for a ``CustomRule``, which computes relevance its own way.
    public init?(_ rule: Rule) {
        func single(_ terms: [Term], epsilon: Float = Rule.stabilizer) -> (branches: [Branch], epsilon: Float) {
            ([Branch(terms: terms, outputSign: .any, coefficient: 1)], epsilon)
        }
        let positivePart = [Term(.positive, weight: .positive, bias: .positive), Term(.negative, weight: .negative, bias: .zero)]
        let negativePart = [Term(.positive, weight: .negative, bias: .negative), Term(.negative, weight: .positive, bias: .zero)]
        let recipe: (branches: [Branch], epsilon: Float)
        switch rule {
        case .zero:
            recipe = single([Term(.input, weight: .identity, bias: .identity)])
        case .epsilon(let e):
            recipe = single([Term(.input, weight: .identity, bias: .identity)], epsilon: e)
        case .gamma(let g):
            recipe = ([
                Branch(terms: [Term(.positive, weight: .gammaPositive(g), bias: .gammaPositive(g)),
                               Term(.negative, weight: .gammaNegative(g), bias: .zero)], outputSign: .positive, coefficient: 1),
                Branch(terms: [Term(.positive, weight: .gammaNegative(g), bias: .gammaNegative(g)),
                               Term(.negative, weight: .gammaPositive(g), bias: .zero)], outputSign: .negative, coefficient: 1),
            ], Rule.stabilizer)
        case .zPlus:
            recipe = single(positivePart)
        case .alphaBeta(let alpha, let beta):
            recipe = ([Branch(terms: positivePart, outputSign: .any, coefficient: alpha),
                       Branch(terms: negativePart, outputSign: .any, coefficient: -beta)], Rule.stabilizer)
        case .flat:
            recipe = single([Term(.ones, weight: .ones, bias: .zero)])
        case .wSquare:
            recipe = single([Term(.ones, weight: .square, bias: .square)])
        case .box:
            recipe = single([Term(.input, weight: .identity, bias: .identity),
                             Term(.lowBound, weight: .positive, bias: .positive, sign: -1),
                             Term(.highBound, weight: .negative, bias: .negative, sign: -1)])
        case .custom:
            return nil
        }
        (branches, epsilon) = recipe
    }
}
