import Foundation
import Testing
@testable import LRP

/// Every input with which `make fuzz` (Fuzz/LRPFuzz) found a trap, hang or runaway memory is committed in
/// Fixtures/fuzz as `TARGET-what-it-showed.ext` and replayed here the way the fuzz target feeds it: the
/// reader must return or throw an `LRPError`.
@Suite struct FuzzFindingsTests {
    static let findings: [String] = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.url("fuzz").path).sorted()) ?? []

    /// Feeds `data` to the reader of `target`, as Fuzz/LRPFuzz/LRPFuzz.swift does.
    static func replay(_ data: Data, target: String) throws {
        switch target {
        case "onnx":
            let folder = try TemporaryFolder()
            let model = try ONNXModel.load(try folder.write(data, to: "model.onnx"), memoryLimit: try MemoryLimit(spec: "64M")).model
            _ = try model.forward(try Tensor(shape: [1] + model.sampleShape, repeating: 0.5))
        case "npy": _ = try NPY.decode(data, source: "finding.npy")
        case "png": _ = try PNG.decode(withChunkChecksumsFixed(data), source: "finding.png").rgbTensor()
        case "cifar": _ = try CIFAR10.decode(data, source: "finding.bin")
        case "spec":
            let text = String(decoding: data, as: UTF8.self)
            _ = try? Rule(spec: text)
            _ = try? Composite(spec: text)
            _ = try? AttributionMethod(spec: text)
            _ = try? MemoryLimit(spec: text)
            _ = try? Shard(spec: text)
            _ = try? RegionPerturbation.Replacement(spec: text)
        default: Issue.record("finding of an unknown target '\(target)'")
        }
    }

    /// The fuzz target recomputes every PNG chunk's CRC before decoding, so that mutations get past the check.
    static func withChunkChecksumsFixed(_ data: Data) -> Data {
        var bytes = data
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = bytes[offset ..< offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let end = offset + 8 + length
            guard length <= bytes.count, end + 4 <= bytes.count else { break }
            let crc = UInt32(PNG.checksum(bytes[offset + 4 ..< end]))
            bytes.replaceSubrange(end ..< end + 4, with: withUnsafeBytes(of: crc.bigEndian, Array.init))
            offset = end + 4
        }
        return bytes
    }

    @Test(arguments: findings)
    func replaysWithoutATrap(_ name: String) throws {
        let data = try Data(contentsOf: Fixtures.url("fuzz/\(name)"))
        let started = Date()
        do { try Self.replay(data, target: String(name.prefix { $0 != "-" })) } catch is LRPError {}
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func hugeWholeNumbersInSpecificationsAreRefusedOrKept() throws {
        // spec-box-bound-beyond-int: describing a box bound of 2.5e38 converted it to Int
        #expect(try Rule(spec: "box:0,2.5e38").description == "box:0,2.5e+38")
        expectLRPError("samples from 1 to 10⁶") { _ = try AttributionMethod(spec: "smoothgrad:0.1,1e30") }
        expectLRPError("steps from 1 to 10⁶") { _ = try AttributionMethod(spec: "integrated-gradients:inf") }
    }
}
