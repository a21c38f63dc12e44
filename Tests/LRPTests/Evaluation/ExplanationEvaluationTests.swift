import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct ExplanationEvaluationTests {
    let model: Model
    let images: Tensor

    init() throws {
        model = try ONNXModel.load(CornerTag.model).model
        images = try NPY.read(CornerTag.images).batch(0 ..< 16)
    }

    @Test func lrpBeatsTheRandomOrderOnTheCornerTagModel() throws {
        let methods = try ["epsilon-plus", "gamma:0.25"].map(AttributionMethod.init(spec:))
        let evaluation = try ExplanationEvaluation(model: model, methods: methods,
                                                   perturbation: try RegionPerturbation(patchSize: 4, steps: 16), randomization: false)
        let metrics = try evaluation.evaluate(images)
        #expect(metrics.map(\.name) == ["epsilon-plus", "gamma:0.25", "random", "gradient"])
        let random = metrics[2].aopcMostRelevantFirst
        for method in metrics.prefix(2) {
            #expect(method.aopcMostRelevantFirst > 2 * random, "\(method.name): AOPC \(method.aopcMostRelevantFirst), random \(random)")
            #expect(method.aopcMostRelevantFirst > method.aopcLeastRelevantFirst!)
            #expect(method.curveMostRelevantFirst.count == 17 && method.randomization == nil)
        }
        // conservation: Σ input relevance / target score, by hand from the explanation and the inference pass's
        // logits (the evaluation's; the recorded forward's equal them up to float32 rounding)
        let explanation = try Explainer(model: model, method: methods[0]).explain(images)
        let logits = try model.forward(images)
        let scores = explanation.targets.enumerated().map { logits[$0.offset * logits.elementsPerSample + $0.element] }
        let ratios = zip(explanation.relevance.sumPerSample(), scores).map { $0 / Double($1) }
        #expect(abs(metrics[0].conservationMean! - ratios.reduce(0, +) / 16) < 1e-9)
        let largest = logits.scalars.map(abs).max()!
        #expect(zip(scores, explanation.targetScores).allSatisfy { abs($0 - $1) <= 1e-5 * largest })
        #expect(metrics[0].conservationMinimum == ratios.min() && metrics[0].layerSums?.first?.node == model.nodes.last?.name)
        let gini = try (0..<16).map { HeatmapMeasures.gini(try explanation.relevance.channelSum(sample: $0)) }.reduce(0, +) / 16
        #expect(abs(metrics[0].gini! - gini) < 1e-12)
    }

    @Test func batchesAndStoredRelevanceGiveTheFiguresOfOneRun() throws {
        let method = try AttributionMethod(spec: "epsilon:0.25")
        let evaluation = try ExplanationEvaluation(model: model, methods: [method],
                                                   perturbation: try RegionPerturbation(patchSize: 8, steps: 4, replacement: .blur(sigma: 2)), seed: 7)
        let images = try self.images.batch(0 ..< 8)
        var whole = EvaluationReport(model: "m", patchSize: 8, steps: 4, replacement: "blur:2", seed: 7)
        try whole.add(try evaluation.evaluate(images))
        var halves = EvaluationReport(model: "m", patchSize: 8, steps: 4, replacement: "blur:2", seed: 7)
        for range in [0 ..< 4, 4 ..< 8] {
            try halves.add(try evaluation.evaluate(try images.batch(range), firstIndex: range.lowerBound))
        }
        #expect(whole.inputs == 8 && halves.inputs == 8)
        // equal up to float32 rounding: products of other batch sizes round differently in the last bit
        for (a, b) in zip(whole.methods + whole.baselines, halves.methods + halves.baselines) {
            #expect(abs(a.aopcMostRelevantFirst - b.aopcMostRelevantFirst) < 1e-5, "\(a.name)")
            #expect(zip(a.randomization ?? [], b.randomization ?? []).allSatisfy { abs($0.spearman - $1.spearman) < 1e-3 })
            #expect(abs((a.conservationMinimum ?? 0) - (b.conservationMinimum ?? 0)) < 1e-5 && a.randomization?.count == b.randomization?.count)
        }
        #expect(whole.methods[0].randomization?.map(\.layer).count == 5)
        // relevance read from a file instead of explained: the same figures, no per-layer sums
        let relevance = try Explainer(model: model, method: method).explain(images).relevance
        let stored = try evaluation.evaluate(images, relevance: [relevance])
        #expect(abs(stored[0].aopcMostRelevantFirst - whole.methods[0].aopcMostRelevantFirst) < 1e-5)
        #expect(stored[0].layerSums == nil && whole.methods[0].layerSums != nil)
        expectLRPError("does not match the input") { _ = try evaluation.evaluate(images, relevance: [try relevance.batch(0 ..< 4)]) }
    }

    @Test func randomizingTheDemoModelDestroysTheExplanations() throws {
        let demo = try ONNXModel.load(Demo.model).model
        let images = try InputDataset.load([Demo.photos]).images
        let methods = try ["gamma:0.25", "epsilon:0.25"].map(AttributionMethod.init(spec:))
        let evaluation = try ExplanationEvaluation(model: demo, methods: methods, perturbation: try RegionPerturbation(patchSize: 8, steps: 1))
        for method in try evaluation.evaluate(images).prefix(2) {
            let correlations = method.randomization!.map(\.spearman)
            #expect(correlations.count == 9)
            // trained vs. itself is 1; with the top layer randomized the ranking already moves, and with all layers
            // randomized nothing of the trained explanation is left
            #expect(correlations[0] < 0.8 && abs(correlations[8]) < 0.1, "\(method.name): \(correlations)")
            #expect(correlations.prefix(4).reduce(0, +) > correlations.suffix(4).reduce(0, +), "\(method.name): \(correlations)")
        }
    }

    @Test func aMemoryLimitReachesEveryExplainerAndLeavesTheFiguresAlone() throws {
        let demo = try ONNXModel.load(Demo.model).model
        let images = try InputDataset.load([Demo.photos]).images
        let methods = [try AttributionMethod(spec: "epsilon:0.25")]
        let perturbation = try RegionPerturbation(patchSize: 8, steps: 2)
        // room for one sample at a time: every explainer, the randomized ones included, then goes sample by sample
        let tight = try MemoryLimit(bytes: MemoryLimit.bytesPerSample(of: demo))
        #expect(try Explainer(model: demo, method: methods[0], memoryLimit: tight).samplesAtOnce == 1)
        let evaluation = try ExplanationEvaluation(model: demo, methods: methods, perturbation: perturbation, memoryLimit: tight)
        #expect(evaluation.explainers.allSatisfy { $0.samplesAtOnce == 1 } && evaluation.gradient.samplesAtOnce == 1)
        #expect(evaluation.memoryLimit == tight)
        let standard = try ExplanationEvaluation(model: demo, methods: methods, perturbation: perturbation).evaluate(images)
        let limited = try evaluation.evaluate(images)
        for (a, b) in zip(standard, limited) {
            #expect(abs(a.aopcMostRelevantFirst - b.aopcMostRelevantFirst) < 1e-4, "\(a.name)")
            #expect(zip(a.randomization ?? [], b.randomization ?? []).allSatisfy { abs($0.spearman - $1.spearman) < 1e-3 }, "\(a.name)")
        }
    }
}
