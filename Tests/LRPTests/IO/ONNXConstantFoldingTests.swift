import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

/// Graphs in the shapes exporters write, built by hand so that each folding and conversion rule is checked
/// on its own with values computed by hand.
@Suite struct ONNXConstantFoldingTests {
    /// `x.view(x.size(0), -1)[:, 1::3]` as the TorchScript exporter writes it: the batch size comes from
    /// `Shape`/`Gather`, the slice end is INT64_MAX.
    @Test func shapeSubgraphFoldsIntoAReshapeTargetThatKeepsTheBatch() throws {
        var gather = ONNXBuilder.node("Gather", ["shape", "zero"], "batch")
        gather.attribute = [ONNXBuilder.attribute("axis", int: 0)]
        var concat = ONNXBuilder.node("Concat", ["batch1", "minusOne"], "target")
        concat.attribute = [ONNXBuilder.attribute("axis", int: 0)]
        let model = try ONNXBuilder.load([
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
}
