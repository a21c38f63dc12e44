import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

/// The reproducers of issue 13 (found by mutation fuzzing), built here as small ONNX models: each must be
/// refused with an `LRPError` naming the file and the problem — no trap, no hang, no runaway memory.
enum HostileModels {
    /// One reproducer: a model, the words its error must contain, and files it needs beside it.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let model: Onnx_ModelProto
        let fragments: [String]
        var testDescription: String { name }
    }

    static func int64s(_ name: String, _ values: [Int64]) -> Onnx_TensorProto {
        var proto = Onnx_TensorProto()
        (proto.name, proto.dims, proto.dataType, proto.int64Data) = (name, [Int64(values.count)], 7, values)
        return proto
    }

    static func ints(_ name: String, _ values: [Int64]) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        (attribute.name, attribute.type, attribute.ints) = (name, .ints, values)
        return attribute
    }

    static func int(_ name: String, _ value: Int64) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        (attribute.name, attribute.type, attribute.i) = (name, .int, value)
        return attribute
    }

    static func node(_ op: String, _ inputs: [String], _ output: String, _ attributes: [Onnx_AttributeProto] = []) -> Onnx_NodeProto {
        var node = ONNXBuilder.node(op, inputs, output)
        node.attribute = attributes
        return node
    }

    /// A model with input `x` of shape `[N] + sample` and output `y`.
    static func model(sample: [Int64], nodes: [Onnx_NodeProto], initializers: [Onnx_TensorProto] = [], output: String = "y") -> Onnx_ModelProto {
        var model = ONNXBuilder.model(nodes: nodes, initializers: initializers, output: output)
        var batch = Onnx_TensorShapeProto.Dimension()
        batch.dimParam = "N"
        model.graph.input[0].type.tensorType.shape.dim = [batch] + sample.map { size in
            var dimension = Onnx_TensorShapeProto.Dimension()
            dimension.dimValue = size
            return dimension
        }
        return model
    }

    static let image: [Int64] = [3, 8, 8]

    static func pool(_ op: String, kernel: Int64, pads: Int64) -> Onnx_NodeProto {
        node(op, ["x"], "y", [ints("kernel_shape", [kernel, kernel]), ints("pads", [pads, pads, pads, pads])])
    }

    /// An externally stored `[count]` float weight read by a `MatMul` (the count need not fit the model).
    static func external(count: Int64, location: String, offset: String = "0") -> Onnx_ModelProto {
        var weight = ONNXBuilder.tensor("W", dims: [count], floats: [])
        weight.dataLocation = .external
        weight.externalData = [("location", location), ("offset", offset), ("length", String(count * 4))].map { key, value in
            var entry = Onnx_StringStringEntryProto()
            (entry.key, entry.value) = (key, value)
            return entry
        }
        return model(sample: [2], nodes: [node("MatMul", ["x", "W"], "y")], initializers: [weight])
    }

    static let cases: [Case] = [
        Case(name: "reshape-infers-from-huge", model: model(sample: [2], nodes: [node("Reshape", ["x", "s"], "y")],
                                                             initializers: [int64s("s", [1, -1, 1 << 62, 4])]),
             fragments: ["node 'y' (Reshape)", "cannot reshape"]),
        Case(name: "reshape-huge-target", model: model(sample: [2], nodes: [node("Reshape", ["x", "s"], "y")],
                                                        initializers: [int64s("s", [1, 1 << 62, 1 << 62])]),
             fragments: ["node 'y' (Reshape)", "at most 2147483647 elements"]),
        Case(name: "reducemean-axis-int64-max", model: model(sample: image, nodes: [node("ReduceMean", ["x", "axes"], "y")],
                                                              initializers: [int64s("axes", [.max, 3])]),
             fragments: ["node 'y' (ReduceMean)", "axes [9223372036854775807, 3]"]),
        Case(name: "attribute-int64-min", model: model(sample: image, nodes: [node("MaxPool", ["x"], "y", [ints("kernel_shape", [2, 2]), ints("dilations", [.min, 1])])]),
             fragments: ["node 'y' (MaxPool)", "'dilations' value -9223372036854775808 is out of range"]),
        Case(name: "transpose-of-2d-input", model: model(sample: [32], nodes: [node("Transpose", ["x"], "y", [ints("perm", [0, 3, 1, 2])])]),
             fragments: ["model.onnx: node 'y' (Transpose)", "permutation [0, 3, 1, 2] does not fit"]),
        Case(name: "ceil-mode-after-flatten", model: model(sample: image, nodes: [
            node("Flatten", ["x"], "f"), node("AveragePool", ["f"], "y", [ints("kernel_shape", [2, 2]), int("ceil_mode", 1)])]),
             fragments: ["node 'y' (AveragePool)", "4-D input"]),
        Case(name: "five-d-input-relu", model: model(sample: [1 << 20, 1 << 20, 1 << 20, 1 << 20], nodes: [node("Relu", ["x"], "y")]),
             fragments: ["input 'x'", "more than 2147483647 elements"]),
        Case(name: "pool-kernel-int32-max", model: model(sample: image, nodes: [pool("MaxPool", kernel: (1 << 31) - 1, pads: 1 << 30)]),
             fragments: ["more than 2^63", "floating-point operations"]),
        Case(name: "pool-kernel-65536", model: model(sample: image, nodes: [pool("AveragePool", kernel: 65536, pads: 65535)]),
             fragments: ["node 'y' (AveragePool)", "more than 2147483647 elements"]),
        Case(name: "output-is-input", model: model(sample: image, nodes: [node("Relu", ["x"], "r")], output: "x"),
             fragments: ["graph output 'x' is the graph input"]),
        Case(name: "softmax-writes-its-input", model: model(sample: image, nodes: [node("Relu", ["x"], "y"), node("Softmax", ["y"], "y")]),
             fragments: ["node 'y' (Softmax)", "'y' is already defined"]),
        Case(name: "input-transpose-writes-the-input", model: model(sample: [8, 8, 3], nodes: [
            node("Transpose", ["x"], "x", [ints("perm", [0, 3, 1, 2])]), node("Relu", ["x"], "y")]),
             fragments: ["node 'x' (Transpose)", "'x' is already defined"]),
        Case(name: "external-offset-int64-max", model: external(count: 2, location: "weights.bin", offset: String(Int64.max)),
             fragments: ["weights.bin", "too short", "initializer 'W'"]),
        Case(name: "external-2gib-sparse", model: external(count: 1 << 29, location: "sparse.bin"),
             fragments: ["parameters need 2 GiB", "limit of 1 GiB"]),
        Case(name: "external-fifo", model: external(count: 0, location: "fifo"),
             fragments: ["fifo", "not a regular file"]),
        Case(name: "conv-65536-filters", model: model(sample: [3, 32, 32], nodes: [node("Conv", ["x", "W"], "y")],
                                                       initializers: [ONNXBuilder.tensor("W", dims: [65536, 3, 1, 1], floats: Array(repeating: 0.5, count: 65536 * 3))]),
             fragments: ["one sample needs 1.3 GiB of working memory", "limit of 1 GiB"]),
        Case(name: "escaped-node-name", model: model(sample: image, nodes: [ONNXBuilder.node("Einsum", ["x"], "y", name: "evil\n\u{1B}[2Jname")]),
             fragments: ["node 'evil\\n\\u{1B}[2Jname'", "'Einsum'"]),
    ]

    /// Saves a case with the files it refers to: an empty `weights.bin`, a 2 GiB sparse `sparse.bin` and a FIFO.
    static func save(_ hostile: Case, in folder: TemporaryFolder) throws -> URL {
        _ = try folder.write(Data(count: 8), to: "weights.bin")
        let sparse = try FileHandle(forWritingTo: try folder.write(Data(), to: "sparse.bin"))
        try sparse.truncate(atOffset: 1 << 31)
        try sparse.close()
        if !FileManager.default.fileExists(atPath: folder.file("fifo").path) { mkfifo(folder.file("fifo").path, 0o600) }
        return try ONNXBuilder.save(hostile.model, in: folder)
    }
}

