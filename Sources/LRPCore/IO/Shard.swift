/// One of `N` equal, contiguous parts of a dataset, for splitting work across machines: shard `K/N` (K from
/// 1 to N) takes the inputs `⌊(K−1)·n/N⌋ ..< ⌊K·n/N⌋`, so the shards' outputs, concatenated in order K = 1…N,
/// are the output of one run over everything.
///
/// ```swift
/// let shard = try Shard(spec: "2/4")
/// shard.range(of: 10)      // 2..<5
/// ```
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// 1-based.
    public let index: Int
    public let count: Int

    /// The whole dataset.
    public static let all = Shard(validIndex: 1, count: 1)

    init(validIndex index: Int, count: Int) { (self.index, self.count) = (index, count) }

    /// Parses `K/N` with `1 ≤ K ≤ N`.
    /// - Throws: `LRPError` (`.parameter`) quoting the specification.
    public init(spec: String) throws {
        let parts = spec.split(separator: "/", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let index = parts[0], let count = parts[1], count >= 1, (1...count).contains(index) else {
            throw LRPError(.parameter, "shard '\(spec)': expected K/N with 1 ≤ K ≤ N (e.g. 1/4 … 4/4)")
        }
        (self.index, self.count) = (index, count)
    }

    /// The inputs of this shard out of `total`.
    public func range(of total: Int) -> Range<Int> {
        (index - 1) * total / count ..< index * total / count
    }

    public var description: String { "\(index)/\(count)" }
}
