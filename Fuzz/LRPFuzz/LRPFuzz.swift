import Foundation
@testable import LRP

// libFuzzer entry point for SwiftLRP's readers of untrusted input (built in debug, so `@testable` reaches the
// library's `FuzzTarget`, which the tests replaying findings share). One binary serves every target; the
// environment variable LRP_FUZZ_TARGET picks it (`make fuzz` sets it): onnx, npy, png, cifar or spec.

/// The target chosen for this process.
private let target = FuzzTarget(rawValue: ProcessInfo.processInfo.environment["LRP_FUZZ_TARGET"] ?? "")

/// Where ONNX bytes are written for `ONNXModel.load`, one file per process.
private let modelFile = URL(fileURLWithPath: NSTemporaryDirectory())
    .appendingPathComponent("lrp-fuzz-\(getpid())").appendingPathComponent("model.onnx")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let target else {
        FileHandle.standardError.write(Data("LRP_FUZZ_TARGET must be onnx, npy, png, cifar or spec\n".utf8))
        exit(2)
    }
    try? FileManager.default.createDirectory(at: modelFile.deletingLastPathComponent(), withIntermediateDirectories: true)
    try? target.run(Data(bytes: bytes, count: count), modelFile: modelFile)
    return 0
}
