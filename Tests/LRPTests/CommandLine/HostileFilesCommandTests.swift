import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

/// Issue 13's "done when", checked on the command line: every reproducer ends with exit status 1 or 2 and a
/// one-line message, in under 20 s within a 4 GiB address space, and leaves nothing beside the output.
@Suite struct HostileFilesCommandTests {
    /// Runs `lrp` under `ulimit -v` 4 GiB, returning the result and the seconds it took.
    static func runLimited(_ arguments: [String]) throws -> (CommandResult, Double) {
        let quoted = ([LRPExecutable.url.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let started = Date()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v 4194304; exec " + quoted.joined(separator: " ")]
        let output = Pipe(), error = Pipe()
        (process.standardOutput, process.standardError) = (output, error)
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let result = CommandResult(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                                   error: String(decoding: errorData, as: UTF8.self))
        return (result, Date().timeIntervalSince(started))
    }

    static func expectOneLineError(_ result: CommandResult, seconds: Double, _ fragments: [String], status: Int32 = 1,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "\(result.error)", sourceLocation: sourceLocation)
        #expect(result.error.hasPrefix("lrp: error: ") && result.error.filter { $0 == "\n" }.count == 1, "\(result.error)", sourceLocation: sourceLocation)
        for fragment in fragments { #expect(result.error.contains(fragment), "“\(result.error)” lacks “\(fragment)”", sourceLocation: sourceLocation) }
        #expect(seconds < 20, sourceLocation: sourceLocation)
    }

    static func entries(_ folder: TemporaryFolder) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
    }

    @Test(arguments: HostileModels.cases)
    func explainRefusesEachReproducerAndWritesNothing(_ hostile: HostileModels.Case) throws {
        let folder = try TemporaryFolder()
        let model = try HostileModels.save(hostile, in: folder)
        let before = try Self.entries(folder)
        let (result, seconds) = try Self.runLimited(["explain", "--model", model.path, "--input", Demo.photos.path, "--rule", "zero",
                                                     "--output", folder.file("out.npy").path, "--heatmaps", folder.file("maps").path])
        Self.expectOneLineError(result, seconds: seconds, [model.path] + hostile.fragments)
        #expect(try Self.entries(folder) == before)
    }

    @Test func aModelThatIsAFIFOIsRefusedAtOnce() throws {
        let folder = try TemporaryFolder()
        mkfifo(folder.file("model.onnx").path, 0o600)
        let (result, seconds) = try Self.runLimited(["info", folder.file("model.onnx").path])
        Self.expectOneLineError(result, seconds: seconds, ["model.onnx: is not a regular file"])
    }

    @Test func anImageOfAnotherSizeIsRefusedFromItsHeader() throws {
        // the demo's first photograph with IHDR claiming 8192×8192: its pixels would not decode, so the
        // message shows that the header alone decided
        let folder = try TemporaryFolder()
        let photo = try FileManager.default.contentsOfDirectory(atPath: Demo.photos.path).sorted().first { $0.hasSuffix(".png") }!
        var png = try Data(contentsOf: Demo.photos.appendingPathComponent(photo))
        png.replaceSubrange(16 ..< 24, with: [0, 0, 0x20, 0, 0, 0, 0x20, 0])
        let crc = UInt32(PNG.checksum(png[12 ..< 29]))
        png.replaceSubrange(29 ..< 33, with: withUnsafeBytes(of: crc.bigEndian, Array.init))
        let image = try folder.write(png, to: "huge.png")
        let (result, seconds) = try Self.runLimited(["predict", "--model", Demo.model.path, "--input", image.path])
        Self.expectOneLineError(result, seconds: seconds, ["huge.png: an image of 8192×8192 does not fit the model's input [3, 32, 32]"])
        #expect(seconds < 2)
    }

    @Test func labelsOutsideTheClassesNameTheLabelsFile() throws {
        let folder = try TemporaryFolder()
        let labels = folder.file("labels.npy")
        try NPY.write(Tensor(shape: [4], scalars: [0, 1, 12, 3]), to: labels)
        let (result, seconds) = try Self.runLimited(["explain", "--model", Demo.model.path, "--input", Demo.photos.path, "--rule", "zero",
                                                     "--target", "labels", "--labels", labels.path])
        Self.expectOneLineError(result, seconds: seconds, ["labels.npy: label 12 of", "has 10"])
    }

    @Test func nonFiniteRelevanceNamesTheInputFile() throws {
        // finite weights and inputs whose logits overflow to ∞: relevance ∞/∞ at the dense layer
        let folder = try TemporaryFolder()
        var gemm = HostileModels.node("Gemm", ["f", "W"], "y", [HostileModels.int("transB", 1)])
        gemm.name = "fc"
        let model = try ONNXBuilder.save(HostileModels.model(sample: [1, 1, 2], nodes: [HostileModels.node("Flatten", ["x"], "f"), gemm],
                                                             initializers: [ONNXBuilder.tensor("W", dims: [2, 2], floats: [3e38, 3e38, 1, 1])]), in: folder)
        let input = folder.file("large.npy")
        try NPY.write(Tensor(shape: [1, 1, 1, 2], scalars: [3e38, 3e38]), to: input)
        let (result, seconds) = try Self.runLimited(["explain", "--model", model.path, "--input", input.path, "--rule", "epsilon:0.1",
                                                     "--output", folder.file("out.npy").path])
        Self.expectOneLineError(result, seconds: seconds, ["large.npy (inputs 0..<1)", "node 'fc'", "non-finite relevance"])
        #expect(try Self.entries(folder) == ["large.npy", "model.onnx"])
    }

    @Test func aBadMemoryLimitIsAUsageError() throws {
        let (result, seconds) = try Self.runLimited(["info", Demo.model.path, "--max-memory", "lots"])
        #expect(result.status == 2 && result.error.contains("--max-memory") && result.error.contains("'lots'"), "\(result.error)")
        #expect(seconds < 20)
    }

    /// 4096 uint8 images of the demo's size: enough that `explain` is still writing when it is interrupted.
    static func manyImages(in folder: TemporaryFolder) throws -> URL {
        let count = 4096
        let images = try Tensor(shape: [count, 3, 32, 32], scalars: (0 ..< count * 3072).map { Float($0 % 251) })
        return try folder.write(try NPY.encode(images, as: .uint8), to: "images.npy")
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func anInterruptedExplainLeavesNothingBehind(_ signal: Int32) throws {
        let folder = try TemporaryFolder()
        let images = try Self.manyImages(in: folder)
        let process = Process()
        process.executableURL = LRPExecutable.url
        process.arguments = ["explain", "--model", Demo.model.path, "--input", images.path, "--rule", "epsilon:0.25", "--quiet",
                             "--output", folder.file("out.npy").path, "--heatmaps", folder.file("maps").path]
        (process.standardOutput, process.standardError) = (FileHandle.nullDevice, FileHandle.nullDevice)
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while try !Self.entries(folder).contains(where: { $0.hasSuffix(".partial") }) && process.isRunning && Date() < deadline {
            usleep(10_000)
        }
        #expect(process.isRunning, "explain ended before it could be interrupted")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 128 + signal)
        #expect(try Self.entries(folder) == ["images.npy"])
    }

    @Test func temporaryFilesOfAProcessThatIsGoneAreRemovedByTheNextRun() throws {
        let folder = try TemporaryFolder()
        // a pid above Linux's largest (2^22) belongs to no process
        _ = try folder.write(Data(count: 10), to: ".out.npy.99999999.\(UUID().uuidString).partial")
        try FileManager.default.createDirectory(at: folder.file(".maps.99999999.\(UUID().uuidString).partial"), withIntermediateDirectories: false)
        let (result, _) = try Self.runLimited(["explain", "--model", Demo.model.path, "--input", Demo.photos.path, "--rule", "zero",
                                               "--output", folder.file("out.npy").path, "--heatmaps", folder.file("maps").path])
        #expect(result.status == 0, "\(result.error)")
        #expect(try Self.entries(folder) == ["maps", "out.npy"])
    }
}
