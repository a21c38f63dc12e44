import ArgumentParser
import Foundation
import LRP

/// `--batch-size` and `--quiet`: how a command walks its inputs, a batch at a time with a progress bar.
struct BatchOptions: ParsableArguments {
    @Option(help: "How many inputs to process at once (memory grows with it).")
    var batchSize: Int = 64

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
    }

    /// Calls `body` with consecutive ranges of at most `batchSize` indices covering `range`, showing progress.
    func forEachBatch(in range: Range<Int>, label: String, _ body: (Range<Int>) throws -> Void) throws {
        let progress = ProgressBar(total: (range.count + batchSize - 1) / batchSize, label: label, quiet: quiet)
        for (step, start) in stride(from: range.lowerBound, to: range.upperBound, by: batchSize).enumerated() {
            try body(start ..< min(start + batchSize, range.upperBound))
            progress.update(step + 1)
        }
    }
}

/// `--shard K/N`: process only the K-th of N equal parts of the inputs (see docs/scaling.md).
struct ShardOptions: ParsableArguments {
    @Option(help: "Process only part K of N equal, contiguous parts of the inputs (1 ≤ K ≤ N), e.g. for a Slurm job array.",
            transform: { try Shard(spec: $0) })
    var shard: Shard?

    /// The shard, or all inputs without `--shard`.
    var parsed: Shard { shard ?? .all }

    /// The inputs this run processes out of `total`.
    /// - Throws: `LRPError` (`.input`) when the shard is empty (more shards than inputs).
    func range(of total: Int) throws -> Range<Int> {
        let shard = parsed
        let range = shard.range(of: total)
        guard !range.isEmpty else {
            throw LRPError(.input, "shard \(shard) of \(total) inputs is empty; use at most \(total) shards")
        }
        return range
    }

    /// What the run's output records of its shard out of `total` inputs; `nil` without `--shard`.
    func record(of total: Int) -> ShardRecord? {
        shard.map { ShardRecord($0, of: total) }
    }
}

/// One whole number per input from a `.npy` file (`--labels`, `--groups`); `what` names them in messages.
/// - Throws: `LRPError` (`.input`) naming the file for a count that does not match or a value that is not a
///   whole, non-negative number.
func loadClassNumbers(_ path: String, count: Int, what: String) throws -> [Int] {
    let values = try NPY.read(URL(fileURLWithPath: path)).scalars
    guard values.count == count else { throw LRPError(.input, "\(path): \(values.count) \(what) for \(count) inputs") }
    guard values.allSatisfy({ $0 >= 0 && $0 == $0.rounded() && $0 < 1e9 }) else {
        throw LRPError(.input, "\(path): \(what) must be whole, non-negative numbers")
    }
    return values.map { Int($0) }
}

/// Opens a relevance file written by `lrp explain --output` for reading batch by batch.
/// - Throws: `LRPError` (`.input`) naming the file when its shape does not match the inputs'.
func openRelevance(_ path: String, matching inputShape: [Int]) throws -> NPYFile {
    let file = try NPYFile(url: URL(fileURLWithPath: path))
    guard file.shape == inputShape else {
        throw LRPError(.input, "\(path): relevance of shape \(file.shape) does not match the inputs \(inputShape)")
    }
    return file
}
