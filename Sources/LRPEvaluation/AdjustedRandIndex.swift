import LRPCore
import LRPData
import LRPVisualization

/// The adjusted Rand index (Hubert and Arabie 1985) of two partitions of the same items: 1 when they agree
/// (up to the clusters' names), about 0 for a random assignment. SpRAy reports it against known groups.
///
/// ```swift
/// adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])   // 1
/// ```
public func adjustedRandIndex(_ a: [Int], _ b: [Int]) -> Double {
    guard a.count == b.count, a.count > 1 else { return 0 }
    func pairs(_ n: Int) -> Double { Double(n * (n - 1)) / 2 }
    var table: [[Int]: Int] = [:]
    for (x, y) in zip(a, b) { table[[x, y], default: 0] += 1 }
    let rows = Dictionary(zip(a, a).map { ($0.0, 1) }, uniquingKeysWith: +)
    let columns = Dictionary(zip(b, b).map { ($0.0, 1) }, uniquingKeysWith: +)
    let index = table.values.reduce(0) { $0 + pairs($1) }
    let (rowPairs, columnPairs) = (rows.values.reduce(0) { $0 + pairs($1) }, columns.values.reduce(0) { $0 + pairs($1) })
    let expected = rowPairs * columnPairs / pairs(a.count)
    let maximum = (rowPairs + columnPairs) / 2
    return maximum == expected ? (index == expected ? 1 : 0) : (index - expected) / (maximum - expected)
}
