/// A weighted layer with its rule's recipe, ready to propagate relevance: the modified parameters are
/// computed once, when the explainer is made.
///
/// Every weight transform of the catalog is a linear combination of a few *basis* matrices — `W`, `W⁺`,
/// `W⁻`, all-ones, `W²` (for instance `W + γW⁻ = (1+γ)W − γW⁺`). The plan therefore computes, for
/// each part of the input a rule uses, one forward product per basis matrix, taking `W·x` from the recorded
/// output instead of recomputing it. Relevance goes back through the transposed products of each input part:
/// `R += part ⊙ Σ_k B_kᵀ S_k`, with `S_k` the branch quotients weighted by each term's coefficient of `B_k`.
/// LRP-γ after a ReLU thus costs one extra forward and two transposed products per layer.
/// `W⁻` stays a basis matrix of its own where a rule uses it alone (z⁺, αβ, box): writing `W⁻x` as
/// `Wx − W⁺x` would cancel badly where the negative part is small.
///
/// Each basis matrix is the own weight of a copy of the layer (`W`: the layer itself), so that what a layer
/// keeps between calls with its own weight (a convolution's Winograd transforms) is made once per explainer.
struct WeightedLayerPlan: Sendable {
    /// The matrices every weight transform is combined from.
    enum Basis: Int, Sendable, Hashable, Comparable {
        case weight, positive, negative, ones, square
        static func < (a: Basis, b: Basis) -> Bool { a.rawValue < b.rawValue }
    }

    let layer: any LinearLayer
    let rule: Rule
    let recipe: RuleRecipe
    /// `ρ(b)` for each bias transform (`nil` when it is zero).
    private let biases: [RuleRecipe.Transform: Tensor]
    /// The basis matrices each input part needs, with their products.
    private let products: [RuleRecipe.InputPart: BasisProducts]

    init(layer: any LinearLayer, rule: Rule) throws {
        guard let recipe = RuleRecipe(rule) else { throw LRPError(.parameter, "rule '\(rule)': a custom rule has no recipe") }
        (self.layer, self.rule, self.recipe) = (layer, rule, recipe)
        var needed: [RuleRecipe.InputPart: Set<Basis>] = [:]
        for term in recipe.branches.flatMap(\.terms) {
            needed[term.input, default: []].formUnion(WeightedLayerPlan.decompose(term.weight).map(\.basis))
        }
        var layers: [Basis: any LinearLayer] = [:]
        for basis in needed.values.reduce(Set(), { $0.union($1) }) {
            let matrix: Tensor
            switch basis {
            case .weight: layers[basis] = layer; continue
            case .positive: matrix = layer.weight.mapped { max($0, 0) }
            case .negative: matrix = layer.weight.mapped { min($0, 0) }
            case .ones: matrix = layer.weight.mapped { _ in 1 }
            case .square: matrix = layer.weight.mapped { $0 * $0 }
            }
            layers[basis] = try layer.replacingParameters(weight: matrix, bias: nil)
        }
        var biases: [RuleRecipe.Transform: Tensor] = [:]
        if let bias = layer.bias {
            for transform in Set(recipe.branches.flatMap { $0.terms.map(\.bias) }) where transform != .zero && transform != .ones {
                biases[transform] = bias.mapped(transform.apply)
            }
        }
        self.biases = biases
        products = try needed.mapValues { bases in
            try BasisProducts(layers: bases.sorted().map { ($0, layers[$0]!) })
        }
    }

    /// The coefficients of a weight transform over the basis matrices.
    static func decompose(_ transform: RuleRecipe.Transform) -> [(basis: Basis, coefficient: Float)] {
        switch transform {
        case .identity: [(.weight, 1)]
        case .positive: [(.positive, 1)]
        case .negative: [(.negative, 1)]
        case .gammaPositive(let g): [(.weight, 1), (.positive, g)]
        case .gammaNegative(let g): [(.weight, 1 + g), (.positive, -g)]
        case .ones: [(.ones, 1)]
        case .square: [(.square, 1)]
        case .zero: []
        }
    }

