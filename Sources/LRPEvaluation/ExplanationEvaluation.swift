import LRPCore
import LRPData
import LRPVisualization

/// Evaluates explanation methods on a model, a batch at a time: region perturbation (most and least
/// relevant first) with the area over the perturbation curve, cascading model-parameter randomization,
/// conservation, sparseness and complexity, next to two reference orders every method should beat: a random
/// order and the plain gradient (sensitivity, `Σ_c (∂f/∂x)²` per pixel, as Samek et al. 2017).
///
/// Figures are means per batch; merge batches (and shards) with ``MethodMetrics/merged(_:)``.
///
/// ```swift
/// let evaluation = try ExplanationEvaluation(model: model, methods: [.lrp(.uniform(.gamma(0.25)))],
///                                            perturbation: try RegionPerturbation(patchSize: 4, steps: 16))
/// let metrics = try evaluation.evaluate(images)          // one entry per method, then random and gradient
/// print(metrics.map { "\($0.name): AOPC \($0.aopcMostRelevantFirst)" })
/// ```
public struct ExplanationEvaluation: Sendable {
    public let model: Model
    public let perturbation: RegionPerturbation
    /// The seed of the random order and of the randomized weights.
    public let seed: UInt64
    /// Whether the cascading randomization runs.
    public let randomization: Bool
    let explainers: [Explainer]
    let gradient: Explainer
    /// The limit of every explainer, those of the randomized models included.
    let memoryLimit: MemoryLimit

    /// - Parameters:
    ///   - model: the model whose explanations are evaluated.
    ///   - methods: the methods to evaluate; their specifications name them in the results.
    ///   - perturbation: the patch size, steps and replacement of the region perturbation.
    ///   - randomization: whether to run the cascading randomization (one explanation per weighted layer
    ///     and method, the most expensive part).
    ///   - seed: the seed of the random order and of the randomized weights.
    ///   - memoryLimit: bounds the working memory of every explainer the evaluation makes (see `MemoryLimit`).
    /// - Throws: `LRPError` when a method does not fit the model.
    public init(model: Model, methods: [AttributionMethod], perturbation: RegionPerturbation,
                randomization: Bool = true, seed: UInt64 = 0, memoryLimit: MemoryLimit = .standard) throws {
        guard !methods.isEmpty else { throw LRPError(.parameter, "evaluation: needs at least one method") }
        explainers = try methods.map { try Explainer(model: model, method: $0, memoryLimit: memoryLimit) }
        gradient = try Explainer(model: model, method: .gradient, memoryLimit: memoryLimit)
        (self.model, self.perturbation, self.randomization, self.seed) = (model, perturbation, randomization, seed)
        self.memoryLimit = memoryLimit
    }

    /// Evaluates one batch: one ``MethodMetrics`` per method, then the `random` and `gradient` baselines.
    /// - Parameters:
    ///   - input: `[N, C, H, W]`.
    ///   - target: the classes to explain (and whose score the perturbation follows).
    ///   - initialRelevance: the initial relevance of the LRP methods.
    ///   - firstIndex: the dataset index of the batch's first input: the random order of each input depends on
    ///     its index, so that batches and shards give the figures of one run.
    ///   - relevance: precomputed input relevance per method (as `lrp explain --output` writes it), used
    ///     instead of explaining; such methods get no per-layer sums.
    /// - Throws: `LRPError` for input or relevance that does not fit, or an explanation that fails.
    public func evaluate(_ input: Tensor, target: Target = .predicted, initialRelevance: InitialRelevance = .logit, firstIndex: Int = 0,
                         relevance: [Tensor?]? = nil) throws -> [MethodMetrics] {
        let given = relevance ?? Array(repeating: nil, count: explainers.count)
        guard given.count == explainers.count else {
            throw LRPError(.parameter, "evaluation: \(given.count) relevance tensors for \(explainers.count) methods")
        }
        for case let tensor? in given where tensor.shape != input.shape {
            throw LRPError(.shape, "evaluation: relevance of shape \(describe(tensor.shape)) does not match the input \(describe(input.shape))")
        }
        let logits = try model.forward(input)
        let targets = try target.classes(for: logits)
        let randomized = randomization ? try randomizedMaps(input, targets: targets, initialRelevance: initialRelevance) : []
        let scores = targets.enumerated().map { logits[$0.offset * logits.elementsPerSample + $0.element] }
        var results: [MethodMetrics] = []
        for (index, explainer) in explainers.enumerated() {
            var (map, layerSums): (Tensor, [LayerRelevanceSums]?) = (input, nil)
            if let precomputed = given[index] {
                map = precomputed
            } else {
                let explanation = try explainer.explain(input, target: .perSample(targets), initialRelevance: initialRelevance)
                (map, layerSums) = (explanation.relevance, explanation.layerSums.isEmpty ? nil : explanation.layerSums)
            }
            results.append(try metrics(name: explainer.method.description, kind: "method", input: input, relevance: map,
                                       targets: targets, scores: scores, reportsConservation: true, layerSums: layerSums,
                                       randomized: randomized.map { (layer: $0.layer, maps: $0.maps[index]) }))
        }
        results.append(try orderMetrics(name: "random", input: input, targets: targets, scores: scores, seed: seed &+ UInt64(firstIndex)))
        let sensitivity = try gradient.explain(input, target: .perSample(targets)).relevance.mapped { $0 * $0 }
        results.append(try metrics(name: "gradient", kind: "baseline", input: input, relevance: sensitivity,
                                   targets: targets, scores: scores, reportsConservation: false, layerSums: nil, randomized: []))
        return results
    }

