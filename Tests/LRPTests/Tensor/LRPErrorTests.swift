import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct LRPErrorTests {
    @Test func localizedDescriptionIsTheMessage() {
        for kind in [LRPError.Kind.shape, .parameter, .input, .unsupported, .numerical, .memoryLimit, .output] {
            let error: any Error = LRPError(kind, "node 'conv1': weight of shape [3] given")
            #expect(error.localizedDescription == "node 'conv1': weight of shape [3] given")
        }
        do { _ = try Tensor(shape: [2, 3], scalars: [1, 2]) } catch {
            #expect(error.localizedDescription == "tensor: shape [2, 3] needs 6 scalars, got 2")
        }
    }

    /// The library names parameters and values; the command line adds its flags (`--max-memory`, `--shard`).
    @Test func noLibraryMessageNamesACommandLineFlag() throws {
        let sources = Fixtures.folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let library = ["LRP", "LRPCore", "LRPData", "LRPONNX", "LRPVisualization", "LRPEvaluation"].map { sources.appendingPathComponent($0) }
        let files = library.flatMap { folder in
            FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        }
        #expect(files.count > 50)
        var offending: [String] = []
        for file in files {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") where line.contains("LRPError(") {
                if line.range(of: #""[^"]*--[a-z]"#, options: .regularExpression) != nil || line.contains("lrp info") {
                    offending.append("\(file.lastPathComponent): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(offending.isEmpty, "\(offending)")
    }
}
