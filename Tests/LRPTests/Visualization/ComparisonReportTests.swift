import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct ComparisonReportTests {
    func report() throws -> ComparisonReport {
        var report = ComparisonReport(title: "A <test>", methods: ["zero", "gamma:0.25"])
        let tile = try Image8(width: 4, height: 4, channels: 3, pixels: [UInt8](repeating: 9, count: 48))
        report.rows = [.init(name: "cat.png", input: tile, label: "cat (3), score 9.7", heatmaps: [tile, tile], sums: [1.5, 2.25])]
        return report
    }

    @Test func gridAndSelfContainedPage() throws {
        let report = try report()
        let grid = try report.gridImage()
        #expect(grid.width == 3 * 4 + 4 * 4 && grid.height == 4 + 2 * 4)
        #expect(grid.pixels[0] == 255 && grid.pixels[(4 * grid.width + 4) * 3] == 9)
        let html = try report.html()
        #expect(html.contains("<th>zero</th><th>gamma:0.25</th>") && html.contains("A &lt;test&gt;"))
        #expect(html.components(separatedBy: "data:image/png;base64,").count == 4)   // the input and two heatmaps
        #expect(html.contains("ΣR = 2.25") && html.contains("cat (3), score 9.7"))
        #expect(!html.contains("http") && !html.contains("<script"))
    }

    @Test func writesBothFilesOrNeither() throws {
        let folder = try TemporaryFolder()
        try report().write(to: folder.file("new/report"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("new/report").path).sorted() == ["grid.png", "report.html"])
        _ = try folder.write(Data("x".utf8), to: "file")
        expectLRPError("file/out", "cannot be created") { try report().write(to: folder.file("file/out")) }
        expectLRPError("not a folder") { try report().write(to: folder.file("file")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() == ["file", "new"])
    }
}
