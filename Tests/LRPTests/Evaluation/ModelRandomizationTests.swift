import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct ModelRandomizationTests {
    @Test func replacesTheWeightedLayersFromTheTopReproducibly() throws {
        var generator = SeededGenerator(seed: 5)
        let model = try Model(sampleShape: [2, 6, 6], layers: [
            ("conv", try Convolution2D(weight: .random([4, 2, 3, 3], using: &generator), bias: .random([4], using: &generator), padding: Padding2D(1))),
            ("relu", ReLU()), ("flatten", Flatten()),
            ("hidden", try Dense(weight: .random([8, 144], using: &generator), bias: .random([8], using: &generator))),
            ("relu2", ReLU()),
            ("out", try Dense(weight: .random([3, 8], using: &generator), bias: nil)),
        ])
        func cascade(seed: UInt64) throws -> [ModelRandomization.Step] {
            var steps: [ModelRandomization.Step] = []
            try ModelRandomization.cascade(model, seed: seed) { steps.append($0) }
            return steps
        }
        let steps = try cascade(seed: 3)
        #expect(steps.map(\.layer) == ["out", "hidden", "conv"])
        func weight(_ model: Model, _ name: String) -> Tensor {
            (model.nodes.first { $0.name == name }!.layer as! any LinearLayer).weight
        }
        for (index, step) in steps.enumerated() {
            let changed = ["out", "hidden", "conv"].prefix(index + 1)
            for name in ["out", "hidden", "conv"] {
                #expect((weight(step.model, name) == weight(model, name)) != changed.contains(name), "step \(index), layer \(name)")
            }
        }
        // the redrawn weights keep the trained ones' scale: uniform on [−1, 1] has standard deviation 1/√3
        let redrawn = weight(steps[1].model, "hidden").scalars
        let mean = redrawn.reduce(0, +) / Float(redrawn.count)
        let deviation = (redrawn.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(redrawn.count)).squareRoot()
        #expect(abs(mean) < 0.1 && abs(deviation - 1 / Float(3).squareRoot()) < 0.1)
        let again = try cascade(seed: 3)
        #expect(weight(again[2].model, "conv") == weight(steps[2].model, "conv"))
        #expect(weight(try cascade(seed: 4)[2].model, "conv") != weight(steps[2].model, "conv"))
        expectLRPError("no weighted layer") { try ModelRandomization.cascade(try Model(sampleShape: [4], layers: [("relu", ReLU())])) { _ in } }
    }
}
