/// A weighted layer with its rule's recipe and modified parameters, computed once per model and rule.
struct WeightedLayerPlan: Sendable {
    let layer: any LinearLayer
    let rule: Rule
    let recipe: RuleRecipe
    /// `ρ(W)` and `ρ(b)` for every transform the recipe uses.
    let weights: [RuleRecipe.Transform: Tensor]
    let biases: [RuleRecipe.Transform: Tensor?]

    init(layer: any LinearLayer, rule: Rule) throws {
        (self.layer, self.rule, recipe) = (layer, rule, RuleRecipe(rule))
        var weights: [RuleRecipe.Transform: Tensor] = [:], biases: [RuleRecipe.Transform: Tensor?] = [:]
        for transform in recipe.transforms {
            weights[transform] = layer.weight.mapped(transform.apply)
            // a missing bias is zero, and every transform keeps zero at zero
            biases[transform] = transform == .zero || transform == .ones ? nil : layer.bias?.mapped(transform.apply)
        }
        (self.weights, self.biases) = (weights, biases)
    }

    /// The four steps for one layer: relevance at its input from relevance at its output.
    /// - Parameters:
    ///   - input: the layer's input `x` from the forward pass.
    ///   - output: its recorded output `z = Wx + b`.
    func propagate(_ relevance: Tensor, input: Tensor, output: Tensor) throws -> Tensor {
        var parts = try InputParts(input: input, rule: rule, operatorName: layer.operatorName)
        var result = Tensor(zerosWithValidShape: input.shape)
        for branch in recipe.branches {
            let denominator = try self.denominator(of: branch, parts: &parts, output: output)
            let scale = branch.coefficient
            let quotient = relevance.combined(with: denominator) { r, z in r / stabilized(z, recipe.epsilon) }
            let masked = branch.outputSign == .any ? quotient : quotient.combined(with: output) { s, z in
                (branch.outputSign == .positive ? z > 0 : z < 0) ? s : 0
            }
            for term in branch.terms {
                guard let part = try parts.tensor(term.input) else { continue }   // an input part that is all zero adds nothing
                let contribution = try layer.transposed(masked, weight: weights[term.weight]!, inputShape: input.shape)
                result.addProduct(part, contribution, scale: scale * term.sign)
            }
        }
        return result
    }

    /// `Σ_t sign_t · layer(input_t, ρ_t(W), ρ_t(b))`, or the recorded output for the plain layer.
    private func denominator(of branch: RuleRecipe.Branch, parts: inout InputParts, output: Tensor) throws -> Tensor {
        if branch.terms.count == 1, branch.terms[0].isPlainForward { return output }
        var sum: Tensor?
        for term in branch.terms {
            let bias = biases[term.bias]!
            let part = try parts.tensor(term.input)
            guard part != nil || bias != nil else { continue }
            let z = try layer.forward(part ?? Tensor(zerosWithValidShape: parts.input.shape), weight: weights[term.weight]!, bias: bias)
            let signed = term.sign == 1 ? z : z.mapped { -$0 }
            sum = try sum.map { try $0.adding(signed) } ?? signed
        }
        return sum ?? Tensor(zerosWithValidShape: output.shape)
    }
}

/// The parts of a layer's input that rules use (`x`, `x⁺`, `x⁻`, ones, box bounds), made on first use.
/// A part that is zero everywhere (`x⁻` after a ReLU) is `nil`, so its terms are skipped.
struct InputParts {
    let input: Tensor
    let rule: Rule
    let operatorName: String
    private let hasNegative: Bool
    private let hasPositive: Bool
    private var cache: [RuleRecipe.InputPart: Tensor] = [:]

    init(input: Tensor, rule: Rule, operatorName: String) throws {
        (self.input, self.rule, self.operatorName) = (input, rule, operatorName)
        hasNegative = input.scalars.contains { $0 < 0 }
        hasPositive = input.scalars.contains { $0 > 0 }
    }

    mutating func tensor(_ part: RuleRecipe.InputPart) throws -> Tensor? {
        switch part {
        case .input: return input
        case .positive where !hasNegative: return hasPositive ? input : nil
        case .negative where !hasNegative: return nil
        case .positive where !hasPositive: return nil
        case .negative where !hasPositive: return input
        default: break
        }
        if let cached = cache[part] { return cached }
        let made: Tensor
        switch part {
        case .positive: made = input.mapped { max($0, 0) }
        case .negative: made = input.mapped { min($0, 0) }
        case .ones: made = Tensor(validShape: input.shape, scalars: [Float](repeating: 1, count: input.count))
        case .lowBound, .highBound: made = try bounds(part == .lowBound)
        case .input: made = input
        }
        cache[part] = made
        return made
    }

    /// The box bounds broadcast to the input's shape (one value, or one per channel of dimension 1).
    private func bounds(_ low: Bool) throws -> Tensor {
        guard case .box(let lows, let highs) = rule else { return input }
        let values = low ? lows : highs
        let channels = input.rank >= 2 ? input.shape[1] : 1
        guard values.count == 1 || values.count == channels else {
            throw LRPError(.parameter, "rule '\(rule)': \(values.count) bounds for \(operatorName) with \(channels) input channels")
        }
        let plane = input.rank > 2 ? input.shape.dropFirst(2).reduce(1, *) : 1
        return Tensor(validShape: input.shape, scalars: (0..<input.count).map { index in
            values.count == 1 ? values[0] : values[(index / plane) % channels]
        })
    }
}
