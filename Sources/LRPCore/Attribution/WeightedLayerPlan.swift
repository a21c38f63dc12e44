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
    /// Whether the recipe uses `x⁺` or `x⁻` (so that the input's signs matter).
    private var usesSignedParts: Bool { products.keys.contains { $0 == .positive || $0 == .negative } }

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
        var parts = InputParts(input: input, rule: rule, operatorName: layer.operatorName, usesSigns: usesSignedParts)
        // step 1: one forward product per (input part, basis matrix), except where the recorded output is
        // the branch's denominator or `W·part` is the recorded output minus the bias
        let plain = recipe.branches.map { isRecordedOutput($0, parts: parts) }
        var forwards: [RuleRecipe.InputPart: [Basis: Tensor]] = [:]
        for part in Set(zip(recipe.branches, plain).filter { !$0.1 }.flatMap { $0.0.terms.map(\.input) }) {
            guard let product = products[part], let tensor = try parts.tensor(part) else { continue }
            forwards[part] = try product.forward(tensor, skippingWeight: parts.isInput(part))
        }
        // steps 2 and 3: each branch's quotient, spread over the basis signals of each input part
        let signals = self.signals(relevance: relevance, output: output, plain: plain, forwards: forwards)
        // step 4: one transposed product per input part, times that part (in the recipe's order, so that the
        // sum is the same in every run)
        var result: Tensor?
        for (part, bySignal) in signals {
            guard let tensor = try parts.tensor(part) else { continue }
            let contribution = try products[part]!.transposed(bySignal, inputShape: input.shape)
            if result == nil {
                result = contribution.multiplied(sameShape: tensor)
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

    /// The signals `S_(part, basis)`, by input part in the order the recipe first uses them: the branch
    /// quotients `s_b = R / stab(z_b)`, where the branch applies, weighted by each term's coefficient of the
    /// basis matrix. A branch's denominator is `z_b = Σ_t sign_t (Σ_k c_tk · B_k·part_t + ρ_t(b))`, or the
    /// recorded output for a plain branch; a `W·part` not in `forwards` is the recorded output minus the bias.
    private func signals(
        relevance: Tensor, output: Tensor, plain: [Bool], forwards: [RuleRecipe.InputPart: [Basis: Tensor]]
    ) -> [(part: RuleRecipe.InputPart, bySignal: [Basis: Tensor])] {
        let axis = layer.outputAxis(rank: output.rank)
        let channels = output.shape[axis]
        let bias = layer.bias?.scalars
        var denominators: [BranchQuotients.Denominator] = []
        var keys: [(part: RuleRecipe.InputPart, basis: Basis)] = []
        var contributions: [BranchQuotients.Signal] = []
        for (index, (branch, isPlain)) in zip(recipe.branches, plain).enumerated() {
            var denominator = BranchQuotients.Denominator(outputSign: branch.outputSign)
            var constant = [Float](repeating: 0, count: channels)
            if isPlain { denominator.terms = [(output, 1)] }
            for term in branch.terms {
                // the bias enters whether or not the term's input part is zero (Zennit's modified forward)
                if !isPlain, let termBias = biases[term.bias]?.scalars {
                    for c in 0..<channels { constant[c] += term.sign * termBias[c] }
                }
                let products = isPlain ? nil : forwards[term.input]   // a plain branch's denominator is the output
                guard isPlain || products != nil else { continue }
                for (basis, coefficient) in WeightedLayerPlan.decompose(term.weight) {
                    if let products {
                        let scale = term.sign * coefficient
                        if let product = products[basis] {
                            denominator.terms.append((product, scale))
                        } else {
                            denominator.terms.append((output, scale))
                            if let bias { for c in 0..<channels { constant[c] -= scale * bias[c] } }
                        }
                    }
                    let scale = branch.coefficient * term.sign * coefficient
                    if let position = keys.firstIndex(where: { $0.part == term.input && $0.basis == basis }) {
                        contributions[position].append((index, scale))
                    } else {
                        keys.append((term.input, basis))
                        contributions.append([(index, scale)])
                    }
                }
            }
            if !isPlain && (bias != nil || !biases.isEmpty) { denominator.bias = constant }
            denominators.append(denominator)
        }
        let quotients = BranchQuotients(denominators: denominators, epsilon: recipe.epsilon, channels: channels,
                                        planeSize: output.shape.dropFirst(axis + 1).reduce(1, *))
        var signals: [(part: RuleRecipe.InputPart, bySignal: [Basis: Tensor])] = []
        for (key, signal) in zip(keys, quotients.signals(contributions, relevance: relevance, output: output)) {
            if let position = signals.firstIndex(where: { $0.part == key.part }) {
                signals[position].bySignal[key.basis] = signal
            } else {
                signals.append((key.part, [key.basis: signal]))
            }
        }
        return signals
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

    /// `B_k · part` for each basis matrix, except `W · part` when `skippingWeight` (the caller takes it from
    /// the recorded output).
    func forward(_ part: Tensor, skippingWeight: Bool) throws -> [WeightedLayerPlan.Basis: Tensor] {
        if let stacked {
            let all = try stacked.product(part)
            let slices = try all.split(along: stacked.outputAxis(rank: all.rank), into: bases.count)
            return Dictionary(uniqueKeysWithValues: zip(bases, slices))
        }
        var results: [WeightedLayerPlan.Basis: Tensor] = [:]
        for basis in bases where !(skippingWeight && basis == .weight) { results[basis] = try layers[basis]!.product(part) }
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

    /// - Parameter usesSigns: whether `x⁺` or `x⁻` will be asked for; if not, the input is not scanned for signs.
    init(input: Tensor, rule: Rule, operatorName: String, usesSigns: Bool) {
        (self.input, self.rule, self.operatorName) = (input, rule, operatorName)
        guard usesSigns else {
            (hasNegative, hasPositive) = (true, true)
            return
        }
        // whether any element is negative and any positive, in one piece per worker
        let pieces = Parallel.workerCount
        var found = [(negative: Bool, positive: Bool)](repeating: (false, false), count: pieces)
        input.withUnsafeBufferPointer { values in
            found.withUnsafeMutableBufferPointer { found in
                Parallel.forEachRange(of: pieces) { range in
                    for piece in range {
                        found[piece] = InputParts.signs(values, values.count * piece / pieces ..< values.count * (piece + 1) / pieces)
                    }
                }
            }
        }
        (hasNegative, hasPositive) = (found.contains { $0.negative }, found.contains { $0.positive })
    }

    /// Whether `values[range]` holds a negative and a positive element (NaN is neither), compared four lanes
    /// at a time, the width the baseline x86-64 build compares in one instruction (a min/max over sixteen lanes
    /// was lowered lane by lane through the stack: 8.7% of γ's samples on VGG-11); stops at the first block of
    /// 4096 elements by which both have turned up.
    static func signs(_ values: UnsafeBufferPointer<Float>, _ range: Range<Int>) -> (negative: Bool, positive: Bool) {
        guard let base = values.baseAddress else { return (false, false) }
        let raw = UnsafeRawPointer(base)
        var (negative, positive) = (SIMDMask<SIMD4<Int32>>(repeating: false), SIMDMask<SIMD4<Int32>>(repeating: false))
        var index = range.lowerBound
        while index + 4 <= range.upperBound {
            let blockEnd = min(index + 4096, range.upperBound)
            while index + 4 <= blockEnd {
                let lanes = raw.loadUnaligned(fromByteOffset: index * MemoryLayout<Float>.stride, as: SIMD4<Float>.self)
                negative .|= lanes .< 0
                positive .|= lanes .> 0
                index += 4
            }
            if any(negative) && any(positive) { return (true, true) }
        }
        var found = (negative: any(negative), positive: any(positive))
        for value in values[index ..< range.upperBound] {
            found = (found.negative || value < 0, found.positive || value > 0)
        }
        return found
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
