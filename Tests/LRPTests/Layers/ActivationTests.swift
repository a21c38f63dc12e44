import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct ActivationTests {
    @Test func reluForwardAndGradient() throws {
        let x = try Tensor(shape: [1, 4], scalars: [-2, 0, 0.5, 3])
        let relu = ReLU()
        #expect(try relu.forward(x).scalars == [0, 0, 0.5, 3])
        let g = try relu.inputGradient(of: Tensor(shape: [1, 4], repeating: 1), input: x, record: relu.recordingForward(x))
        #expect(g.scalars == [0, 0, 1, 1])   // no gradient at exactly 0, as PyTorch
    }

    @Test func reluGradientMatchesFiniteDifferencesAndMask() throws {
        var generator = SeededGenerator(seed: 31)
        let x = Tensor.randomAwayFromZero([2, 3, 4, 4], gap: 0.05, using: &generator)
        try expectGradientMatchesFiniteDifferences(ReLU(), inputs: [x])
        // the adjoint of the linearization J v = 1[x > 0] ⊙ v
        try expectAdjointIdentity(
            inputShape: x.shape,
            jacobianTimes: { v in try Tensor(shape: v.shape, scalars: zip(v.scalars, x.scalars).map { $1 > 0 ? $0 : 0 }) },
            transposeTimes: { y in try ReLU().inputGradient(of: y, input: x, record: LayerRecord(output: try ReLU().forward(x))) })
    }
}