    /// The four steps for one layer: relevance at its input from relevance at its output.
    /// - Parameters:
    ///   - input: the layer's input `x` from the forward pass.
    ///   - output: its recorded output `z = Wx + b`.
    func propagate(_ relevance: Tensor, input: Tensor, output: Tensor) throws -> Tensor {
        var parts = InputParts(input: input, rule: rule, operatorName: layer.operatorName)
        // step 1: one forward product per (input part, basis matrix), except where the recorded output is
        // the branch's denominator
        let plain = recipe.branches.map { isRecordedOutput($0, parts: parts) }
        var forwards: [RuleRecipe.InputPart: [Basis: Tensor]] = [:]
        for part in Set(zip(recipe.branches, plain).filter { !$0.1 }.flatMap { $0.0.terms.map(\.input) }) {
            guard let product = products[part], let tensor = try parts.tensor(part) else { continue }
            forwards[part] = try product.forward(tensor, isLayerInput: parts.isInput(part), output: output, bias: layer.bias)
        }
        // steps 2 and 3: each branch's quotient, spread over the basis signals of each input part
        var signals: [RuleRecipe.InputPart: [Basis: Tensor]] = [:]
        for (branch, isPlain) in zip(recipe.branches, plain) {
            let quotient = isPlain
                ? relevance.combined(with: output) { [epsilon = recipe.epsilon] r, z in r / stabilized(z, epsilon) }
                : try self.quotient(of: branch, relevance: relevance, output: output, forwards: forwards)
            for term in branch.terms where isPlain || forwards[term.input] != nil {
                for (basis, coefficient) in WeightedLayerPlan.decompose(term.weight) {
                    let scale = branch.coefficient * term.sign * coefficient
                    if var existing = signals[term.input]?[basis] {
                        existing.add(quotient, scaledBy: scale)
                        signals[term.input]![basis] = existing
                    } else {
                        signals[term.input, default: [:]][basis] = scale == 1 ? quotient : quotient.mapped { $0 * scale }
                    }
                }
            }
        }
        // step 4: one transposed product per input part, times that part
        var result: Tensor?
        for (part, bySignal) in signals {
            guard let tensor = try parts.tensor(part) else { continue }
            let contribution = try products[part]!.transposed(bySignal, inputShape: input.shape)
            if result == nil {
                result = contribution.combined(with: tensor, *)
            } else {
                result!.addProduct(tensor, contribution, scale: 1)
            }
        }
        return result ?? Tensor(zerosWithValidShape: input.shape)
    }

    /// Whether a branch's denominator is the layer's recorded output: one unmodified term on the input itself
    /// (LRP-0, LRP-ε), applying everywhere.
    private func isRecordedOutput(_ branch: RuleRecipe.Branch, parts: InputParts) -> Bool {
        guard branch.outputSign == .any, branch.terms.count == 1, let term = branch.terms.first else { return false }
        return term.weight == .identity && term.bias == .identity && term.sign == 1 && parts.isInput(term.input)
    }

    /// `s_b = R / stab(z_b)` where the branch applies, with `z_b = Σ_t sign_t (Σ_k c_tk · B_k·part_t + ρ_t(b))`.
    private func quotient(
        of branch: RuleRecipe.Branch, relevance: Tensor, output: Tensor, forwards: [RuleRecipe.InputPart: [Basis: Tensor]]
    ) throws -> Tensor {
        var denominator = Tensor(zerosWithValidShape: output.shape)
        for term in branch.terms {
            if let products = forwards[term.input] {
                for (basis, coefficient) in WeightedLayerPlan.decompose(term.weight) {
                    denominator.add(products[basis]!, scaledBy: term.sign * coefficient)
                }
            }
            if let bias = biases[term.bias] {
                denominator.addBias(bias, scale: term.sign, axis: layer.outputAxis(rank: denominator.rank))
            }
        }
        let epsilon = recipe.epsilon
        switch branch.outputSign {
        case .any:
            return relevance.combined(with: denominator) { r, z in r / stabilized(z, epsilon) }
        case .positive, .negative:
            let positive = branch.outputSign == .positive
            var quotient = relevance.combined(with: denominator) { r, z in r / stabilized(z, epsilon) }
            output.withUnsafeBufferPointer { z in
                quotient.withUnsafeMutableBufferPointer { s in
                    for index in s.indices where !(positive ? z[index] > 0 : z[index] < 0) { s[index] = 0 }
                }
            }
            return quotient
        }
    }
}

/// The forward and transposed products of one input part with several basis matrices, each through a layer
/// whose own weight it is. Forward products of matrices that are always computed together go through one
/// stacked layer (weights concatenated along the outputs, so one im2col or input transform serves them all);
/// with `W` among them they are not, since `W·x` is mostly the recorded output. Transposed products are
/// summed from each matrix's own layer, which keeps its Winograd transforms, rather than computed by a
/// stacked layer, whose transforms would take as much memory again. (A stacked forward keeps a transform of
/// its own: αβ and box hold their matrices' F(2,3) transforms twice, once stacked and once per matrix.)
struct BasisProducts: Sendable {
    let bases: [WeightedLayerPlan.Basis]
    let layers: [WeightedLayerPlan.Basis: any LinearLayer]
    /// The layer with all basis matrices stacked, when there are several, `W` is not among them and the layer
    /// can stack.
    let stacked: (any LinearLayer)?

