import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

/// A chain of `count` dense layers 4 → 4 with ReLUs, the first `convolutions` of them convolutions.
func weightedChain(count: Int, convolutions: Int = 0, seed: UInt64 = 1, bias: Bool = true) throws -> Model {
    var generator = SeededGenerator(seed: seed)
    var layers: [(name: String, layer: any Layer)] = []
    for index in 0..<count {
        if index < convolutions {
            layers.append(("conv\(index + 1)", try Convolution2D(weight: .random([1, 1, 1, 1], in: 0.5...1.5, using: &generator),
                                                                  bias: bias ? .random([1], using: &generator) : nil)))
            if index == convolutions - 1 { layers.append(("flatten", Flatten())) }
        } else {
            layers.append(("fc\(index + 1)", try Dense(weight: .random([4, 4], using: &generator), bias: bias ? .random([4], using: &generator) : nil)))
        }
        if index < count - 1 { layers.append(("relu\(index + 1)", ReLU())) }
    }
    return try Model(sampleShape: convolutions > 0 ? [1, 2, 2] : [4], layers: layers)
}

@Suite struct CompositeTests {
    func names(_ rules: [Int: Rule], in model: Model) -> [String: Rule] {
        Dictionary(uniqueKeysWithValues: rules.map { (model.nodes[$0.key].name, $0.value) })
    }

    @Test func rangesKindsFirstAndRest() throws {
        let model = try weightedChain(count: 5, convolutions: 2)
        let rules = names(try Composite(spec: "1-2=gamma:0.25; 3=epsilon:0.25 ;4-=zero").rules(for: model), in: model)
        #expect(rules == ["conv1": .gamma(0.25), "conv2": .gamma(0.25), "fc3": .epsilon(0.25), "fc4": .zero, "fc5": .zero])
        let byKind = names(try Composite(spec: "conv=zplus;dense=epsilon:0.5;first=flat").rules(for: model), in: model)
        #expect(byKind == ["conv1": .flat, "conv2": .zPlus, "fc3": .epsilon(0.5), "fc4": .epsilon(0.5), "fc5": .epsilon(0.5)])
        let rest = names(try Composite(spec: "2=wsquare;*=zero").rules(for: model), in: model)
        #expect(rest["conv2"] == .wSquare && rest["fc5"] == .zero)
    }

