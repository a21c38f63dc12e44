import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

/// Conversions of single operators and their exporter patterns, on graphs built by hand.
@Suite struct ONNXNodeConverterTests {
    /// ShuffleNet's halves and a ResNet shortcut's channel padding: `Split`, `Concat` and `Pad` move values.
    @Test func splitConcatAndPadRouteValues() throws {
        var split = ONNXBuilder.node("Split", ["x", "sizes"], "first")
        split.output = ["first", "rest"]
        split.attribute = [ONNXBuilder.attribute("axis", int: 1)]
        var concat = ONNXBuilder.node("Concat", ["rest", "first"], "swapped")
        concat.attribute = [ONNXBuilder.attribute("axis", int: -1)]
        let model = try ONNXBuilder.load([split, concat, ONNXBuilder.node("Pad", ["swapped", "pads"], "y")], [
            ONNXBuilder.integers("sizes", dims: [2], [1, 3]), ONNXBuilder.integers("pads", dims: [4], [0, 1, 0, 2]),
        ], sampleShape: [4])
        #expect(try model.forward(try Tensor(shape: [1, 4], scalars: [1, 2, 3, 4])).scalars == [0, 2, 3, 4, 1, 0, 0])
        expectLRPError("Pad", "batch") {
            _ = try ONNXBuilder.load([ONNXBuilder.node("Pad", ["x", "pads"], "y")], [ONNXBuilder.integers("pads", dims: [4], [1, 0, 0, 0])], sampleShape: [4])
        }
    }

    /// A per-channel `Mul` then `Add` after a dense layer (tf2onnx's batch normalization) merges into it.
    @Test func constantMulAndAddAfterADenseLayerMergeIntoIt() throws {
        let model = try ONNXBuilder.load([
            ONNXBuilder.node("MatMul", ["x", "W"], "h"), ONNXBuilder.node("Mul", ["h", "scale"], "scaled"),
            ONNXBuilder.node("Add", ["scaled", "shift"], "y"),
        ], [
            ONNXBuilder.tensor("W", dims: [2, 2], floats: [1, 2, 3, 4]), ONNXBuilder.tensor("scale", dims: [2], floats: [2, -1]),
            ONNXBuilder.tensor("shift", dims: [1, 2], floats: [1, 1]),
        ], sampleShape: [2])
        #expect(model.nodes.map(\.layer.operatorName) == ["Gemm", "Mul", "Add"])   // merged only for LRP
        let x = try Tensor(shape: [1, 2], scalars: [1, 1])   // h = [4, 6] → [8, −6] → [9, −5]
        #expect(try model.forward(x).scalars == [9, -5])
        let canonical = try model.mergingBatchNormalization()
        #expect(canonical.nodes.count == 1 && (canonical.nodes[0].layer as? Dense)?.bias?.scalars == [1, 1])
        #expect(try canonical.forward(x).scalars == [9, -5])
    }
}
