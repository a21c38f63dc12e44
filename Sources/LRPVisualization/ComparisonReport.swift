import Foundation
import LRPCore
import LRPData

/// The slides' comparison picture: one row per input, the input first, then one heatmap per method; as a
/// PNG grid and as a self-contained HTML page with titles, the predicted class and score per row, and the
/// relevance sum under each heatmap.
///
/// ```swift
/// var report = ComparisonReport(title: "LRP methods", methods: ["zero", "gamma:0.25"])
/// report.rows.append(.init(name: "cat.png", input: catImage, label: "cat (3) 9.74", heatmaps: [h0, h1], sums: [4.2, 5.0]))
/// try report.write(to: URL(fileURLWithPath: "out"))     // out/grid.png, out/report.html
/// ```
public struct ComparisonReport: Sendable {
    public struct Row: Sendable {
        public let name: String
        /// The input as shown (enlarged to the heatmaps' size).
        public let input: Image8
        /// The predicted class and score, in words.
        public let label: String
        public let heatmaps: [Image8]
        /// Σ relevance of each heatmap.
        public let sums: [Double]

        public init(name: String, input: Image8, label: String, heatmaps: [Image8], sums: [Double]) {
            (self.name, self.input, self.label, self.heatmaps, self.sums) = (name, input, label, heatmaps, sums)
        }
    }

    public let title: String
    public let methods: [String]
    public var rows: [Row] = []
    /// Extra lines for the page (model, color map, rules per layer).
    public var notes: [String] = []
    /// White space between tiles in the grid, in pixels.
    public var spacing = 4

    public init(title: String, methods: [String]) {
        (self.title, self.methods) = (title, methods)
    }

    /// The grid: rows of `input, heatmap 1, …` tiles on white.
    public func gridImage() throws -> Image8 {
        guard let first = rows.first?.input else { throw LRPError(.shape, "report: no rows") }
        let (tileWidth, tileHeight) = (first.width, first.height)
        let columns = methods.count + 1
        let width = columns * tileWidth + (columns + 1) * spacing
        let height = rows.count * tileHeight + (rows.count + 1) * spacing
        guard width * height <= PNG.maximumPixels else {
            throw LRPError(.parameter, "report: a grid of \(rows.count)×\(columns) tiles of \(tileWidth)×\(tileHeight) is too large; use fewer inputs or a smaller zoom")
        }
        var pixels = [UInt8](repeating: 255, count: width * height * 3)
        for (rowIndex, row) in rows.enumerated() {
            for (columnIndex, tile) in ([row.input] + row.heatmaps).enumerated() {
                guard tile.width == tileWidth, tile.height == tileHeight, tile.channels == 3 else {
                    throw LRPError(.shape, "report: tile \(rowIndex),\(columnIndex) is \(tile.width)×\(tile.height)×\(tile.channels), expected \(tileWidth)×\(tileHeight)×3")
                }
                let left = spacing + columnIndex * (tileWidth + spacing), top = spacing + rowIndex * (tileHeight + spacing)
                for y in 0..<tileHeight {
                    let target = ((top + y) * width + left) * 3
                    pixels.replaceSubrange(target ..< target + tileWidth * 3, with: tile.pixels[y * tileWidth * 3 ..< (y + 1) * tileWidth * 3])
                }
            }
        }
        return try Image8(width: width, height: height, channels: 3, pixels: pixels)
    }

    /// A self-contained page: every image embedded as a `data:` URI, no scripts, no external resources.
    public func html() throws -> String {
        var page = HTMLPage(title: title)
        for note in notes { page.paragraph(note) }
        page.raw("<table>\n<tr><th>input</th>" + methods.map { "<th>\(HTMLPage.escape($0))</th>" }.joined() + "</tr>\n")
        for row in rows {
            page.raw("<tr><td class=\"label\">\(try HTMLPage.embedded(row.input, alt: row.name))<b>\(HTMLPage.escape(row.name))</b><br>\(HTMLPage.escape(row.label))</td>")
            for (index, heatmap) in row.heatmaps.enumerated() {
                page.raw("<td>\(try HTMLPage.embedded(heatmap, alt: "\(row.name), \(methods[index])"))<span class=\"sum\">ΣR = \(String(format: "%.4g", row.sums[index]))</span></td>")
            }
            page.raw("</tr>\n")
        }
        page.raw("</table>\n")
        return page.html
    }

    /// Writes `grid.png` and `report.html` into `folder` (created if needed), both or neither.
    public func write(to folder: URL) throws {
        let staged = try StagedFolder(destination: folder)
        try staged.write(try PNG.encode(try gridImage()), named: "grid.png")
        try staged.write(Data(try html().utf8), named: "report.html")
        try staged.commit()
    }
}
