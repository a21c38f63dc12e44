/// Explains a model's predictions: LRP with a composite, or a gradient method on the same machinery.
///
/// The model is canonicalized once (batch normalization after a weighted layer merged into it) and each
/// weighted layer's modified parameters are computed once; `explain` can then be called for many batches,
/// from several threads.
///
/// ```swift
/// let model = try ONNXModel.load(URL(fileURLWithPath: "demo/cifar10_cnn.onnx")).model
/// let explainer = try Explainer(model: model, composite: .epsilonGammaBox(low: 0, high: 255))
/// let explanation = try explainer.explain(images)               // predicted classes, logit start
/// print(explanation.relevance.shape, explanation.targets)       // [N, 3, 32, 32] [3, …]
/// ```
public struct Explainer: Sendable {
    /// The canonical model that is explained.
    public let model: Model
    public let method: AttributionMethod
    /// The rule of each weighted layer by node name (empty for gradient methods).
    public let rules: [String: Rule]
    private let plans: [Int: WeightedLayerStep]
    /// The number composites give each weighted layer, by node index.
    private let weightedLayerNumbers: [Int: Int]
    private let weightlessRule: @Sendable (any Layer) -> WeightlessRule
    /// How many batch entries LRP propagates at once: ``chunkSize``, or fewer when their working memory would
    /// exceed the memory limit.
    public let samplesAtOnce: Int

    /// - Parameters:
    ///   - model: the model to explain; the composite's canonizers are applied to it.
    ///   - method: LRP with a composite, or a gradient method.
    ///   - memoryLimit: bounds the working memory of the samples propagated at once (see
    ///     ``samplesAtOnce``).
    /// - Throws: `LRPError` if the composite does not fit the model (ranges, uncovered layers) or box bounds
    ///   do not match the input channels.
    public init(model: Model, method: AttributionMethod, memoryLimit: MemoryLimit = .standard) throws {
        var canonical = model
        for canonizer in method.composite?.canonizers ?? [MergeBatchNormalization()] { canonical = try canonizer.canonize(canonical) }
        self.model = canonical
        self.method = method
        var plans: [Int: WeightedLayerStep] = [:]
        if let composite = method.composite {
            for (index, rule) in try composite.rules(for: self.model) {
                guard let layer = self.model.nodes[index].layer as? any LinearLayer else { continue }
                plans[index] = try WeightedLayerStep(layer: layer, rule: rule)
            }
        }
        let standard: @Sendable (any Layer) -> WeightlessRule = { WeightlessRule.standard(for: $0) }
        weightlessRule = method.composite?.weightlessRule ?? standard
        self.plans = plans
        weightedLayerNumbers = Dictionary(uniqueKeysWithValues: canonical.weightedNodeIndices.enumerated().map { ($1, $0 + 1) })
        samplesAtOnce = memoryLimit.samplesAtOnce(for: canonical, requested: Explainer.chunkSize)
        rules = Dictionary(uniqueKeysWithValues: plans.map { (canonical.nodes[$0.key].name, $0.value.rule) })
    }

    public init(model: Model, composite: Composite, memoryLimit: MemoryLimit = .standard) throws {
        try self.init(model: model, method: .lrp(composite), memoryLimit: memoryLimit)
    }

    /// How many batch entries LRP propagates at most at once: larger batches go through in chunks of this size
    /// (or ``samplesAtOnce``), so that memory for activations and the rules' temporaries does not grow with
    /// the batch.
    public static let chunkSize = 32

