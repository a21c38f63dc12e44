import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct AveragePoolingTests {
    @Test func handComputedCountingPaddingOrNot() throws {
        // 1×1×2×2 [[1, 2], [3, 6]], kernel 2, stride 1, padding 1: the corner window holds only 1
        let x = try Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 6])
        let excluding = try AveragePooling2D(kernel: Size2D(2), stride: Size2D(1), padding: Padding2D(1))
        let including = try AveragePooling2D(kernel: Size2D(2), stride: Size2D(1), padding: Padding2D(1), countIncludePad: true)
        #expect(try excluding.forward(x).scalars == [1, 1.5, 2, 2, 3, 4, 3, 4.5, 6])
        #expect(try including.forward(x).scalars == [0.25, 0.75, 0.5, 1, 3, 2, 0.75, 2.25, 1.5])
    }

    @Test(arguments: [(2, 2, 0, false), (3, 2, 1, false), (3, 2, 1, true), (3, 1, 1, true)])
    func matchesDirectDefinitionGradientAndAdjoint(kernel: Int, stride: Int, padding: Int, includePad: Bool) throws {
        var generator = SeededGenerator(seed: 51)
        let pool = try AveragePooling2D(kernel: Size2D(kernel), stride: Size2D(stride), padding: Padding2D(padding),
                                        countIncludePad: includePad)
        let x = Tensor.random([2, 3, 5, 6], using: &generator)
        let expected = NaiveReference.pooling(x, kernel: Size2D(kernel), stride: Size2D(stride), padding: Padding2D(padding),
                                              max: false, countIncludePad: includePad)
        let y = try pool.forward(x)
        #expect(y.shape == expected.shape)
        expectClose(y.scalars, expected.values)
        try expectGradientMatchesFiniteDifferences(pool, inputs: [x])
        try expectAdjointIdentity(affine: pool, inputShape: x.shape)
    }

    @Test func globalAverageShapesValuesAndGradient() throws {
        let x = try Tensor(shape: [1, 2, 2, 2], scalars: [1, 2, 3, 6, -1, -1, -1, 7])
        #expect(try GlobalAveragePooling().forward(x).shape == [1, 2, 1, 1])
        let flat = GlobalAveragePooling(keepDimensions: false)
        #expect(try flat.forward(x) == Tensor(shape: [1, 2], scalars: [3, 1]))
        var generator = SeededGenerator(seed: 52)
        try expectGradientMatchesFiniteDifferences(flat, inputs: [.random([2, 3, 4, 5], using: &generator)])
        try expectAdjointIdentity(affine: GlobalAveragePooling(), inputShape: [2, 3, 4, 5])
        expectLRPError("ReduceMean", "[2, 3]") { _ = try flat.forward(Tensor(shape: [2, 3])) }
    }
}
