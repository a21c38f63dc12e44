import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct TransposeTests {
    @Test func permutesHandComputedAndChecksItsGradient() throws {
        // [1, 2, 3] → perm [0, 2, 1] → [1, 3, 2]
        let x = try Tensor(shape: [1, 2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let transpose = try Transpose(permutation: [0, 2, 1])
        let y = try transpose.forward(x)
        #expect(y.shape == [1, 3, 2] && y.scalars == [1, 4, 2, 5, 3, 6])
        var generator = SeededGenerator(seed: 31)
        let nhwc = try Transpose(permutation: [0, 2, 3, 1])
        try expectGradientMatchesFiniteDifferences(nhwc, inputs: [.random([2, 3, 2, 4], using: &generator)])
        try expectAdjointIdentity(affine: nhwc, inputShape: [2, 3, 2, 4])
        expectLRPError("Transpose", "batch axis") { _ = try Transpose(permutation: [1, 0, 2]) }
        expectLRPError("Transpose", "does not fit") { _ = try transpose.forward(Tensor(shape: [2, 3])) }
    }
}