    /// Explains a batch.
    /// - Parameters:
    ///   - input: a batch `[N] + model.sampleShape`.
    ///   - target: which class to explain per sample (predicted by default).
    ///   - initialRelevance: the initial relevance (the target's logit by default; gradient methods always start one-hot).
    ///   - names: node names whose output relevance to return (LRP only).
    /// - Throws: `LRPError` for input that does not fit, a target outside the classes, or non-finite relevance
    ///   (naming the node where it appeared).
    public func explain(
        _ input: Tensor, target: Target = .predicted, initialRelevance: InitialRelevance = .logit, keepingRelevanceAt names: Set<String> = []
    ) throws -> Explanation {
        if let unknown = names.first(where: { name in !model.nodes.contains { $0.name == name } }) {
            throw LRPError(.parameter, "no node named '\(unknown)' in the model")
        }
        // in chunks: the activations and the rules' temporaries then take a fixed amount of memory
        guard input.batchSize > samplesAtOnce else { return try explainChunk(input, first: 0, target: target, initialRelevance: initialRelevance, keeping: names) }
        return try Explanation(joining: stride(from: 0, to: input.batchSize, by: samplesAtOnce).map { first in
            let range = first ..< min(first + samplesAtOnce, input.batchSize)
            return try explainChunk(try input.batch(range), first: first, target: try target.restricted(to: range, of: input.batchSize),
                                    initialRelevance: initialRelevance, keeping: names)
        })
    }

    /// One chunk of the batch, whose first sample is sample `first` of the whole (SmoothGrad's noise depends on it).
    private func explainChunk(_ input: Tensor, first: Int, target: Target, initialRelevance: InitialRelevance, keeping names: Set<String>) throws -> Explanation {
        switch method {
        case .lrp: try propagateRelevance(input, target: target, initialRelevance: initialRelevance, keeping: names)
        default: try GradientAttribution(model: model, method: method).explain(input, firstSample: first, target: target)
        }
    }

    private func propagateRelevance(_ input: Tensor, target: Target, initialRelevance: InitialRelevance, keeping names: Set<String>) throws -> Explanation {
        let trace = try model.forwardRecording(input)
        let targets = try target.classes(for: trace.output)
        var sums: [LayerRelevanceSums] = []
        // the sums of relevance sent to a value by exactly one consumer: that value's relevance, summed already
        var singleContributionSums: [Int: [Double]] = [:]
        var severalContributions = Set<Int>()
        var kept: [String: Tensor] = [:]
        let signals = try model.propagateBackward(trace, seed: initialRelevance.seed(logits: trace.output, targets: targets)) { index, relevance in
            let node = model.nodes[index]
            let inputs = trace.inputs(of: index, in: model)
            let record = trace.records[index]
            let results: [Tensor]
            if let plan = plans[index] {
                results = [try plan.propagate(relevance, input: inputs[0], output: record.output)]
            } else {
                results = try weightlessRule(node.layer).propagate(relevance, layer: node.layer, inputs: inputs, record: record)
            }
            // a NaN or ∞ makes its sample's sum non-finite (finite Float values cannot overflow a Double sum),
            // so the sums double as the check; only a failing layer is searched for the element
            let resultSums = results.map { $0.sumPerSample() }
            for (result, perSample) in zip(results, resultSums) where perSample.contains(where: { !$0.isFinite }) {
                let bad = result.firstNonFiniteIndex() ?? 0
                throw LRPError(.numerical, "non-finite relevance (\(result[bad])) appeared at this \(node.layer.operatorName) layer's input, sample \(bad / max(1, result.elementsPerSample))")
            }
            if names.contains(node.name) { kept[node.name] = relevance }
            let inputSums = resultSums.reduce(into: [Double](repeating: 0, count: input.batchSize)) { total, sums in
                for (sample, sum) in sums.enumerated() { total[sample] += sum }
            }
            let outputSlot = index + 1   // the slot of the node's output in `model.inputSlots`' numbering
            let outputSums = severalContributions.contains(outputSlot) ? nil : singleContributionSums[outputSlot]
            for (slot, perSample) in zip(model.inputSlots[index], resultSums) {
                if singleContributionSums.updateValue(perSample, forKey: slot) != nil { severalContributions.insert(slot) }
            }
            sums.append(LayerRelevanceSums(node: node.name, operatorName: node.layer.operatorName,
                                           weightedLayerNumber: weightedLayerNumbers[index],
                                           output: outputSums ?? relevance.sumPerSample(), input: inputSums))
            return results
        }
        return Explanation(relevance: signals[0] ?? Tensor(zerosWithValidShape: input.shape), logits: trace.output,
                           targets: targets, layerSums: sums.reversed(), layerRelevance: kept)
    }
}
