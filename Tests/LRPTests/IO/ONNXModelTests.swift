import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct ONNXModelTests {
    static let fixtureNames = [
        "vgg_torchscript", "vgg_dynamo", "strided_bn_torchscript", "strided_bn_dynamo",
        "resnet_torchscript", "resnet_dynamo", "resnet_external", "keras_style", "keras_demo_cnn", "keras_mobilenet_v2",
    ]

    @Test(arguments: fixtureNames)
    func logitsEqualOnnxRuntime(_ name: String) throws {
        let imported = try ONNXModel.load(Fixtures.url("onnx/\(name).onnx"))
        let input = try NPY.read(Fixtures.url("onnx/\(name).input.npy"))
        let expected = try NPY.read(Fixtures.url("onnx/\(name).logits.npy"))
        let logits = try imported.model.forward(input)
        #expect(logits.shape == expected.shape)
        let scale = expected.scalars.map { abs(Double($0)) }.max()!
        let worst = zip(logits.scalars, expected.scalars).map { abs(Double($0) - Double($1)) }.max()!
        #expect(worst / scale <= 1e-4, "largest difference \(worst) at logit scale \(scale)")
    }

    @Test func demoModelLogitsEqualOnnxRuntime() throws {
        let model = try ONNXModel.load(Demo.model).model
        let logits = try model.forward(InputDataset.load([Demo.photos]).images)
        let expected = try NPY.read(Fixtures.url("onnx/demo_images.logits.npy"))
        #expect(logits.shape == expected.shape)
        let scale = expected.scalars.map { abs(Double($0)) }.max()!
        let worst = zip(logits.scalars, expected.scalars).map { abs(Double($0) - Double($1)) }.max()!
        #expect(worst / scale <= 1e-4, "largest difference \(worst) at logit scale \(scale)")
    }

    @Test func demoResNetLogitsEqualOnnxRuntime() throws {
        let model = try ONNXModel.load(Demo.resNet).model
        let logits = try model.forward(InputDataset.load([Demo.images]).images)
        let expected = try NPY.read(Fixtures.url("onnx/demo_resnet20_images.logits.npy"))
        #expect(logits.shape == expected.shape)
        let scale = expected.scalars.map { abs(Double($0)) }.max()!
        let worst = zip(logits.scalars, expected.scalars).map { abs(Double($0) - Double($1)) }.max()!
        #expect(worst / scale <= 1e-4, "largest difference \(worst) at logit scale \(scale)")
    }

    @Test func identityOfAnInitializerIsThatConstant() throws {
        // the TorchScript exporter shares weights this way: Identity(W) → W2, read by Gemm
        let folder = try TemporaryFolder()
        var gemm = ONNXBuilder.model().graph.node[0]
        gemm.input[1] = "W2"
        let model = ONNXBuilder.model(nodes: [ONNXBuilder.node("Identity", ["W"], "W2"), gemm])
        let imported = try ONNXModel.load(try ONNXBuilder.save(model, in: folder)).model
        #expect(imported.nodes.count == 1)
        #expect(try imported.forward(Tensor(shape: [1, 2], scalars: [2, 3])).scalars == [2, 3, 6])
    }

    @Test func importRewritesAreReported() throws {
        let keras = try ONNXModel.load(Fixtures.url("onnx/keras_style.onnx"))
        #expect(keras.model.sampleShape == [3, 32, 32])
        #expect(keras.notes.contains { $0.contains("NHWC") } && keras.notes.contains { $0.contains("Softmax") })
        #expect(keras.model.nodes.contains { $0.layer is Transpose })          // the one before the reshape stays
        #expect((keras.model.nodes.first { $0.layer is Dense }?.layer as? Dense)?.bias != nil)   // MatMul + Add fused
        let bn = try ONNXModel.load(Fixtures.url("onnx/strided_bn_torchscript.onnx"))
        #expect(bn.model.nodes.filter { $0.layer is BatchNormalization }.count == 2)
        #expect(bn.opsetVersion == 17 && bn.producer.hasPrefix("pytorch"))
        let dynamo = try ONNXModel.load(Fixtures.url("onnx/resnet_dynamo.onnx"))
        #expect(dynamo.opsetVersion == 21)
        #expect(dynamo.model.nodes.contains { $0.layer is GlobalAveragePooling })
    }
}

