import ArgumentParser
import Foundation
import LRP

/// `lrp merge`: joins the outputs of sharded runs (`--shard K/N`) into the output of one run.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the outputs of sharded runs, given in shard order: relevance .npy files, evaluate reports or spray heatmap stages.",
        discussion: """
            .npy files (from explain --output) are concatenated into the .npy file --output. \
            Folders holding metrics.json (from evaluate) become one evaluation report in the folder --output. \
            Folders holding heatmaps.json (from spray --shard) are joined and clustered into a SpRAy report in --output.
            """)

    @Argument(help: "The shards' outputs, in shard order (1/N first).")
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
            try concatenate(urls)
        } else if urls.allSatisfy({ manager.fileExists(atPath: $0.appendingPathComponent("metrics.json").path) }) {
            let merged = try EvaluationReport.merged(try urls.map(EvaluationReport.read(from:)))
            try merged.write(to: URL(fileURLWithPath: output))
            print("\(merged.inputs) inputs from \(urls.count) evaluation reports; report: \(output)/report.html")
        } else if urls.allSatisfy({ manager.fileExists(atPath: $0.appendingPathComponent("heatmaps.json").path) }) {
            try clustering.analyse(try SprayHeatmaps.merged(try urls.map(SprayHeatmaps.read(from:))), writingTo: output)
        } else {
            let odd = urls.first { url in
                url.pathExtension.lowercased() != "npy" && !["metrics.json", "heatmaps.json"].contains { manager.fileExists(atPath: url.appendingPathComponent($0).path) }
            }
            throw LRPError(.input, "\(odd?.path ?? parts[0]): not a relevance .npy file, an evaluate report or a spray heatmap stage (or the parts are of different kinds)")
        }
    }

    /// Concatenates `.npy` files along their first axis, streaming a block of rows at a time.
    private func concatenate(_ urls: [URL]) throws {
        let files = try urls.map(NPYFile.init(url:))
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
