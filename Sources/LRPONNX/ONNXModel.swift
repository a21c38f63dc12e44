import Foundation
import LRPCore
import SwiftProtobuf

/// A model imported from an ONNX file, with what the import learned about it.
///
/// ```swift
/// let imported = try ONNXModel.load(URL(fileURLWithPath: "model.onnx"))
/// let logits = try imported.model.forward(images)     // [N, classes]
/// print(imported.producer, imported.opsetVersion)     // "pytorch 2.15.0" 17
/// ```
public struct ONNXModel: Sendable {
    /// The network as the engine's graph.
    public let model: Model
    /// The exporting tool and its version, as the file states.
    public let producer: String
    /// The default-domain operator set version.
    public let opsetVersion: Int
    /// Notes on rewrites made during import (an input `Transpose` absorbed, a trailing `Softmax` dropped).
    public let notes: [String]

    /// The most floating-point operations one sample may take (2⁴⁰, about 1.1 TFLOP; ImageNet CNNs take
    /// 1–40 GFLOP): a larger count comes from a mistaken or hostile file, such as a window of 2³¹ positions.
    public static let maximumFLOPsPerSample = 1 << 40

    /// Reads and converts an ONNX file. External data files must lie in the model's folder and be regular
    /// files. The parameters, and the working memory of one sample, must fit `memoryLimit`; both are checked
    /// from the declared shapes before anything of that size is read or allocated.
    /// - Throws: `LRPError` naming the file and, where it applies, the node: unreadable or malformed
    ///   protobuf, an unsupported operator, a tensor whose data does not match its dimensions, an external
    ///   data location outside the model's folder, a missing, short or non-regular data file, a node input
    ///   that nothing produces, a value defined twice, a shape too large to hold, or a model that needs more
    ///   memory than `memoryLimit` or more than ``maximumFLOPsPerSample`` per sample.
    public static func load(_ url: URL, memoryLimit: MemoryLimit = .standard) throws -> ONNXModel {
        let proto = try decode(url)
        let decoder = ONNXTensorDecoder(modelFolder: url.deletingLastPathComponent(), source: url.path)
        return try ONNXGraphImporter(proto: proto, decoder: decoder, source: url.path, memoryLimit: memoryLimit).run()
    }

    /// The file's protobuf message. The file's bytes are released on return, before the conversion makes the
    /// tensors: the message holds its own copy of the weights.
    private static func decode(_ url: URL) throws -> Onnx_ModelProto {
        let data = try FileAccess.read(url)
        guard !data.isEmpty else { throw LRPError(.input, "\(url.path): the file is empty") }
        do {
            return try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw LRPError(.input, "\(url.path): not an ONNX model (the protobuf does not decode)")
        }
    }
}
