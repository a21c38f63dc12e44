import Foundation
import LRPCore
import LRPData

/// A self-contained HTML page under construction: every image embedded as a `data:` URI, no scripts, no
/// external resources. The reports (comparison, evaluation, SpRAy) are built with it.
package struct HTMLPage {
    let title: String
    private var body = ""

    package init(title: String) {
        self.title = title
        body = "<h1>\(HTMLPage.escape(title))</h1>\n"
    }

    package mutating func heading(_ text: String) { body += "<h2>\(HTMLPage.escape(text))</h2>\n" }

    package mutating func paragraph(_ text: String) { body += "<p>\(HTMLPage.escape(text))</p>\n" }

    package mutating func figure(_ image: Image8, caption: String) throws {
        body += "<figure>\(try HTMLPage.embedded(image, alt: caption))<figcaption>\(HTMLPage.escape(caption))</figcaption></figure>\n"
    }

    /// A table of text cells (escaped); `swatches` puts a color square before the first cell of each row.
    package mutating func table(header: [String], rows: [[String]], swatches: [Canvas.Color]? = nil) {
        body += "<table>\n<tr>" + header.map { "<th>\(HTMLPage.escape($0))</th>" }.joined() + "</tr>\n"
        for (index, row) in rows.enumerated() {
            body += "<tr>" + row.enumerated().map { column, cell in
                let swatch = column == 0 ? swatches.map { HTMLPage.swatch($0[index % $0.count]) } ?? "" : ""
                return "<td>\(swatch)\(HTMLPage.escape(cell))</td>"
            }.joined() + "</tr>\n"
        }
        body += "</table>\n"
    }

    /// Markup the caller has built (with ``escape(_:)`` and ``embedded(_:alt:)``).
    package mutating func raw(_ html: String) { body += html }

    package var html: String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(HTMLPage.escape(title))</title>
        <style>
        body { font-family: sans-serif; margin: 1.5em; color: #222; }
        table { border-collapse: collapse; margin-bottom: 1em; }
        th, td { padding: 6px; text-align: center; vertical-align: top; font-size: 13px; border-bottom: 1px solid #e4e4e4; }
        th { background: #f0f0f0; }
        td.label { text-align: left; }
        img { image-rendering: pixelated; display: block; margin: 0 auto 4px auto; }
        figure { display: inline-block; margin: 0 1em 1em 0; }
        figcaption { font-size: 13px; color: #444; max-width: 480px; }
        .sum { color: #555; font-family: monospace; }
        td.examples { white-space: nowrap; }
        td.examples img { display: inline-block; margin: 0 2px 2px 0; }
        .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: middle; }
        </style></head><body>
        \(body)</body></html>

        """
    }

    package static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    package static func embedded(_ image: Image8, alt: String) throws -> String {
        "<img alt=\"\(escape(alt))\" src=\"data:image/png;base64,\(try PNG.encode(image).base64EncodedString())\">"
    }

    package static func swatch(_ color: Canvas.Color) -> String {
        "<span class=\"swatch\" style=\"background: rgb(\(color.red), \(color.green), \(color.blue))\"></span>"
    }
}
