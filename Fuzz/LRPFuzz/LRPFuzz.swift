import Foundation
import LRP

// libFuzzer entry point for SwiftLRP's readers of untrusted input. One binary serves every target; the
// environment variable LRP_FUZZ_TARGET picks it (`make fuzz` sets it):
//   onnx   bytes → ONNXModel → Model, then a forward pass of one sample if it loads
//   npy    NPY.decode        png   PNG.decode → rgbTensor (chunk CRCs made right first)        cifar   CIFAR10.decode
//   spec   the rule, composite, attribution-method, memory-limit, shard and perturbation specifications
// Any input may be rejected with an LRPError; a trap, a sanitizer report, a hang or a leak is a finding.

/// The target chosen for this process.
private let target = ProcessInfo.processInfo.environment["LRP_FUZZ_TARGET"] ?? ""

/// Where ONNX bytes are written for `ONNXModel.load`, one file per process.
private let modelFile = URL(fileURLWithPath: NSTemporaryDirectory())
    .appendingPathComponent("lrp-fuzz-\(getpid())").appendingPathComponent("model.onnx")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    switch target {
    case "onnx": fuzzONNX(data)
    case "npy": _ = try? NPY.decode(data, source: "fuzz.npy")
    case "png": _ = try? PNG.decode(withChunkChecksumsFixed(data), source: "fuzz.png").rgbTensor()
    case "cifar": _ = try? CIFAR10.decode(data, source: "fuzz.bin")
    case "spec": fuzzSpecifications(String(decoding: data, as: UTF8.self))
    default:
        FileHandle.standardError.write(Data("LRP_FUZZ_TARGET must be onnx, npy, png, cifar or spec\n".utf8))
        exit(2)
    }
    return 0
}

private func fuzzONNX(_ data: Data) {
    do {
        try FileManager.default.createDirectory(at: modelFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: modelFile)
        // a small limit keeps every accepted model's forward pass quick
        let model = try ONNXModel.load(modelFile, memoryLimit: try MemoryLimit(spec: "64M")).model
        _ = try model.forward(try Tensor(shape: [1] + model.sampleShape, repeating: 0.5))
    } catch {}
}

private func fuzzSpecifications(_ text: String) {
    _ = try? Rule(spec: text)
    _ = try? Composite(spec: text)
    _ = try? AttributionMethod(spec: text)
    _ = try? MemoryLimit(spec: text)
    _ = try? Shard(spec: text)
    _ = try? RegionPerturbation.Replacement(spec: text)
}

/// The PNG bytes with every chunk's CRC recomputed, so that mutations reach the decoder behind the check.
private func withChunkChecksumsFixed(_ data: Data) -> Data {
    var bytes = [UInt8](data)
    var offset = 8
    while offset + 12 <= bytes.count {
        let length = bytes[offset ..< offset + 4].reduce(0) { $0 << 8 | Int($1) }
        let end = offset + 8 + length
        guard length <= bytes.count, end + 4 <= bytes.count else { break }
        let crc = crc32(bytes[offset + 4 ..< end])
        for index in 0 ..< 4 { bytes[end + index] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * index)) }
        offset = end + 4
    }
    return Data(bytes)
}

/// CRC-32 as PNG uses it (polynomial 0xEDB88320).
private func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0 ..< 8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}
