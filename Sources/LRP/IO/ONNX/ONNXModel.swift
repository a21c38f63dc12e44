import Foundation
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

    /// Reads and converts an ONNX file. External data files must lie in the model's folder.
    /// - Throws: `LRPError` naming the file and, where it applies, the node: unreadable or malformed
    ///   protobuf, an unsupported operator, a tensor whose data does not match its dimensions, an external
    ///   data location outside the model's folder or a missing or short data file, a node input that nothing
    ///   produces.
    public static func load(_ url: URL) throws -> ONNXModel {
        let data = try FileAccess.read(url)
        guard !data.isEmpty else { throw LRPError(.input, "\(url.path): the file is empty") }
        let proto: Onnx_ModelProto
        do {
            proto = try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw LRPError(.input, "\(url.path): not an ONNX model (the protobuf does not decode)")
        }
        let decoder = ONNXTensorDecoder(modelFolder: url.deletingLastPathComponent(), source: url.path)
        return try ONNXGraphImporter(proto: proto, decoder: decoder, source: url.path).run()
    }
}
