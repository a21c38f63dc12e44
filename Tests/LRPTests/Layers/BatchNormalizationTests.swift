import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct BatchNormalizationTests {
    func layer() throws -> BatchNormalization {
        try BatchNormalization(scale: Tensor(shape: [2], scalars: [2, -1]), offset: Tensor(shape: [2], scalars: [1, 0]),
                               mean: Tensor(shape: [2], scalars: [0, 4]), variance: Tensor(shape: [2], scalars: [4, 0.25]),
                               epsilon: 0)
    }

    @Test func handComputed() throws {
        // channel 0: (x − 0)·2/2 + 1 = x + 1; channel 1: (x − 4)·(−1)/0.5 = 8 − 2x
        let y = try layer().forward(Tensor(shape: [1, 2, 1, 2], scalars: [1, 2, 3, 4]))
        #expect(y.scalars == [2, 3, 2, 0])
        #expect(try layer().forward(Tensor(shape: [1, 2], scalars: [1, 3])).scalars == [2, 2])
    }

    @Test func gradientAndAdjoint() throws {
        var generator = SeededGenerator(seed: 61)
        try expectGradientMatchesFiniteDifferences(layer(), inputs: [.random([2, 2, 3, 3], using: &generator)])
        try expectAdjointIdentity(affine: layer(), inputShape: [3, 2, 4, 4])
    }

    @Test func badInput() throws {
        let one = try Tensor(shape: [1], scalars: [1])
        expectLRPError("BatchNormalization", "mean", "[2]") {
            _ = try BatchNormalization(scale: one, offset: one, mean: Tensor(shape: [2]), variance: one)
        }
        expectLRPError("BatchNormalization", "negative") {
            _ = try BatchNormalization(scale: one, offset: one, mean: one, variance: Tensor(shape: [1], scalars: [-1]))
        }
        expectLRPError("BatchNormalization", "[1, 3, 2, 2]") { _ = try layer().forward(Tensor(shape: [1, 3, 2, 2])) }
    }
}