    init(layers: [(WeightedLayerPlan.Basis, any LinearLayer)]) throws {
        bases = layers.map(\.0)
        self.layers = Dictionary(uniqueKeysWithValues: layers)
        stacked = bases.count > 1 && !bases.contains(.weight) ? try layers[0].1.stacking(layers.map(\.1.weight)) : nil
    }

    /// `B_k · part` for each basis matrix; `W · x` is the recorded output minus the bias.
    func forward(_ part: Tensor, isLayerInput: Bool, output: Tensor, bias: Tensor?) throws -> [WeightedLayerPlan.Basis: Tensor] {
        var results: [WeightedLayerPlan.Basis: Tensor] = [:]
        var computed = bases
        if isLayerInput, let layer = layers[.weight] {
            var plain = output
            if let bias { plain.addBias(bias, scale: -1, axis: layer.outputAxis(rank: plain.rank)) }
            results[.weight] = plain
            computed.removeAll { $0 == .weight }
        }
        if let stacked {
            let all = try stacked.product(part)
            for (basis, slice) in zip(bases, try all.split(along: stacked.outputAxis(rank: all.rank), into: bases.count)) { results[basis] = slice }
        } else {
            for basis in computed { results[basis] = try layers[basis]!.product(part) }
        }
        return results
    }

    /// `Σ_k B_kᵀ S_k` for the given signals.
    func transposed(_ signals: [WeightedLayerPlan.Basis: Tensor], inputShape: [Int]) throws -> Tensor {
        var sum: Tensor?
        for basis in bases {
            guard let signal = signals[basis] else { continue }
            let part = try layers[basis]!.transposedProduct(signal, inputShape: inputShape)
            if sum == nil { sum = part } else { sum!.add(part, scaledBy: 1) }
        }
        return sum ?? Tensor(zerosWithValidShape: inputShape)
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

    init(input: Tensor, rule: Rule, operatorName: String) {
        (self.input, self.rule, self.operatorName) = (input, rule, operatorName)
        // counted without branches, so that the pass vectorizes
        var (negatives, positives) = (0, 0)
        input.withUnsafeBufferPointer { values in
            for value in values {
                negatives &+= value < 0 ? 1 : 0
                positives &+= value > 0 ? 1 : 0
            }
        }
        (hasNegative, hasPositive) = (negatives > 0, positives > 0)
    }

    /// Whether a part is the layer input itself (so `W · part` is the recorded output minus the bias).
    func isInput(_ part: RuleRecipe.InputPart) -> Bool {
        part == .input || part == .positive && !hasNegative || part == .negative && !hasPositive
    }

    mutating func tensor(_ part: RuleRecipe.InputPart) throws -> Tensor? {
        switch part {
        case .input: return input
        case .positive where !hasPositive, .negative where !hasNegative: return nil
        case .positive where !hasNegative, .negative where !hasPositive: return input
        default: break
        }
        if let cached = cache[part] { return cached }
        let made: Tensor
        switch part {
        case .positive: made = input.mapped { max($0, 0) }
        case .negative: made = input.mapped { min($0, 0) }
        case .ones: made = input.mapped { _ in 1 }
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
        return input.mappedByChannel { _, channel in values.count == 1 ? values[0] : values[channel] }
    }
}

/// What the explainer runs at a weighted layer: a shipped rule's recipe, or a ``CustomRule``.
enum WeightedLayerStep: Sendable {
    case recipe(WeightedLayerPlan)
    case custom(any CustomRule, layer: any LinearLayer)

    init(layer: any LinearLayer, rule: Rule) throws {
        if case .custom(let custom) = rule {
            self = .custom(custom, layer: layer)
        } else {
            self = .recipe(try WeightedLayerPlan(layer: layer, rule: rule))
        }
    }

    var rule: Rule {
        switch self {
        case .recipe(let plan): plan.rule
        case .custom(let custom, _): .custom(custom)
        }
    }

    /// Relevance at the layer's input; a custom rule's result must have the input's shape.
    func propagate(_ relevance: Tensor, input: Tensor, output: Tensor) throws -> Tensor {
        switch self {
        case .recipe(let plan):
            return try plan.propagate(relevance, input: input, output: output)
        case .custom(let custom, let layer):
            let result = try custom.propagate(relevance, through: layer, input: input, output: output)
            guard result.shape == input.shape else {
                throw LRPError(.shape, "rule '\(custom)': returned relevance of shape \(describe(result.shape)) for an input of shape \(describe(input.shape))")
            }
            return result
        }
    }
}
