import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct AdditionTests {
    @Test func forwardGradientAndShapeMismatch() throws {
        var generator = SeededGenerator(seed: 81)
        let a = Tensor.random([2, 3, 2, 2], using: &generator), b = Tensor.random([2, 3, 2, 2], using: &generator)
        let record = try Addition().forward([a, b])
        #expect(record.output.scalars == zip(a.scalars, b.scalars).map(+))
        expectSameBits(try Addition().inferenceOutput([a, b], rectified: true), try ReLU().forward(record.output))   // one pass
        let difference = try Addition(subtracting: true).forward([a, b]).output
        expectSameBits(try Addition(subtracting: true).inferenceOutput([a, b], rectified: true), try ReLU().forward(difference))
        try expectGradientMatchesFiniteDifferences(Addition(), inputs: [a, b])
        // adjoint of the linear map (u, v) ↦ u + v: ⟨u + v, y⟩ = ⟨u, y⟩ + ⟨v, y⟩ = ⟨(u, v), Jᵀ y⟩
        let y = Tensor.random(a.shape, using: &generator)
        let gradients = try Addition().inputGradients(of: y, inputs: [a, b], record: record)
        #expect(abs(try record.output.dot(y) - (try a.dot(gradients[0]) + b.dot(gradients[1]))) < 1e-4)
        expectLRPError("Add", "[2, 3, 2, 2]", "[2, 3, 2, 3]", "broadcast") { _ = try Addition().forward([a, Tensor(shape: [2, 3, 2, 3])]) }
        expectLRPError("Add", "2 inputs") { _ = try Addition().forward([a]) }
    }

    @Test func broadcastDifferenceByHandAndFiniteDifferences() throws {
        // [[1, 2], [3, 4]] − [10, 20] broadcast along the rows
        let x = try Tensor(shape: [1, 2, 2], scalars: [1, 2, 3, 4]), row = try Tensor(shape: [1, 1, 2], scalars: [10, 20])
        let subtract = Addition(subtracting: true)
        let record = try subtract.forward([x, row])
        #expect(record.output.scalars == [-9, -18, -7, -16] && subtract.operatorName == "Sub")
        #expect(try Addition().inferenceOutput([x, row], rectified: true).scalars == [11, 22, 13, 24])
        #expect(try subtract.inferenceOutput([x, row], rectified: true).scalars == [0, 0, 0, 0])
        let gradients = try subtract.inputGradients(of: Tensor(shape: [1, 2, 2], scalars: [1, 2, 3, 4]), inputs: [x, row], record: record)
        #expect(gradients[0].scalars == [1, 2, 3, 4] && gradients[1].scalars == [-4, -6])   // summed over the stretched rows
        var generator = SeededGenerator(seed: 82)
        try expectGradientMatchesFiniteDifferences(Addition(), inputs: [Tensor.random([2, 3, 4], using: &generator), Tensor.random([2, 1, 4], using: &generator)])
        try expectGradientMatchesFiniteDifferences(subtract, inputs: [Tensor.random([2, 3, 1], using: &generator), Tensor.random([2, 3, 4], using: &generator)])
    }
}
