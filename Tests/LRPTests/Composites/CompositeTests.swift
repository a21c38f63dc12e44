import Testing
@testable import LRP

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
}
