import Testing
import LRP   // the public API only, as a package that depends on the library sees it

/// The rule is ``ScaledEpsilon``, the example of `CustomRule`'s documentation (generated into `Snippets/` at
/// the top level): LRP-ε with ε = scale · mean |z| of each sample, written outside the library as a user would.
@Suite struct CustomRuleTests {
    /// x [2] → dense W1 (3×2, bias) → ReLU → dense W2 (2×3) → logits; the custom rule on layer 1, LRP-0 on layer 2.
    @Test func aCustomRuleRunsInACompositeBesideShippedRulesAndEqualsAHandComputation() throws {
        let w1: [[Float]] = [[1, -2], [0.5, 1], [-1, 1]], b1: [Float] = [0.1, -0.2, 0.3]
        let w2: [[Float]] = [[1, 2, -1], [-0.5, 1, 1]]
        let model = try Model(sampleShape: [2], layers: [
            ("fc1", try Dense(weight: Tensor(shape: [3, 2], scalars: w1.flatMap { $0 }), bias: Tensor(shape: [3], scalars: b1))),
            ("relu", ReLU()),
            ("fc2", try Dense(weight: Tensor(shape: [2, 3], scalars: w2.flatMap { $0 }), bias: nil)),
        ])
        let composite = try Composite([(.layers(1...1), .custom(ScaledEpsilon(scale: 0.5))), (.layers(2...2), .zero)])
        let x: [Float] = [1, 0.5]
        let explanation = try Explainer(model: model, composite: composite).explain(try Tensor(shape: [1, 2], scalars: x))

        // by hand: z1 = W1 x + b1, a = relu(z1), logits = W2 a; the target is the larger logit
        let z1 = (0..<3).map { o in (0..<2).reduce(b1[o]) { $0 + w1[o][$1] * x[$1] } }
        let a = z1.map { max($0, 0) }
        let logits = (0..<2).map { o in (0..<3).reduce(Float(0)) { $0 + w2[o][$1] * a[$1] } }
        let target = logits[0] > logits[1] ? 0 : 1
        let relevanceAtA = (0..<3).map { i in a[i] * w2[target][i] * logits[target] / (logits[target] + 1e-6) }   // LRP-0
        let epsilon = 0.5 * z1.map(abs).reduce(0, +) / 3
        let quotient = (0..<3).map { o in relevanceAtA[o] / (z1[o] + (z1[o] >= 0 ? epsilon : -epsilon)) }
        let expected = (0..<2).map { i in x[i] * (0..<3).reduce(Float(0)) { $0 + w1[$1][i] * quotient[$1] } }

        #expect(explanation.targets == [target])
        for (got, want) in zip(explanation.relevance.scalars, expected) { #expect(abs(got - want) <= 1e-5 * max(1, abs(want))) }
        // the explainer still reports every layer's sums, the custom one included
        #expect(explanation.layerSums.map(\.node) == ["fc1", "relu", "fc2"])
        #expect(abs(explanation.layerSums[0].input[0] - Double(expected.reduce(0, +))) < 1e-5)
    }

    @Test func rulesAreCheckedWhereACompositeIsBuiltWithTheParsersMessages() throws {
        for (rule, fragment) in [(Rule.alphaBeta(alpha: 1, beta: 1), "α − β = 1"), (.epsilon(-1), "ε must not be negative"),
                                 (.box(low: [1], high: [0]), "L < H"), (.gamma(.nan), "finite")] {
            do {
                _ = try Composite([(.all, rule)])
                Issue.record("\(rule) was accepted")
            } catch let error as LRPError {
                #expect(error.message.contains("rule '\(rule)'") && error.message.contains(fragment), "\(error.message)")
            }
        }
        let parsed = #expect(throws: LRPError.self) { try Rule(spec: "alphabeta:1,1") }
        #expect(parsed?.message.contains("α − β = 1") == true)
        #expect(try Composite(spec: "gamma:0.25") == (try Composite.uniform(.gamma(0.25))))   // a bare rule, as the methods read it
    }
}
