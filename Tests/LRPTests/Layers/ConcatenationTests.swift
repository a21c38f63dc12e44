import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct ConcatenationTests {
    @Test func joinsAlongChannelsAndSplitsTheGradientBack() throws {
        let a = try Tensor(shape: [2, 1, 2], scalars: [1, 2, 3, 4]), b = try Tensor(shape: [2, 2, 2], scalars: [5, 6, 7, 8, 9, 10, 11, 12])
        let join = try Concatenation(axis: 1, inputCount: 2)
        let record = try join.forward([a, b])
        #expect(record.output.shape == [2, 3, 2])
        #expect(record.output.scalars == [1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12])
        let gradients = try join.inputGradients(of: record.output, inputs: [a, b], record: record)
        #expect(gradients[0] == a && gradients[1] == b)
        var generator = SeededGenerator(seed: 85)
        try expectGradientMatchesFiniteDifferences(try Concatenation(axis: 3, inputCount: 3), inputs: [
            Tensor.random([2, 2, 2, 1], using: &generator), Tensor.random([2, 2, 2, 3], using: &generator), Tensor.random([2, 2, 2, 2], using: &generator),
        ])
    }

    @Test func shapesMustAgreeOutsideTheAxis() throws {
        let join = try Concatenation(axis: 1, inputCount: 2)
        expectLRPError("Concat", "differ outside axis 1") { _ = try join.outputShape(for: [[1, 2, 3], [1, 2, 4]]) }
        expectLRPError("Concat", "after the batch") { _ = try Concatenation(axis: 0, inputCount: 2) }
    }
}
