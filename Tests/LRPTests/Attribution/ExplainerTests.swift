import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct ExplainerTests {
    /// conv → relu → maxpool → conv → relu → flatten → dense → relu → dense, without biases.
    func biasFreeNetwork(seed: UInt64) throws -> Model {
        var generator = SeededGenerator(seed: seed)
        return try Model(sampleShape: [2, 8, 8], layers: [
            ("conv1", try Convolution2D(weight: .random([4, 2, 3, 3], using: &generator), bias: nil, padding: Padding2D(1))),
            ("relu1", ReLU()),
            ("pool", try MaxPooling2D(kernel: Size2D(2), stride: Size2D(2))),
            ("conv2", try Convolution2D(weight: .random([4, 4, 3, 3], using: &generator), bias: nil, stride: Size2D(2), padding: Padding2D(1))),
            ("relu2", ReLU()),
            ("flatten", Flatten()),
            ("fc1", try Dense(weight: .random([8, 16], using: &generator), bias: nil)),
            ("relu3", ReLU()),
            ("fc2", try Dense(weight: .random([3, 8], using: &generator), bias: nil)),
        ])
    }

    @Test(arguments: ["zero", "zplus", "gamma:0.25", "alphabeta:2,1"])
    func biasFreeRulesConserveRelevanceLayerByLayer(_ spec: String) throws {
        var generator = SeededGenerator(seed: 5)
        let input = Tensor.random([3, 2, 8, 8], in: 0...1, using: &generator)
        let explanation = try Explainer(model: biasFreeNetwork(seed: 4), method: AttributionMethod(spec: spec)).explain(input)
        #expect(explanation.layerSums.map(\.node) == ["conv1", "relu1", "pool", "conv2", "relu2", "flatten", "fc1", "relu3", "fc2"])
        for sums in explanation.layerSums {
            for (output, input) in zip(sums.output, sums.input) {
                #expect(abs(output - input) <= 1e-4 * max(1, abs(output)), "\(spec) at \(sums.node): \(output) in, \(input) out")
            }
        }
        let scores = explanation.targetScores
        for (sample, total) in explanation.relevance.sumPerSample().enumerated() {
            #expect(abs(total - Double(scores[sample])) <= 1e-4 * max(1, abs(Double(scores[sample]))))
        }
    }

    @Test func lrpZeroEqualsGradientTimesInputOnABiasFreeReLUNetwork() throws {
        let model = try biasFreeNetwork(seed: 6)
        var generator = SeededGenerator(seed: 7)
        let input = Tensor.random([2, 2, 8, 8], in: -1...1, using: &generator)
        // with the logit start the last layer's relevance x ⊙ w_t z_t / z_t is its gradient times input, and
        // R = a ⊙ ∂f/∂a then holds at every layer of a bias-free ReLU network
        let lrp = try Explainer(model: model, composite: .uniform(.zero)).explain(input, initialRelevance: .logit).relevance
        let gradientTimesInput = try Explainer(model: model, method: .gradientTimesInput).explain(input).relevance
        expectClose(lrp.scalars, gradientTimesInput.scalars.map(Double.init), tolerance: 1e-4)
    }

    @Test func theSlidesCompositionOnTenWeightedLayersEqualsItsRangesRuleByRule() throws {
        let model = try weightedChain(count: 10, convolutions: 2, seed: 8)
        var generator = SeededGenerator(seed: 9)
        let input = Tensor.random([2, 1, 2, 2], in: 0...1, using: &generator)
        let composite = try Composite(spec: "1-4=gamma:0.25;5-8=epsilon:0.25;9-10=zero")
        let explanation = try Explainer(model: model, composite: composite).explain(input)
        // the same walk by hand: each weighted layer with its range's rule, alone
        let trace = try model.forwardRecording(input)
        var weighted = 0
        let manual = try model.propagateBackward(trace, seed: InitialRelevance.logit.seed(logits: trace.output, targets: explanation.targets)) { index, relevance in
            let node = model.nodes[index]
            let inputs = trace.inputs(of: index, in: model)
            guard let linear = node.layer as? any LinearLayer else {
                return try WeightlessRule.standard(for: node.layer).propagate(relevance, layer: node.layer, inputs: inputs, record: trace.records[index])
            }
            let number = model.nodes[...index].filter { $0.layer is any LinearLayer }.count
            weighted += 1
            let rule: Rule = number <= 4 ? .gamma(0.25) : number <= 8 ? .epsilon(0.25) : .zero
            return [try WeightedLayerPlan(layer: linear, rule: rule).propagate(relevance, input: inputs[0], output: trace.records[index].output)]
        }[0]!
        #expect(weighted == 10)
        #expect(explanation.relevance == manual)
        #expect(try Explainer(model: model, composite: Composite([(.layers(1...4), .gamma(0.25)), (.layers(5...8), .epsilon(0.25)), (.from(9), .zero)]))
            .explain(input).relevance == manual)
    }

    @Test(arguments: ["gamma:0.25", "epsilon-gamma-box:0,1", "alphabeta:2,1"])
    func largeBatchesArePropagatedInChunksWithTheSameResult(_ spec: String) throws {
        let model = try biasFreeNetwork(seed: 16)
        var generator = SeededGenerator(seed: 17)
        let input = Tensor.random([Explainer.chunkSize + 8, 2, 8, 8], in: 0...1, using: &generator)
        let explainer = try Explainer(model: model, method: AttributionMethod(spec: spec))
        let whole = try explainer.explain(input, keepingRelevanceAt: ["fc1"])
        let halves = try [0..<20, 20..<40].map { try explainer.explain(input.batch($0), keepingRelevanceAt: ["fc1"]) }
        expectClose(whole.relevance.scalars, try Tensor(concatenating: halves.map(\.relevance)).scalars.map(Double.init), tolerance: 1e-6)
        // the chunks' per-layer sums, kept relevance, logits and targets are joined in order
        #expect(whole.targets == halves.flatMap(\.targets) && whole.logits.batchSize == 40)
        #expect(whole.layerSums.map(\.node) == halves[0].layerSums.map(\.node))
        for (index, sums) in whole.layerSums.enumerated() {
            let expected = halves.flatMap { $0.layerSums[index].output }
            #expect(sums.output.count == 40 && zip(sums.output, expected).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
        }
        let kept = try Tensor(concatenating: halves.compactMap { $0.layerRelevance["fc1"] })
        expectClose(try #require(whole.layerRelevance["fc1"]).scalars, kept.scalars.map(Double.init), tolerance: 1e-6)
    }

    @Test func targetsStartsAndKeptLayers() throws {
        let model = try biasFreeNetwork(seed: 10)
        var generator = SeededGenerator(seed: 11)
        let input = Tensor.random([2, 2, 8, 8], in: 0...1, using: &generator)
        let explainer = try Explainer(model: model, composite: .uniform(.epsilon(0.1)))
        let fixed = try explainer.explain(input, target: .fixed(2), initialRelevance: .oneHot, keepingRelevanceAt: ["fc1", "pool"])
        #expect(fixed.targets == [2, 2])
        #expect(fixed.layerRelevance["fc1"]?.shape == [2, 8] && fixed.layerRelevance["pool"]?.shape == [2, 4, 4, 4])
        #expect(fixed.layerSums.first { $0.node == "fc2" }?.output == [1, 1])   // one-hot start
        // a layer's output sums (taken over from its one consumer's input sums) are those of its relevance
        for name in ["fc1", "pool"] {
            #expect(fixed.layerSums.first { $0.node == name }?.output == fixed.layerRelevance[name]?.sumPerSample())
        }
        // also where relevance from two consumers meets (relu1 feeds conv2 and the residual addition)
        let residual = try Explainer(model: residualTestModel(seed: 12), composite: .uniform(.epsilon(0.1)))
            .explain(Tensor.random([2, 2, 6, 6], in: 0...1, using: &generator), keepingRelevanceAt: ["relu1", "conv2", "add"])
        for name in ["relu1", "conv2", "add"] {
            #expect(residual.layerSums.first { $0.node == name }?.output == residual.layerRelevance[name]?.sumPerSample())
        }
        // numbered as composites number them: conv1, conv2, fc1, fc2 are layers 1–4
        #expect(fixed.layerSums.map(\.node) == model.nodes.map(\.name))
        #expect(fixed.layerSums.map(\.weightedLayerNumber) == [1, nil, nil, 2, nil, nil, 3, nil, 4])
        #expect(try explainer.explain(input, target: .perSample([0, 1])).targets == [0, 1])
        expectLRPError("target class 3", "3 classes") { _ = try explainer.explain(input, target: .fixed(3)) }
        expectLRPError("3 targets", "batch of 2") { _ = try explainer.explain(input, target: .perSample([0, 1, 2])) }
        expectLRPError("no node named 'fc9'") { _ = try explainer.explain(input, keepingRelevanceAt: ["fc9"]) }
    }

    @Test func nonFiniteRelevanceIsReportedWithItsLayer() throws {
        // z = [2, 0]; with ε = 0 the second unit divides 0 by 0
        let dense = try Dense(weight: Tensor(shape: [2, 2], scalars: [1, 1, 1, -1]), bias: nil)
        let model = try Model(sampleShape: [2], layers: [("scores", dense)])
        expectLRPError("node 'scores'", "non-finite relevance") {
            _ = try Explainer(model: model, composite: .uniform(.epsilon(0))).explain(Tensor(shape: [1, 2], scalars: [1, 1]))
        }
    }

    @Test func batchNormalizationAfterAWeightedLayerIsMergedAndOthersStay() throws {
        let model = try residualTestModel(seed: 12)   // conv2 → bn is mergeable
        let canonical = try model.mergingBatchNormalization()
        #expect(!canonical.nodes.contains { $0.layer is BatchNormalization })
        var generator = SeededGenerator(seed: 13)
        let input = Tensor.random([2, 2, 6, 6], using: &generator)
        expectClose(try canonical.forward(input).scalars, try model.forward(input).scalars.map(Double.init), tolerance: 1e-5)
        let demo = try ONNXModel.load(Demo.model).model   // batch norm after ReLU: passes, is not merged
        #expect(try demo.mergingBatchNormalization().nodes.filter { $0.layer is BatchNormalization }.count == 6)
    }

    @Test func smoothGradIsReproducibleAndOneSampleIsTheGradient() throws {
        let model = try biasFreeNetwork(seed: 14)
        var generator = SeededGenerator(seed: 15)
        let input = Tensor.random([2, 2, 8, 8], in: 0...1, using: &generator)
        let gradient = try Explainer(model: model, method: .gradient).explain(input).relevance
        #expect(try Explainer(model: model, method: .smoothGrad(noiseLevel: 0.1, samples: 1, seed: 3)).explain(input).relevance == gradient)
        let smooth = try Explainer(model: model, method: .smoothGrad(noiseLevel: 0.1, samples: 8, seed: 3))
        #expect(try smooth.explain(input).relevance == smooth.explain(input).relevance)
        #expect(try smooth.explain(input).relevance != gradient)
    }

    @Test func gradientMethodsGoThroughTheBatchInChunksWithTheSameResult() throws {
        let model = try biasFreeNetwork(seed: 16)
        var generator = SeededGenerator(seed: 17)
        let input = Tensor.random([3, 2, 8, 8], in: 0...1, using: &generator)
        // room for one sample at a time
        let oneAtATime = try MemoryLimit(bytes: MemoryLimit.bytesPerSample(of: model))
        for method in [AttributionMethod.gradient, .integratedGradients(steps: 4), .smoothGrad(noiseLevel: 0.1, samples: 4, seed: 5)] {
            let chunked = try Explainer(model: model, method: method, memoryLimit: oneAtATime)
            #expect(chunked.samplesAtOnce == 1)
            let whole = try Explainer(model: model, method: method).explain(input)
            let parts = try chunked.explain(input)
            #expect(parts.targets == whole.targets)
            // SmoothGrad's noise is drawn per sample, so chunks see the same noise as the whole batch
            expectClose(parts.relevance.scalars, whole.relevance.scalars.map(Double.init), tolerance: 1e-6)
        }
    }
}
