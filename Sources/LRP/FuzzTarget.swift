import Foundation
import LRPCore
import LRPData
import LRPONNX

/// The readers of untrusted input as the libFuzzer targets drive them (`Fuzz/LRPFuzz`, `make fuzz`), shared
/// with the tests that replay every committed finding (`FuzzFindingsTests`), so that both feed an input the
/// same way. Any input may be rejected with an `LRPError`; a trap, a sanitizer report, a hang or a leak is a
/// finding.
enum FuzzTarget: String, CaseIterable {
    /// bytes → `ONNXModel` → `Model`, then a forward pass of one sample if it loads
    case onnx
    /// `NPY.decode`
    case npy
    /// `PNG.decode` → `rgbTensor()`, with the chunk CRCs made right first so that mutations reach the decoder
    case png
    /// `CIFAR10.decode`
    case cifar
    /// the rule, composite, attribution-method, memory-limit, shard and perturbation specifications
    case spec

    /// Feeds `data` to the target's reader. ONNX bytes are written to `modelFile` first (`ONNXModel.load` reads
    /// a file, with external data beside it).
    func run(_ data: Data, modelFile: URL) throws {
        switch self {
        case .onnx:
            try data.write(to: modelFile)
            // a small limit keeps every accepted model's forward pass quick
            let model = try ONNXModel.load(modelFile, memoryLimit: try MemoryLimit(spec: "64M")).model
            _ = try model.forward(try Tensor(shape: [1] + model.sampleShape, repeating: 0.5))
        case .npy: _ = try NPY.decode(data, source: "fuzz.npy")
        case .png: _ = try PNG.decode(Self.withChunkChecksumsFixed(data), source: "fuzz.png").rgbTensor()
        case .cifar: _ = try CIFAR10.decode(data, source: "fuzz.bin")
        case .spec:
            let text = String(decoding: data, as: UTF8.self)
            _ = try? Rule(spec: text)
            _ = try? Composite(spec: text)
            _ = try? AttributionMethod(spec: text)
            _ = try? MemoryLimit(spec: text)
            _ = try? Shard(spec: text)
            _ = try? RegionPerturbation.Replacement(spec: text)
        }
    }

    /// The PNG bytes with every chunk's CRC recomputed, so that mutations get past the check.
    static func withChunkChecksumsFixed(_ data: Data) -> Data {
        var bytes = data
        var offset = bytes.startIndex + 8
        while offset + 12 <= bytes.endIndex {
            let length = bytes[offset ..< offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let end = offset + 8 + length
            guard length <= bytes.count, end + 4 <= bytes.endIndex else { break }
            let crc = UInt32(truncatingIfNeeded: PNG.checksum(bytes[offset + 4 ..< end]))
            bytes.replaceSubrange(end ..< end + 4, with: withUnsafeBytes(of: crc.bigEndian, Array.init))
            offset = end + 4
        }
        return bytes
    }
}