/// Builds small ONNX models in Swift for the bad-input cases.
enum ONNXBuilder {
    static func tensor(_ name: String, dims: [Int64], floats: [Float]) -> Onnx_TensorProto {
        var proto = Onnx_TensorProto()
        proto.name = name
        proto.dims = dims
        proto.dataType = 1
        proto.floatData = floats
        return proto
    }

    static func integers(_ name: String, dims: [Int64], _ values: [Int64]) -> Onnx_TensorProto {
        var proto = Onnx_TensorProto()
        (proto.name, proto.dims, proto.dataType, proto.int64Data) = (name, dims, 7, values)
        return proto
    }

    static func attribute(_ name: String, ints: [Int64]) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        (attribute.name, attribute.type, attribute.ints) = (name, .ints, ints)
        return attribute
    }

    static func attribute(_ name: String, int: Int64) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        (attribute.name, attribute.type, attribute.i) = (name, .int, int)
        return attribute
    }

    static func node(_ op: String, _ inputs: [String], _ output: String, name: String? = nil) -> Onnx_NodeProto {
        var node = Onnx_NodeProto()
        node.opType = op
        node.input = inputs
        node.output = [output]
        node.name = name ?? output
        return node
    }

    /// `x [N, 2] → Gemm(W, b) → y`, with the nodes and initializers replaceable.
    static func model(nodes: [Onnx_NodeProto]? = nil, initializers: [Onnx_TensorProto]? = nil, output: String = "y",
                      sampleShape: [Int64] = [2]) -> Onnx_ModelProto {
        var graph = Onnx_GraphProto()
        var gemm = node("Gemm", ["x", "W", "b"], "y", name: "fc")
        var transB = Onnx_AttributeProto()
        (transB.name, transB.type, transB.i) = ("transB", .int, 1)
        gemm.attribute = [transB]
        graph.node = nodes ?? [gemm]
        graph.initializer = initializers ?? [tensor("W", dims: [3, 2], floats: [1, 0, 0, 1, 1, 1]), tensor("b", dims: [3], floats: [0, 0, 1])]
        var input = Onnx_ValueInfoProto()
        input.name = "x"
        var batch = Onnx_TensorShapeProto.Dimension()
        batch.dimParam = "N"
        input.type.tensorType.shape.dim = [batch] + sampleShape.map { size in
            var dimension = Onnx_TensorShapeProto.Dimension()
            dimension.dimValue = size
            return dimension
        }
        input.type.tensorType.elemType = 1
        var out = Onnx_ValueInfoProto()
        out.name = output
        graph.input = [input]
        graph.output = [out]
        var model = Onnx_ModelProto()
        model.graph = graph
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 17
        model.opsetImport = [opset]
        return model
    }

    static func save(_ model: Onnx_ModelProto, in folder: TemporaryFolder, as name: String = "model.onnx") throws -> URL {
        try folder.write(try model.serializedData(), to: name)
    }

    /// Imports a graph of `nodes` over an input `x` of `[N] + sampleShape` whose output is `y`.
    static func load(_ nodes: [Onnx_NodeProto], _ initializers: [Onnx_TensorProto], sampleShape: [Int64]) throws -> Model {
        let folder = try TemporaryFolder()
        return try ONNXModel.load(try save(model(nodes: nodes, initializers: initializers, sampleShape: sampleShape), in: folder)).model
    }
}

@Suite struct ONNXBadInputTests {
    @Test func theBuilderModelItselfLoads() throws {
        let folder = try TemporaryFolder()
        let model = try ONNXModel.load(try ONNXBuilder.save(ONNXBuilder.model(), in: folder)).model
        #expect(try model.forward(Tensor(shape: [1, 2], scalars: [2, 3])).scalars == [2, 3, 6])   // typed float_data
    }

    @Test func truncatedEmptyRandomAndMissingFiles() throws {
        let folder = try TemporaryFolder()
        let good = try Data(contentsOf: Fixtures.url("onnx/vgg_torchscript.onnx"))
        let truncated = try folder.write(good.prefix(good.count / 2), to: "truncated.onnx")
        expectLRPError("truncated.onnx") { _ = try ONNXModel.load(truncated) }
        let empty = try folder.write(Data(), to: "empty.onnx")
        expectLRPError("empty.onnx", "empty") { _ = try ONNXModel.load(empty) }
        var generator = SeededGenerator(seed: 3)
        for attempt in 0..<20 {
            let bytes = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let random = try folder.write(bytes, to: "random\(attempt).onnx")
            expectLRPError("random\(attempt).onnx") { _ = try ONNXModel.load(random) }
        }
        expectLRPError("nowhere.onnx", "no such file") { _ = try ONNXModel.load(folder.file("nowhere.onnx")) }
    }