    @Test func presetsFollowZennit() throws {
        let model = try weightedChain(count: 3, convolutions: 2)
        #expect(names(try Composite.epsilonPlusFlat.rules(for: model), in: model) == ["conv1": .flat, "conv2": .zPlus, "fc3": .epsilon(1e-6)])
        #expect(names(try Composite(spec: "epsilon-gamma-box:-1,2").rules(for: model), in: model)
                == ["conv1": .box(low: [-1], high: [2]), "conv2": .gamma(0.25), "fc3": .epsilon(1e-6)])
        #expect(names(try Composite(spec: "epsilon-alpha2-beta1").rules(for: model), in: model)["conv1"] == .alphaBeta(alpha: 2, beta: 1))
        // box goes to the first convolution, flat to the first weighted layer of any kind
        let dense = try weightedChain(count: 2)
        #expect(names(try Composite.epsilonGammaBox(low: 0, high: 1).rules(for: dense), in: dense) == ["fc1": .epsilon(1e-6), "fc2": .epsilon(1e-6)])
        #expect(names(try Composite.epsilonPlusFlat.rules(for: dense), in: dense)["fc1"] == .flat)
    }

    @Test func badCompositesQuoteTheProblem() throws {
        let model = try weightedChain(count: 4)
        expectLRPError("outside 1…4") { _ = try Composite(spec: "1-5=zero").rules(for: model) }
        expectLRPError("layer 2", "1-2", "2-4") { _ = try Composite(spec: "1-2=zero;2-4=gamma:0.25").rules(for: model) }
        expectLRPError("weighted layer 4", "covered by no entry") { _ = try Composite(spec: "1-3=zero").rules(for: model) }
        expectLRPError("'x-2=zero'", "'x' is not a layer number") { _ = try Composite(spec: "x-2=zero") }
        expectLRPError("'3-1=zero'", "empty") { _ = try Composite(spec: "3-1=zero") }
        expectLRPError("'1-2='", "SELECTOR=RULE") { _ = try Composite(spec: "1-2=") }
        expectLRPError("'gamma:abc'") { _ = try Composite(spec: "1-4=gamma:abc") }
        expectLRPError("neither a preset") { _ = try Composite(spec: "epsilon-minus") }
        expectLRPError("takes no parameters") { _ = try Composite(spec: "epsilon-plus:3") }
        expectLRPError("needs the input bounds") { _ = try Composite(spec: "epsilon-gamma-box") }
    }

    @Test func methodSpecificationsTellRulesCompositesAndBaselinesApart() throws {
        #expect(try AttributionMethod(spec: "epsilon:0.25") == .lrp(.uniform(.epsilon(0.25))))
        #expect(try AttributionMethod(spec: "epsilon-plus") == .lrp(.epsilonPlus))
        #expect(try AttributionMethod(spec: "gradient") == .gradient)
        #expect(try AttributionMethod(spec: "smoothgrad:0.2,8") == .smoothGrad(noiseLevel: 0.2, samples: 8, seed: 0))
        #expect(try AttributionMethod(spec: "integrated-gradients") == .integratedGradients(steps: 20))
        expectLRPError("steps") { _ = try AttributionMethod(spec: "integrated-gradients:0") }
    }

    /// Canonizers, the weightless-layer map and the layer classification are parts of a composite that can be
    /// replaced, as Zennit's canonizers, `layer_map` and layer types can.
    @Test func canonizersWeightlessMapAndLayerKindsCanBeReplaced() throws {
        var generator = SeededGenerator(seed: 91)
        let conv = try Convolution2D(weight: .random([2, 1, 3, 3], using: &generator), bias: nil, padding: Padding2D(1))
        let norm = try BatchNormalization(scale: Tensor(shape: [2], scalars: [1.5, 0.5]), offset: Tensor(shape: [2], scalars: [0.1, -0.1]),
                                          mean: Tensor(shape: [2], scalars: [0, 0.2]), variance: Tensor(shape: [2], scalars: [1, 2]))
        let model = try Model(sampleShape: [1, 4, 4], layers: [
            ("conv", conv), ("bn", norm), ("relu", ReLU()), ("pool", try AveragePooling2D(kernel: Size2D(2), stride: Size2D(2))),
            ("flatten", Flatten()), ("fc", try Dense(weight: .random([3, 8], using: &generator), bias: nil)),
        ])
        let x = Tensor.random([2, 1, 4, 4], in: 0...1, using: &generator)
        var composite = Composite.epsilonPlus
        #expect(try Explainer(model: model, composite: composite).model.nodes.count == 5)   // batch norm merged
        composite.canonizers = []
        #expect(try Explainer(model: model, composite: composite).model.nodes.count == 6)
        let standard = try Explainer(model: model, composite: .epsilonPlus).explain(x).relevance
        composite = .epsilonPlus
        composite.weightlessRule = { layer in layer is AveragePooling2D ? .gradient : WeightlessRule.standard(for: layer) }
        let byGradient = try Explainer(model: model, composite: composite).explain(x).relevance
        #expect(zip(standard.scalars, byGradient.scalars).contains { abs($0 - $1) > 1e-4 })
        composite = .epsilonPlus
        composite.layerKind = { _ in .dense }   // no convolutions: z⁺ covers nothing, ε everything
        #expect(try Explainer(model: model, composite: composite).rules == ["conv": .epsilon(Rule.stabilizer), "fc": .epsilon(Rule.stabilizer)])
    }
}
