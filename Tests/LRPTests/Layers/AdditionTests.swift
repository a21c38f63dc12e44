import Testing
@testable import LRP

@Suite struct AdditionTests {
    @Test func forwardGradientAndShapeMismatch() throws {
        var generator = SeededGenerator(seed: 81)
        let a = Tensor.random([2, 3, 2, 2], using: &generator), b = Tensor.random([2, 3, 2, 2], using: &generator)
        let record = try Addition().forward([a, b])
        #expect(record.output.scalars == zip(a.scalars, b.scalars).map(+))
        try expectGradientMatchesFiniteDifferences(Addition(), inputs: [a, b])
        // adjoint of the linear map (u, v) ↦ u + v: ⟨u + v, y⟩ = ⟨u, y⟩ + ⟨v, y⟩ = ⟨(u, v), Jᵀ y⟩
        let y = Tensor.random(a.shape, using: &generator)
        let gradients = try Addition().inputGradients(of: y, inputs: [a, b], record: record)
        #expect(abs(try record.output.dot(y) - (try a.dot(gradients[0]) + b.dot(gradients[1]))) < 1e-4)
        expectLRPError("Add", "[2, 3, 2, 2]", "[2, 3, 2, 1]") { _ = try Addition().forward([a, Tensor(shape: [2, 3, 2, 1])]) }
        expectLRPError("Add", "2 inputs") { _ = try Addition().forward([a]) }
    }
}
