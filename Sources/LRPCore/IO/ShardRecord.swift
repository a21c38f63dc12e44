import Foundation

/// What the output of a sharded run says about itself: shard `index/count` of a dataset of `inputs` inputs.
/// `lrp merge` reads it to put the parts in shard order and to name a shard that is missing or given twice.
/// Evaluation reports and SpRAy heatmap stages carry it in their JSON; `lrp explain --shard K/N --output r.npy`
/// writes it beside the relevance, as `r.npy.shard.json`.
///
/// ```swift
/// let record = ShardRecord(try Shard(spec: "2/4"), of: 400)
/// try record.write(beside: URL(fileURLWithPath: "relevance-2.npy"))
/// let order = try ShardRecord.order([("b.npy", second), ("a.npy", first)])   // [1, 0]
/// ```
public struct ShardRecord: Codable, Sendable, Hashable, CustomStringConvertible {
    /// 1-based.
    public let index: Int
    public let count: Int
    /// The inputs of the whole dataset.
    public let inputs: Int

    public init(_ shard: Shard, of inputs: Int) {
        (index, count, self.inputs) = (shard.index, shard.count, inputs)
    }

    /// The inputs of this shard (for a record that ``order(_:)`` accepted).
    public var range: Range<Int> { Shard(validIndex: index, count: count).range(of: inputs) }

    public var description: String { "\(index)/\(count)" }

    /// Where the record of a file written by a sharded run lies: beside it, `NAME.shard.json`.
    public static func sidecar(of url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".shard.json")
    }

    /// Writes the record beside `url` (see ``sidecar(of:)``), atomically.
    public func write(beside url: URL) throws {
        try FileAccess.writeAtomically(try JSONEncoder().encode(self), to: Self.sidecar(of: url))
    }

    /// Removes the record beside `url`, if any, so that it cannot describe a file that replaces `url`.
    public static func remove(beside url: URL) {
        try? FileManager.default.removeItem(at: sidecar(of: url))
    }

    /// Reads the record beside `url`; `nil` when there is none.
    /// - Throws: `LRPError` (`.input`) naming the record when it is not one.
    public static func read(beside url: URL) throws -> ShardRecord? {
        let sidecar = sidecar(of: url)
        guard FileManager.default.fileExists(atPath: sidecar.path) else { return nil }
        do {
            return try JSONDecoder().decode(ShardRecord.self, from: try FileAccess.read(sidecar))
        } catch let error as LRPError {
            throw error
        } catch {
            throw LRPError(.input, "\(sidecar.path): not an lrp shard record (\(error.localizedDescription))")
        }
    }

    /// Puts the parts of one split in shard order, checking that they are the whole split, each shard once.
    /// - Parameter parts: each part's path (for messages) and record, in the order given.
    /// - Returns: the positions of `parts` in shard order 1…N.
    /// - Throws: `LRPError` (`.input`) naming the part whose record is not a shard, parts of different splits,
    ///   a shard given twice, or the shards that are missing.
    public static func order(_ parts: [(path: String, record: ShardRecord)]) throws -> [Int] {
        guard let first = parts.first else { throw LRPError(.input, "merge: no parts to merge") }
        for part in parts {
            let record = part.record
            guard record.count >= 1, (1...record.count).contains(record.index), record.inputs >= 0 else {
                throw LRPError(.input, "\(part.path): shard \(record) of \(record.inputs) inputs is not a shard (1 ≤ K ≤ N, inputs ≥ 0)")
            }
            guard (record.count, record.inputs) == (first.record.count, first.record.inputs) else {
                throw LRPError(.input, "\(part.path) is shard \(record) of \(record.inputs) inputs, but \(first.path) is shard \(first.record) of \(first.record.inputs): the parts come from different splits")
            }
        }
        var positions = [Int?](repeating: nil, count: first.record.count)
        for (position, part) in parts.enumerated() {
            if let earlier = positions[part.record.index - 1] {
                throw LRPError(.input, "merge: shard \(part.record) is given twice: \(parts[earlier].path) and \(part.path)")
            }
            positions[part.record.index - 1] = position
        }
        let missing = positions.indices.filter { positions[$0] == nil }.map { "\($0 + 1)/\(first.record.count)" }
        guard missing.isEmpty else {
            throw LRPError(.input, "merge: shard\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) of \(first.record.inputs) inputs \(missing.count == 1 ? "is" : "are") missing; give every shard's output once")
        }
        return positions.compactMap { $0 }
    }
}
