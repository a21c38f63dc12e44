import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

/// Exporter patterns that become one layer, on graphs built by hand.
@Suite struct ONNXPatternsTests {
    /// `x · ½ · (1 + erf(x / √2))` as PyTorch exports GELU before operator set 20 becomes one activation.
    @Test func geluPatternBecomesOneActivation() throws {
        let model = try ONNXBuilder.load([
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

    /// Layer normalization as exporters wrote it before operator set 17 becomes one layer with the LN rule.
    @Test func decomposedLayerNormalizationBecomesOneLayer() throws {
        var meanNode = ONNXBuilder.node("ReduceMean", ["x"], "mean"), varianceNode = ONNXBuilder.node("ReduceMean", ["square"], "variance")
        meanNode.attribute = [ONNXBuilder.attribute("axes", ints: [-1])]
        varianceNode.attribute = [ONNXBuilder.attribute("axes", ints: [-1])]
        let model = try ONNXBuilder.load([
            meanNode, ONNXBuilder.node("Sub", ["x", "mean"], "centered"), ONNXBuilder.node("Pow", ["centered", "two"], "square"), varianceNode,
            ONNXBuilder.node("Add", ["variance", "epsilon"], "shifted"), ONNXBuilder.node("Sqrt", ["shifted"], "deviation"),
            ONNXBuilder.node("Div", ["centered", "deviation"], "normalized"), ONNXBuilder.node("Mul", ["normalized", "gamma"], "scaled"),
            ONNXBuilder.node("Add", ["scaled", "beta"], "y"),
        ], [
            ONNXBuilder.tensor("two", dims: [], floats: [2]), ONNXBuilder.tensor("epsilon", dims: [], floats: [1e-5]),
            ONNXBuilder.tensor("gamma", dims: [4], floats: [1, 2, 3, 4]), ONNXBuilder.tensor("beta", dims: [4], floats: [0, 0, 0, 1]),
        ], sampleShape: [4])
        let norm = try #require(model.nodes.first?.layer as? LayerNormalization)
        #expect(model.nodes.count == 1 && norm.axis == 1 && norm.epsilon == 1e-5 && norm.bias?.scalars == [0, 0, 0, 1])
        let y = try model.forward(try Tensor(shape: [1, 4], scalars: [1, 2, 3, 6]))
        let deviation = (3.5 + 1e-5).squareRoot()   // mean 3, variance (4 + 1 + 0 + 9)/4
        expectClose(y.scalars, [-2 / deviation, -2 / deviation, 0, 12 / deviation + 1], tolerance: 1e-5)
    }
}
