import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct CompareCommandTests {
    @Test func writesTheGridAndReportForTheDemo() throws {
        let folder = try TemporaryFolder()
        let result = try LRPExecutable.run(["compare", "--model", Demo.model.path, "--input", Demo.photos.path, "--method", "zero",
                                            "--method", "gamma:0.25", "--method", "gradient", "--report", folder.file("out").path, "--zoom", "4"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("cat (3)") && result.output.contains("report.html"))
        let grid = try PNG.read(folder.file("out/grid.png"))
        #expect(grid.width == 4 * 128 + 5 * 4 && grid.height == 4 * 128 + 5 * 4)
        let html = try String(contentsOf: folder.file("out/report.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "<img").count == 1 + 4 * 4)
    }

    /// `make run`'s comparison: the ResNet-20 on the CIFAR-10 images, whose labels.csv gives the true classes.
    @Test func theDemoReportShowsTrueLabelsAndPredictions() throws {
        let folder = try TemporaryFolder()
        let result = try LRPExecutable.run(["compare", "--model", Demo.resNet.path, "--input", Demo.images.path, "--method", "epsilon:0.25",
                                            "--report", folder.file("out").path, "--zoom", "2"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("true cat (3) · predicted cat (3)") && result.output.contains("true ship (8) · predicted ship (8)"))
        let html = try String(contentsOf: folder.file("out/report.html"), encoding: .utf8)
        #expect(html.contains("true horse (7) · predicted horse (7)"))
    }

    @Test func explainWritesOneHeatmapPerInput() throws {
        let folder = try TemporaryFolder()
        let result = try LRPExecutable.run(["explain", "--model", Demo.model.path, "--input", Demo.photos.path, "--rule", "gamma:0.25",
                                            "--heatmaps", folder.file("maps").path, "--zoom", "2", "--quiet"])
        #expect(result.status == 0, "\(result.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("maps").path).sorted()
                == ["astronaut.heatmap.png", "cat.heatmap.png", "coffee.heatmap.png", "rocket.heatmap.png"])
        #expect(try PNG.read(folder.file("maps/cat.heatmap.png")).width == 64)
    }

    @Test func badMethodsAndFoldersGiveClearErrorsAndNoReport() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write(Data("x".utf8), to: "plain-file")
        let base = ["compare", "--model", Demo.model.path, "--input", Demo.photos.path]
        let nine = (0..<9).flatMap { _ in ["--method", "zero"] }
        let cases: [([String], Int32, [String])] = [
            (nine + ["--report", folder.file("r").path], 2, ["9 methods", "at most 8"]),
            (["--method", "gamma:x", "--report", folder.file("r").path], 2, ["'x'"]),
            (["--report", folder.file("r").path], 2, ["--method"]),
            (["--method", "zero", "--report", folder.file("plain-file/r").path], 1, ["cannot be created"]),
            (["--method", "zero", "--colormap", "rainbow", "--report", folder.file("r").path], 2, ["rainbow"]),
        ]
        for (arguments, status, fragments) in cases {
            let result = try LRPExecutable.run(base + arguments)
            #expect(result.status == status, "\(arguments): \(result.error)")
            for fragment in fragments { #expect(result.error.contains(fragment), "\(arguments): \(result.error)") }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["plain-file"])
    }
}
