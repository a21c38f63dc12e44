import ArgumentParser
import Foundation
import LRP

/// `lrp merge`: joins the outputs of sharded runs (`--shard K/N`) into the output of one run.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the outputs of sharded runs: relevance .npy files, evaluate reports or spray heatmap stages.",
        discussion: """
            .npy files (from explain --shard K/N --output, each with its FILE.shard.json) are concatenated into the \
            .npy file --output. Folders holding metrics.json (from evaluate --shard) become one evaluation report in \
            the folder --output. Folders holding heatmaps.json (from spray --shard) are joined and clustered into a \
            SpRAy report in --output. Every part records its shard: the parts may come in any order, and a shard \
            missing or given twice is an error.
            """)

    @Argument(help: "The outputs of every shard of one split, once each, in any order.")
    var parts: [String]

    @Option(help: "The merged .npy file or report folder.")
    var output: String

    @OptionGroup var clustering: ClusteringOptions

    func validate() throws {
        guard !parts.isEmpty else { throw ValidationError("give the shards' outputs to merge") }
    }

    func run() throws {
        let urls = parts.map { URL(fileURLWithPath: $0) }
        let manager = FileManager.default
        if urls.allSatisfy({ $0.pathExtension.lowercased() == "npy" }) {
            try concatenate(try inShardOrder(try urls.map(NPYFile.init(url:)), urls,
                                             record: { try ShardRecord.read(beside: $0.url) }, size: \.rowCount,
                                             without: { "no shard record \(ShardRecord.sidecar(of: $0).lastPathComponent) beside it" }))
        } else if urls.allSatisfy({ manager.fileExists(atPath: $0.appendingPathComponent("metrics.json").path) }) {
            let reports = try inShardOrder(try urls.map(EvaluationReport.read(from:)), urls, record: \.shard, size: \.inputs,
                                           without: { "\($0.appendingPathComponent("metrics.json").path) records no shard" })
            let merged = try EvaluationReport.merged(reports)
            try merged.write(to: URL(fileURLWithPath: output))
            print("\(merged.inputs) inputs from \(urls.count) evaluation reports; report: \(output)/report.html")
        } else if urls.allSatisfy({ manager.fileExists(atPath: $0.appendingPathComponent("heatmaps.json").path) }) {
            let stages = try inShardOrder(try urls.map(SprayHeatmaps.read(from:)), urls, record: \.header.shard, size: { _ in nil },
                                          without: { "\($0.appendingPathComponent("heatmaps.json").path) records no shard" })
            try clustering.analyze(try SprayHeatmaps.merged(stages), writingTo: output)
        } else {
            let odd = urls.first { url in
                url.pathExtension.lowercased() != "npy" && !["metrics.json", "heatmaps.json"].contains { manager.fileExists(atPath: url.appendingPathComponent($0).path) }
            }
            throw LRPError(.input, "\(odd?.path ?? parts[0]): not a relevance .npy file, an evaluate report or a spray heatmap stage (or the parts are of different kinds)")
        }
    }

    /// The parts in shard order, checked to be every shard of one split once, each of its shard's size.
    /// - Parameters:
    ///   - record: a part's shard record, `nil` if it has none.
    ///   - size: how many inputs a part holds, `nil` if that is not known.
    ///   - without: what is wrong with the part at a URL that has no record.
    private func inShardOrder<Part>(_ parts: [Part], _ urls: [URL], record: (Part) throws -> ShardRecord?, size: (Part) -> Int?,
                                    without: (URL) -> String) throws -> [Part] {
        let records = try zip(parts, urls).map { part, url in
            guard let record = try record(part) else {
                throw LRPError(.input, "\(url.path): \(without(url)); merge takes the outputs of finished runs with --shard K/N")
            }
            return (path: url.path, record: record)
        }
        let order = try ShardRecord.order(records)
        for (part, (path, record)) in zip(parts, records) {
            if let size = size(part), size != record.range.count {
                throw LRPError(.input, "\(path): \(size) inputs, but shard \(record) of \(record.inputs) inputs has \(record.range.count)")
            }
        }
        return order.map { parts[$0] }
    }

    /// Concatenates `.npy` files along their first axis, streaming a block of rows at a time.
    private func concatenate(_ files: [NPYFile]) throws {
        for file in files.dropFirst() where Array(file.shape.dropFirst()) != Array(files[0].shape.dropFirst()) {
            throw LRPError(.input, "\(file.url.path): rows of shape \(Array(file.shape.dropFirst())) do not match \(Array(files[0].shape.dropFirst())) of \(files[0].url.path)")
        }
        let total = files.reduce(0) { $0 + $1.rowCount }
        let writer = try NPYStreamWriter(url: URL(fileURLWithPath: output), shape: [total] + files[0].shape.dropFirst())
        for file in files {
            for start in stride(from: 0, to: file.rowCount, by: 256) {
                try writer.append(try file.rows(start ..< min(start + 256, file.rowCount)))
            }
        }
        try writer.finish()
        print("\(total) rows from \(files.count) files written to \(output)")
    }
}
