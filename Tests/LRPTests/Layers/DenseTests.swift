import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct DenseTests {
    @Test func handComputed() throws {
        // W = [[1, 2], [3, 4], [−1, 0]], b = [0, 1, 2]; x = [1, −1] → [−1, 0, 1]
        let dense = try Dense(weight: Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, -1, 0]), bias: Tensor(shape: [3], scalars: [0, 1, 2]))
        let x = try Tensor(shape: [1, 2], scalars: [1, -1])
        #expect(try dense.forward(x).scalars == [-1, 0, 1])
        #expect(try dense.inferenceOutput([x], rectified: true).scalars == [0, 0, 1])   // ReLU in the bias pass
        #expect(try dense.inferenceOutput([x], rectified: false).scalars == [-1, 0, 1])
        let dx = try dense.inputGradient(of: Tensor(shape: [1, 3], scalars: [1, 0, 2]), input: x, record: dense.recordingForward(x))
        #expect(dx.scalars == [-1, 2])   // Wᵀ g = [1 − 2, 2]
    }

    @Test func gradientAndAdjoint() throws {
        var generator = SeededGenerator(seed: 21)
        let dense = try Dense(weight: .random([5, 7], using: &generator), bias: .random([5], using: &generator))
        try expectGradientMatchesFiniteDifferences(dense, inputs: [.random([3, 7], using: &generator)])
        try expectAdjointIdentity(affine: dense, inputShape: [4, 7])
    }

    /// `MatMul` by a constant on a `[N, H, W, C]` tensor (ConvNeXt's channels-last linear layers): every row
    /// of the last axis goes through the layer as if it were a sample, for the forward pass, the gradient and
    /// the LRP rules (which stack weights and add biases along the output axis).
    @Test func lastAxisOfHigherRankInputsActsLikeABatch() throws {
        var generator = SeededGenerator(seed: 22)
        let dense = try Dense(weight: .random([5, 7], using: &generator), bias: .random([5], using: &generator))
        let x = Tensor.randomAwayFromZero([2, 3, 7], gap: 0.05, using: &generator)
        let rows = try x.reshaped(to: [6, 7])
        let y = try dense.forward(x), yRows = try dense.forward(rows)
        #expect(y.shape == [2, 3, 5] && y.scalars == yRows.scalars)
        #expect(dense.outputAxis(rank: 3) == 2)
        try expectGradientMatchesFiniteDifferences(dense, inputs: [x])
        let relevance = Tensor.random([2, 3, 5], using: &generator)
        for rule in [Rule.gamma(0.25), .alphaBeta(alpha: 2, beta: 1), .epsilon(0.1)] {
            let plan = try WeightedLayerPlan(layer: dense, rule: rule)
            let batched = try plan.propagate(relevance, input: x, output: y)
            let perRow = try plan.propagate(try relevance.reshaped(to: [6, 5]), input: rows, output: try y.reshaped(to: [6, 5]))
            expectClose(batched.scalars, perRow.scalars.map(Double.init), tolerance: 1e-6)
        }
    }

    @Test func badInput() throws {
        expectLRPError("Gemm", "weight") { _ = try Dense(weight: Tensor(shape: [3]), bias: nil) }
        expectLRPError("Gemm", "bias") { _ = try Dense(weight: Tensor(shape: [3, 2]), bias: Tensor(shape: [2])) }
        let dense = try Dense(weight: Tensor(shape: [3, 2]), bias: nil)
        expectLRPError("Gemm", "[1, 5]", "[N, …, 2]") { _ = try dense.forward(Tensor(shape: [1, 5])) }
        expectLRPError("Gemm", "[0, 2]") { _ = try dense.forward(Tensor(shape: [0, 2])) }
    }
}
