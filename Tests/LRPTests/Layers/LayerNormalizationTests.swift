import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct LayerNormalizationTests {
    @Test func normalizesTheLastAxisByHand() throws {
        // [1, 3] and [2, 2, 2]: mean 2 / deviation √(2/3); constant rows become the bias
        let norm = try LayerNormalization(axis: 1, scale: Tensor(shape: [3], scalars: [1, 2, 1]), bias: Tensor(shape: [3], scalars: [0, 0, 5]), epsilon: 0)
        let y = try norm.forward([try Tensor(shape: [2, 3], scalars: [1, 2, 3, 2, 2, 2])]).output
        let deviation = (2.0 / 3).squareRoot()
        expectClose(Array(y.scalars.prefix(3)), [-1 / deviation, 0, 1 / deviation + 5])
        #expect(y.scalars.suffix(3).map { $0.isNaN } == [true, true, true])   // zero deviation with ε = 0
    }

    @Test func gradientMatchesFiniteDifferences() throws {
        var generator = SeededGenerator(seed: 88)
        let norm = try LayerNormalization(axis: 2, scale: Tensor.random([4, 3], in: 0.5...1.5, using: &generator),
                                          bias: Tensor.random([4, 3], using: &generator), epsilon: 1e-5)
        try expectGradientMatchesFiniteDifferences(norm, inputs: [Tensor.random([2, 2, 4, 3], using: &generator)], step: 1e-3)
    }

    @Test func lnRuleConservesRelevanceWithoutBias() throws {
        // σ held constant: the layer is the linear centring x ↦ γ(x − μ)/σ, and the Norm rule conserves
        var generator = SeededGenerator(seed: 89)
        let norm = try LayerNormalization(axis: 1, scale: Tensor.random([8], in: 0.5...1.5, using: &generator), bias: nil, epsilon: 1e-6)
        let x = Tensor.random([3, 8], using: &generator)
        let record = try norm.forward([x])
        let relevance = Tensor.random([3, 8], using: &generator)
        let result = try WeightlessRule.standard(for: norm).propagate(relevance, layer: norm, inputs: [x], record: record)[0]
        for (before, after) in zip(relevance.sumPerSample(), result.sumPerSample()) { #expect(abs(before - after) < 1e-3 * max(1, abs(before))) }
        // the detached gradient has no path through σ, so it differs from the true one
        let gradient = try norm.inputGradients(of: relevance, inputs: [x], record: record)[0]
        let detached = try norm.detachedInputGradients(of: relevance, inputs: [x], record: record)[0]
        #expect(zip(gradient.scalars, detached.scalars).contains { abs($0 - $1) > 1e-3 })
    }
}
