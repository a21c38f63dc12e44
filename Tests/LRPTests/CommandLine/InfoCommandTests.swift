import Foundation
import Testing

@Suite struct InfoCommandTests {
    @Test func listsNodesAndWeightedLayerNumbers() throws {
        let result = try LRPExecutable.run(["info", Demo.model.path])
        #expect(result.status == 0)
        #expect(result.output.contains("9 weighted layers"))
        #expect(result.output.contains("opset 17"))
        let convRows = result.output.split(separator: "\n").filter { $0.contains("  Conv  ") }
        #expect(convRows.count == 6)
        #expect(convRows.first?.contains("3.11 M") == true)   // 2 · 64·30·30 · 27 FLOPs
    }

    @Test func badModelsExitWithStatusOneAndNameTheFile() throws {
        let folder = try TemporaryFolder()
        let broken = try folder.write(Data("not a model".utf8), to: "broken.onnx")
        let result = try LRPExecutable.run(["info", broken.path])
        #expect(result.status == 1)
        #expect(result.error.contains("broken.onnx"))
        let missing = try LRPExecutable.run(["info", folder.file("absent.onnx").path])
        #expect(missing.status == 1 && missing.error.contains("absent.onnx") && missing.error.contains("no such file"))
        let usage = try LRPExecutable.run(["info"])
        #expect(usage.status == 2)
    }
}
