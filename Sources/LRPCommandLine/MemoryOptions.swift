import ArgumentParser
import Foundation
import LRP

/// `--max-memory`: what a model may ask for (parameters, and the working memory of the samples processed at once).
struct MemoryOptions: ParsableArguments {
    @Option(name: .customLong("max-memory"),
            help: "The memory a model may ask for, e.g. 512M or 4G (default: 1G): its parameters and the working memory of the inputs processed at once.",
            transform: MemoryLimit.init(spec:))
    var limit: MemoryLimit = .standard
}

/// Formats numbers for tables: `1.2 G`, `35.4 M`, `812 k`.
func abbreviated(_ value: Int) -> String {
    let number = Double(value)
    switch number {
    case 1e9...: return String(format: "%.2f G", number / 1e9)
    case 1e6...: return String(format: "%.2f M", number / 1e6)
    case 1e3...: return String(format: "%.1f k", number / 1e3)
    default: return String(value)
    }
}

/// Left-aligned columns separated by two spaces.
func table(_ rows: [[String]]) -> String {
    let widths = rows.reduce(into: [Int](repeating: 0, count: rows.first?.count ?? 0)) { widths, row in
        for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    return rows.map { row in
        row.enumerated().map { index, cell in
            index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}
