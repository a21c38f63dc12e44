import Foundation
import Testing
@testable import LRP

/// Graphs in the shapes exporters write, built by hand so that each folding and conversion rule is checked
/// on its own with values computed by hand.
@Suite struct ONNXConstantFoldingTests {
    private func load(_ nodes: [Onnx_NodeProto], _ initializers: [Onnx_TensorProto], sampleShape: [Int64]) throws -> Model {
        let folder = try TemporaryFolder()
        let proto = ONNXBuilder.model(nodes: nodes, initializers: initializers, sampleShape: sampleShape)
        return try ONNXModel.load(try ONNXBuilder.save(proto, in: folder)).model
    }

    /// `x.view(x.size(0), -1)[:, 1::3]` as the TorchScript exporter writes it: the batch size comes from
    /// `Shape`/`Gather`, the slice end is INT64_MAX.
    @Test func shapeSubgraphFoldsIntoAReshapeTargetThatKeepsTheBatch() throws {
        var gather = ONNXBuilder.node("Gather", ["shape", "zero"], "batch")
        gather.attribute = [ONNXBuilder.attribute("axis", int: 0)]
        var concat = ONNXBuilder.node("Concat", ["batch1", "minusOne"], "target")
        concat.attribute = [ONNXBuilder.attribute("axis", int: 0)]
        let model = try load([
            ONNXBuilder.node("Shape", ["x"], "shape"), gather, ONNXBuilder.node("Unsqueeze", ["batch", "axes"], "batch1"), concat,
            ONNXBuilder.node("Reshape", ["x", "target"], "flat"), ONNXBuilder.node("Slice", ["flat", "start", "end", "axis1", "step"], "y"),
        ], [
            ONNXBuilder.integers("zero", dims: [], [0]), ONNXBuilder.integers("axes", dims: [1], [0]),
            ONNXBuilder.integers("minusOne", dims: [1], [-1]), ONNXBuilder.integers("start", dims: [1], [1]),
            ONNXBuilder.integers("end", dims: [1], [.max]), ONNXBuilder.integers("axis1", dims: [1], [1]),
            ONNXBuilder.integers("step", dims: [1], [3]),
        ], sampleShape: [2, 2, 2])
        #expect(model.nodes.map(\.layer.operatorName) == ["Reshape", "Slice"])
        let x = try Tensor(shape: [2, 2, 2, 2], scalars: (0 ..< 16).map(Float.init))
        #expect(try model.forward(x).scalars == [1, 4, 7, 9, 12, 15])
    }

    /// `x · ½ · (1 + erf(x / √2))` as PyTorch exports GELU before operator set 20 becomes one activation.
    @Test func geluPatternBecomesOneActivation() throws {
        let model = try load([
            ONNXBuilder.node("Div", ["x", "root2"], "scaled"), ONNXBuilder.node("Erf", ["scaled"], "erf"),
            ONNXBuilder.node("Add", ["erf", "one"], "shifted"), ONNXBuilder.node("Mul", ["x", "shifted"], "product"),
            ONNXBuilder.node("Mul", ["product", "half"], "y"),
        ], [
            ONNXBuilder.tensor("root2", dims: [], floats: [Float(2).squareRoot()]), ONNXBuilder.tensor("one", dims: [], floats: [1]),
            ONNXBuilder.tensor("half", dims: [], floats: [0.5]),
        ], sampleShape: [3])
        #expect(model.nodes.count == 1 && (model.nodes[0].layer as? PointwiseActivation)?.function == .gelu)
        let y = try model.forward(try Tensor(shape: [1, 3], scalars: [-1, 0, 2]))
        expectClose(y.scalars, [-1, 0, 2].map { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot())) })
    }

    /// ShuffleNet's halves and a ResNet shortcut's channel padding: `Split`, `Concat` and `Pad` move values.
    @Test func splitConcatAndPadRouteValues() throws {
        var split = ONNXBuilder.node("Split", ["x", "sizes"], "first")
        split.output = ["first", "rest"]
        split.attribute = [ONNXBuilder.attribute("axis", int: 1)]
        var concat = ONNXBuilder.node("Concat", ["rest", "first"], "swapped")
        concat.attribute = [ONNXBuilder.attribute("axis", int: -1)]
        let model = try load([split, concat, ONNXBuilder.node("Pad", ["swapped", "pads"], "y")], [
            ONNXBuilder.integers("sizes", dims: [2], [1, 3]), ONNXBuilder.integers("pads", dims: [4], [0, 1, 0, 2]),
        ], sampleShape: [4])
        #expect(try model.forward(try Tensor(shape: [1, 4], scalars: [1, 2, 3, 4])).scalars == [0, 2, 3, 4, 1, 0, 0])
        expectLRPError("Pad", "batch") {
            _ = try load([ONNXBuilder.node("Pad", ["x", "pads"], "y")], [ONNXBuilder.integers("pads", dims: [4], [1, 0, 0, 0])], sampleShape: [4])
        }
    }

    /// A per-channel `Mul` then `Add` after a dense layer (tf2onnx's batch normalisation) merges into it.
    @Test func constantMulAndAddAfterADenseLayerMergeIntoIt() throws {
        let model = try load([
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
