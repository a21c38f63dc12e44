import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct MultiplicationTests {
    @Test func gatedProductByHand() throws {
        // signal [1, 2, 1, 2] × gate [1, 2, 1, 1]: channel 0 scaled by 0.5, channel 1 by 2
        let signal = try Tensor(shape: [1, 2, 1, 2], scalars: [1, 2, 3, 4]), gate = try Tensor(shape: [1, 2, 1, 1], scalars: [0.5, 2])
        let excite = try Multiplication(gateInput: 1)
        let record = try excite.forward([signal, gate])
        #expect(record.output.scalars == [0.5, 1, 6, 8])
        let ones = try Tensor(shape: [1, 2, 1, 2], repeating: 1)
        let gradients = try excite.inputGradients(of: ones, inputs: [signal, gate], record: record)
        #expect(gradients[0].scalars == [0.5, 0.5, 2, 2] && gradients[1].scalars == [3, 7])
        let detached = try excite.detachedInputGradients(of: ones, inputs: [signal, gate], record: record)
        #expect(detached[0].scalars == [0.5, 0.5, 2, 2] && detached[1].scalars == [0, 0])
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        var generator = SeededGenerator(seed: 83)
        let signal = Tensor.random([2, 3, 2, 2], using: &generator)
        try expectGradientMatchesFiniteDifferences(try Multiplication(gateInput: 1), inputs: [signal, Tensor.random([2, 3, 1, 1], using: &generator)])
        try expectGradientMatchesFiniteDifferences(try Multiplication(gateInput: 0), inputs: [Tensor.random([2, 3, 2, 2], using: &generator), signal])
        let divisor = Tensor.random([2, 3, 2, 2], in: 1...2, using: &generator)
        try expectGradientMatchesFiniteDifferences(try Multiplication(gateInput: 1, dividing: true), inputs: [signal, divisor], step: 1e-3)
        expectLRPError("Div", "divisor") { _ = try Multiplication(gateInput: 0, dividing: true) }
    }

    @Test func normRuleSendsAllRelevanceToTheSignal() throws {
        var generator = SeededGenerator(seed: 84)
        let signal = Tensor.randomAwayFromZero([1, 2, 3, 3], gap: 0.1, using: &generator)
        let gate = Tensor.random([1, 2, 1, 1], in: 0.2...1, using: &generator)
        let layer = try Multiplication(gateInput: 1)
        let record = try layer.forward([signal, gate])
        let relevance = Tensor.random(record.output.shape, using: &generator)
        let results = try WeightlessRule.standard(for: layer).propagate(relevance, layer: layer, inputs: [signal, gate], record: record)
        expectClose(results[0].scalars, relevance.scalars.map(Double.init), tolerance: 1e-4)   // R·x·g/(x·g + ε)
        #expect(results[1].scalars.allSatisfy { $0 == 0 })
    }
}
