import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct ShapeTests {
    @Test func flattenReshapeAndIdentityKeepValuesAndInvertGradients() throws {
        var generator = SeededGenerator(seed: 71)
        let x = Tensor.random([2, 3, 2, 2], using: &generator)
        let flat = try Flatten().forward(x)
        #expect(flat.shape == [2, 12] && flat.scalars == x.scalars)
        let reshaped = try Reshape(sampleShape: [4, 3]).forward(x)
        #expect(reshaped.shape == [2, 4, 3] && reshaped.scalars == x.scalars)
        for layer in [Flatten(), try Reshape(sampleShape: [12]), Identity(operatorName: "Dropout")] as [any UnaryLayer] {
            let record = try layer.recordingForward(x)
            let back = try layer.inputGradient(of: record.output, input: x, record: record)
            #expect(back == x)
        }
    }

    @Test func gradientsMatchFiniteDifferencesAndTheAdjointIdentity() throws {
        var generator = SeededGenerator(seed: 72)
        let x = Tensor.random([2, 3, 2, 2], using: &generator)
        for layer in [Flatten(), try Reshape(sampleShape: [4, 3]), Identity(operatorName: "Dropout")] as [any UnaryLayer] {
            try expectGradientMatchesFiniteDifferences(layer, inputs: [x])
            try expectAdjointIdentity(affine: layer, inputShape: x.shape)
        }
    }

    @Test func badInput() throws {
        expectLRPError("Reshape", "positive") { _ = try Reshape(sampleShape: [0, 3]) }
        expectLRPError("Reshape", "[2, 3, 2, 2]", "[5]") { _ = try Reshape(sampleShape: [5]).forward(Tensor(shape: [2, 3, 2, 2])) }
        expectLRPError("Flatten", "empty") { _ = try Flatten().forward(Tensor(shape: [0, 3])) }
    }
}