@Suite struct ONNXHostileInputTests {
    @Test(arguments: HostileModels.cases)
    func refusedWithAMessageNamingFileAndProblem(_ hostile: HostileModels.Case) throws {
        let folder = try TemporaryFolder()
        let url = try HostileModels.save(hostile, in: folder)
        let started = Date()
        do {
            _ = try ONNXModel.load(url)
            Issue.record("\(hostile.name) loaded")
        } catch let error as LRPError {
            #expect(error.message.hasPrefix(url.path), "\(error.message)")
            #expect(!error.message.contains("\n"))
            for fragment in hostile.fragments { #expect(error.message.contains(fragment), "“\(error.message)” lacks “\(fragment)”") }
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func aLargerLimitAdmitsWhatTheStandardOneRefuses() throws {
        let folder = try TemporaryFolder()
        let conv = HostileModels.cases.first { $0.name == "conv-65536-filters" }!
        let model = try ONNXModel.load(try HostileModels.save(conv, in: folder), memoryLimit: MemoryLimit(spec: "2G")).model
        #expect(model.outputShape == [1, 65536, 32, 32])
        #expect(MemoryLimit.bytesPerSample(of: model) == 4 * (3 * 1024 + 5 * 65536 * 1024))
        #expect(try Explainer(model: model, composite: Composite(spec: "*=zero"), memoryLimit: MemoryLimit(spec: "2G")).samplesAtOnce == 1)
    }

    @Test func duplicateNodeNamesAreMadeUnique() throws {
        let folder = try TemporaryFolder()
        var first = HostileModels.node("Relu", ["x"], "a"), second = HostileModels.node("Relu", ["a"], "y")
        (first.name, second.name) = ("act", "act")
        let model = try ONNXModel.load(try ONNXBuilder.save(HostileModels.model(sample: HostileModels.image, nodes: [first, second]), in: folder)).model
        #expect(model.nodes.map(\.name) == ["act", "act → y"])
        _ = try Explainer(model: model, composite: Composite(spec: "*=zero"))   // its rule table is keyed by name
    }
}
