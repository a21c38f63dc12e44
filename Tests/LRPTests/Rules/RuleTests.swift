import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct RuleTests {
    /// A one-layer model `z = w·x` with w = [1, −1], x = [1, 2]: z = −1, so the logit start is R = −1.
    func explain(_ rule: Rule) throws -> [Float] {
        let dense = try Dense(weight: Tensor(shape: [1, 2], scalars: [1, -1]), bias: nil)
        let model = try Model(sampleShape: [2], layers: [("fc", dense)])
        return try Explainer(model: model, composite: .uniform(rule)).explain(Tensor(shape: [1, 2], scalars: [1, 2])).relevance.scalars
    }

    @Test func handComputedRules() throws {
        // LRP-0: R_j = x_j w_j R / z = [1·1·(−1)/(−1), 2·(−1)·(−1)/(−1)] = [1, −2]
        expectClose(try explain(.zero), [1, -2])
        // ε = 1: z = −1 − 1 = −2, R = [1·(−1)/(−2), −2·(−1)/(−2)] = [0.5, −1]
        expectClose(try explain(.epsilon(1)), [0.5, -1])
        // γ = 0.5, z < 0: weights w + γw⁻ = [1, −1.5], z_n = 1 − 3 = −2, s = 0.5, R = [0.5, −1.5]
        expectClose(try explain(.gamma(0.5)), [0.5, -1.5])
        // z⁺: only w⁺x⁺ = 1 enters: z = 1, s = −1, R = [−1, 0]
        expectClose(try explain(.zPlus), [-1, 0])
        // α2β1: z⁺ = 1 → R⁺ = [−1, 0]; z⁻ = −2 → R⁻ = [0, −1]; R = 2R⁺ − 1·R⁻ = [−2, 1]
        expectClose(try explain(.alphaBeta(alpha: 2, beta: 1)), [-2, 1])
        // flat: z = 1 + 1 = 2, R = [−0.5, −0.5]
        expectClose(try explain(.flat), [-0.5, -0.5])
        // w²: z = 1 + 1 = 2, R = w² · R / z = [−0.5, −0.5]
        expectClose(try explain(.wSquare), [-0.5, -0.5])
        // box [0, 3]: z = −1 − (w⁺·0) − (w⁻·3) = −1 + 3 = 2; s = −0.5;
        // R = x⊙w s − l⊙w⁺ s − h⊙w⁻ s = [−0.5, 1] − [0, 0] − [0, 1.5] = [−0.5, −0.5]
        expectClose(try explain(.box(low: [0], high: [3])), [-0.5, -0.5])
    }

    @Test func specificationsRoundTrip() throws {
        for spec in ["zero", "epsilon:0.25", "gamma:0.25", "zplus", "alphabeta:2,1", "flat", "wsquare", "box:0,255", "box:-1/-2/-3,1/2/3"] {
            #expect(try Rule(spec: spec).description == spec)
        }
    }

    @Test func badSpecificationsQuoteTheProblem() {
        expectLRPError("'frobnicate'", "unknown rule") { _ = try Rule(spec: "frobnicate") }
        expectLRPError("'gamma:abc'", "'abc' is not a number") { _ = try Rule(spec: "gamma:abc") }
        expectLRPError("gamma", "needs 1 parameter") { _ = try Rule(spec: "gamma") }
        expectLRPError("ε must not be negative") { _ = try Rule(spec: "epsilon:-1") }
        expectLRPError("γ must not be negative") { _ = try Rule(spec: "gamma:-0.5") }
        expectLRPError("'alphabeta:3,1'", "α − β = 1") { _ = try Rule(spec: "alphabeta:3,1") }
        expectLRPError("takes no parameters") { _ = try Rule(spec: "zplus:2") }
        expectLRPError("L < H") { _ = try Rule(spec: "box:1,0") }
        expectLRPError("same number") { _ = try Rule(spec: "box:0/0,1") }
    }
}
