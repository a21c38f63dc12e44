import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct ScaleShiftTests {
    @Test func perChannelAffineByHand() throws {
        let layer = try ScaleShift(operatorName: "Mul+Add", scale: Tensor(shape: [2, 1, 1], scalars: [2, -1]), shift: Tensor(shape: [1, 2, 1, 1], scalars: [1, 0]))
        let x = try Tensor(shape: [1, 2, 1, 2], scalars: [1, 2, 3, 4])
        #expect(try layer.forward(x).scalars == [3, 5, -3, -4])
        #expect(try layer.inputGradient(of: Tensor(shape: [1, 2, 1, 2], repeating: 1), input: x, record: LayerRecord(output: x)).scalars == [2, 2, -1, -1])
        let factors = layer.perChannel(axis: 1, rank: 4, channels: 2)
        #expect(factors?.scale == [2, -1] && factors?.shift == [1, 0])
        #expect(layer.perChannel(axis: 3, rank: 4, channels: 2) == nil)   // varies along axis 1, not 3
        try expectAdjointIdentity(affine: layer, inputShape: [2, 2, 3, 3])
    }

    @Test func constantsMustNotEnlargeTheInputOrBeMissing() throws {
        let widening = try ScaleShift(operatorName: "Add", scale: nil, shift: Tensor(shape: [1, 3, 1, 1], repeating: 1))
        expectLRPError("Add", "[1, 3, 1, 1]", "enlarge") { _ = try widening.outputShape(for: [2, 1, 4, 4]) }
        expectLRPError("Mul", "needs a scale or a shift") { _ = try ScaleShift(operatorName: "Mul", scale: nil, shift: nil) }
        expectLRPError("Div", "non-finite") { _ = try ScaleShift(operatorName: "Div", scale: Tensor(shape: [1], scalars: [.infinity]), shift: nil) }
    }
}
