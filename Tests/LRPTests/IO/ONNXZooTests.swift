import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

/// Reduced-width versions of the torchvision CNNs that use the operators beyond convolution and pooling
/// (scripts/make_zoo_fixtures.py; Fixtures/zoo/README.md lists each one's operators), akamaster's
/// CIFAR-10 ResNet-20 from both PyTorch exporters, and Keras models through tf2onnx.
@Suite struct ONNXZooTests {
    static let zoo = ["mobilenet_v2", "mobilenet_v3_small", "densenet", "shufflenet_v2", "efficientnet_b0", "convnext",
                      "resnet20_torchscript", "resnet20_dynamo"]

    static func modelURL(_ name: String) -> URL { Fixtures.url("zoo/\(name).onnx") }

    static func largestRelativeDifference(_ a: Tensor, _ b: Tensor) -> Double {
        let scale = b.scalars.map { abs(Double($0)) }.max() ?? 0
        return zip(a.scalars, b.scalars).map { abs(Double($0) - Double($1)) }.max()! / max(scale, 1e-30)
    }

    @Test(arguments: zoo)
    func logitsEqualPyTorch(_ name: String) throws {
        let model = try ONNXModel.load(Self.modelURL(name)).model
        let logits = try model.forward(try NPY.read(Fixtures.url("zoo/\(name).input.npy")))
        let expected = try NPY.read(Fixtures.url("zoo/\(name).logits.npy"))
        #expect(logits.shape == expected.shape)
        #expect(Self.largestRelativeDifference(logits, expected) <= 1e-4)
    }

    /// Every preset explains every model: finite relevance of the input's shape, and the relevance that
    /// reaches each layer is finite too (the explainer checks each layer and names the one that fails).
    @Test(arguments: zoo)
    func everyPresetExplains(_ name: String) throws {
        let model = try ONNXModel.load(Self.modelURL(name)).model
        let input = try NPY.read(Fixtures.url("zoo/\(name).input.npy"))
        let low = input.scalars.min()!, high = input.scalars.max()!
        for spec in ["epsilon-plus", "epsilon-plus-flat", "epsilon-alpha2-beta1", "epsilon-alpha2-beta1-flat", "epsilon-gamma-box:\(low),\(high)"] {
            let explanation = try Explainer(model: model, composite: try Composite(spec: spec)).explain(input)
            #expect(explanation.relevance.shape == input.shape, "\(spec)")
            #expect(explanation.relevance.firstNonFiniteIndex() == nil, "\(spec)")
        }
    }

    /// Both exporters' graphs of the same network give the same relevance.
    @Test func resNet20RelevanceIsTheSameFromBothExporters() throws {
        let input = try NPY.read(Fixtures.url("zoo/resnet20_dynamo.input.npy"))
        for spec in ["epsilon-plus", "epsilon-gamma-box:-2.2,2.7"] {
            let composite = try Composite(spec: spec)
            let dynamo = try Explainer(model: ONNXModel.load(Self.modelURL("resnet20_dynamo")).model, composite: composite).explain(input)
            let script = try Explainer(model: ONNXModel.load(Self.modelURL("resnet20_torchscript")).model, composite: composite).explain(input)
            #expect(Self.largestRelativeDifference(dynamo.relevance, script.relevance) <= 1e-4, "\(spec)")
        }
    }

    /// The demo CNN exported from Keras by tf2onnx (an NHWC input transpose, batch normalization as `Mul` +
    /// `Add`, dense layers as `MatMul` + `Add`) explains as its PyTorch export does.
    @Test func kerasExportExplainsAsThePyTorchExport() throws {
        let input = try NPY.read(Fixtures.url("onnx/keras_demo_cnn.input.npy"))
        let keras = try ONNXModel.load(Fixtures.url("onnx/keras_demo_cnn.onnx")).model
        let pytorch = try ONNXModel.load(Demo.model).model
        for spec in ["epsilon-plus", "epsilon-gamma-box:0,255", "1-4=gamma:0.25;5-8=epsilon:0.25;9=zero"] {
            let composite = try Composite(spec: spec)
            let a = try Explainer(model: keras, composite: composite).explain(input).relevance
            let b = try Explainer(model: pytorch, composite: composite).explain(input).relevance
            #expect(Self.largestRelativeDifference(a, b) <= 1e-4, "\(spec)")
        }
    }
}