    private func metrics(
        name: String, kind: String, input: Tensor, relevance: Tensor, targets: [Int], scores: [Float], reportsConservation: Bool,
        layerSums: [LayerRelevanceSums]?, randomized: [(layer: String, maps: [[Float]])]
    ) throws -> MethodMetrics {
        let count = Double(input.batchSize)
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / count }
        let best = try perturbation.curves(model: model, input: input, relevance: relevance, targets: targets,
                                           order: .mostRelevantFirst, startScores: scores)
        let worst = try perturbation.curves(model: model, input: input, relevance: relevance, targets: targets,
                                            order: .leastRelevantFirst, startScores: scores)
        let maps = try (0..<input.batchSize).map { try relevance.channelSum(sample: $0) }
        let ratios = reportsConservation ? zip(relevance.sumPerSample(), scores).map { $1 == 0 ? Double.nan : $0 / Double($1) } : nil
        var steps: [MethodMetrics.RandomizationStep] = []
        for (layer, changedMaps) in randomized {
            steps.append(.init(layer: layer,
                               spearman: mean(zip(maps, changedMaps).map { RankCorrelation.spearman($0, $1) }),
                               spearmanAbsolute: mean(zip(maps, changedMaps).map { RankCorrelation.spearman($0.map(abs), $1.map(abs)) })))
        }
        return MethodMetrics(
            name: name, kind: kind, samples: input.batchSize,
            aopcMostRelevantFirst: RegionPerturbation.aopc(best), aopcLeastRelevantFirst: RegionPerturbation.aopc(worst),
            curveMostRelevantFirst: Self.meanCurve(best), curveLeastRelevantFirst: Self.meanCurve(worst),
            conservationMean: ratios.map(mean), conservationMinimum: ratios?.min(), conservationMaximum: ratios?.max(),
            layerSums: layerSums.map { sums in sums.reversed().map { .init(node: $0.node, relevance: mean($0.output)) } },
            gini: mean(maps.map(HeatmapMeasures.gini)), entropy: mean(maps.map(HeatmapMeasures.entropy)),
            randomization: randomized.isEmpty ? nil : steps)
    }

    /// For each step of the cascade, its layer and each method's channel-summed relevance per sample; one
    /// randomized model and its explainers alive at a time.
    private func randomizedMaps(_ input: Tensor, targets: [Int], initialRelevance: InitialRelevance) throws -> [(layer: String, maps: [[[Float]]])] {
        var steps: [(layer: String, maps: [[[Float]]])] = []
        try ModelRandomization.cascade(model, seed: seed) { step in
            let maps = try explainers.map { explainer in
                let relevance = try Explainer(model: step.model, method: explainer.method, memoryLimit: memoryLimit)
                    .explain(input, target: .perSample(targets), initialRelevance: initialRelevance).relevance
                return try (0..<input.batchSize).map { try relevance.channelSum(sample: $0) }
            }
            steps.append((step.layer, maps))
        }
        return steps
    }

    /// The random order: AOPC and curve only.
    private func orderMetrics(name: String, input: Tensor, targets: [Int], scores: [Float], seed: UInt64) throws -> MethodMetrics {
        let curves = try perturbation.curves(model: model, input: input, relevance: input, targets: targets,
                                             order: .random(seed: seed), startScores: scores)
        return MethodMetrics(
            name: name, kind: "baseline", samples: input.batchSize,
            aopcMostRelevantFirst: RegionPerturbation.aopc(curves), aopcLeastRelevantFirst: nil,
            curveMostRelevantFirst: Self.meanCurve(curves), curveLeastRelevantFirst: nil,
            conservationMean: nil, conservationMinimum: nil, conservationMaximum: nil, layerSums: nil,
            gini: nil, entropy: nil, randomization: nil)
    }

    private static func meanCurve(_ curves: [[Float]]) -> [Double] {
        guard let length = curves.first?.count else { return [] }
        return (0..<length).map { step in curves.reduce(0.0) { $0 + Double($1[step]) } / Double(curves.count) }
    }
}