    @Test func everyUnsupportedOperatorIsNamedWithItsNodesAtOnce() throws {
        let folder = try TemporaryFolder()
        let model = ONNXBuilder.model(nodes: [
            ONNXBuilder.node("Erf", ["x"], "a", name: "gelu/erf"), ONNXBuilder.node("Einsum", ["a"], "b", name: "mix"),
            ONNXBuilder.node("Hardmax", ["b"], "c", name: "pick"), ONNXBuilder.node("Einsum", ["c"], "y", name: "mix again"),
        ])
        expectLRPError("operators not supported", "'Einsum' (nodes 'mix', 'mix again')", "'Hardmax' (node 'pick')") {
            _ = try ONNXModel.load(try ONNXBuilder.save(model, in: folder))
        }
    }

    @Test func tensorDataThatDoesNotMatchItsDimensions() throws {
        let folder = try TemporaryFolder()
        let short = ONNXBuilder.model(initializers: [ONNXBuilder.tensor("W", dims: [3, 2], floats: [1, 2]), ONNXBuilder.tensor("b", dims: [3], floats: [0, 0, 0])])
        expectLRPError("initializer 'W'", "6 values", "stores 2") { _ = try ONNXModel.load(try ONNXBuilder.save(short, in: folder)) }
        var absurd = ONNXBuilder.tensor("W", dims: [1 << 20, 1 << 20, 1 << 20], floats: [])
        absurd.rawData = Data(count: 16)
        let huge = ONNXBuilder.model(initializers: [absurd])
        expectLRPError("initializer 'W'", "too large") { _ = try ONNXModel.load(try ONNXBuilder.save(huge, in: folder, as: "huge.onnx")) }
        var raw = ONNXBuilder.tensor("W", dims: [1 << 28], floats: [])
        raw.rawData = Data(count: 8)
        let claims = ONNXBuilder.model(initializers: [raw])
        expectLRPError("initializer 'W'", "stores 8") { _ = try ONNXModel.load(try ONNXBuilder.save(claims, in: folder, as: "claims.onnx")) }
    }

    @Test func externalDataMustBeInsideTheFolderPresentAndLongEnough() throws {
        let folder = try TemporaryFolder()
        func external(_ location: String, length: Int = 24) -> Onnx_ModelProto {
            var weight = ONNXBuilder.tensor("W", dims: [3, 2], floats: [])
            weight.dataLocation = .external
            weight.externalData = [("location", location), ("offset", "0"), ("length", "\(length)")].map { key, value in
                var entry = Onnx_StringStringEntryProto()
                (entry.key, entry.value) = (key, value)
                return entry
            }
            return ONNXBuilder.model(initializers: [weight, ONNXBuilder.tensor("b", dims: [3], floats: [0, 0, 0])])
        }
        expectLRPError("'../../etc/passwd'", "outside the model's folder") {
            _ = try ONNXModel.load(try ONNXBuilder.save(external("../../etc/passwd"), in: folder))
        }
        expectLRPError("outside the model's folder") { _ = try ONNXModel.load(try ONNXBuilder.save(external("/etc/passwd"), in: folder)) }
        expectLRPError("missing") { _ = try ONNXModel.load(try ONNXBuilder.save(external("model.onnx.data"), in: folder)) }
        _ = try folder.write(Data(count: 10), to: "model.onnx.data")
        expectLRPError("model.onnx.data", "too short") { _ = try ONNXModel.load(try ONNXBuilder.save(external("model.onnx.data"), in: folder)) }
        expectLRPError("need 24") { _ = try ONNXModel.load(try ONNXBuilder.save(external("model.onnx.data", length: 8), in: folder)) }
        _ = try folder.write(Data(count: 24), to: "model.onnx.data")
        #expect(try ONNXModel.load(try ONNXBuilder.save(external("model.onnx.data"), in: folder)).model.nodes.count == 1)
    }

    @Test func nodeInputThatNothingProduces() throws {
        let folder = try TemporaryFolder()
        let model = ONNXBuilder.model(nodes: [ONNXBuilder.node("Relu", ["ghost"], "y", name: "act")])
        expectLRPError("node 'act'", "'ghost'", "produced by no node") { _ = try ONNXModel.load(try ONNXBuilder.save(model, in: folder)) }
    }
}
