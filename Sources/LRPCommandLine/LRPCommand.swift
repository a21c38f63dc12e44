import ArgumentParser
import Foundation
import LRP

/// The `lrp` command. Exit status: 0 success, 1 bad input (a file or its contents), 2 bad usage
/// (arguments, options, specifications), 130 or 143 interrupted by SIGINT or SIGTERM (temporary files removed).
@main
struct LRPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lrp",
        abstract: "Explain the predictions of convolutional networks with Layer-wise Relevance Propagation.",
        version: "0.1.0",
        subcommands: [InfoCommand.self, PredictCommand.self, ExplainCommand.self, CompareCommand.self,
                      EvaluateCommand.self, SprayCommand.self, MergeCommand.self, ServeCommand.self])

    static func main() {
        // activations and im2col columns are allocated and freed per layer: reuse them instead of fresh mmaps
        Allocator.keepFreedMemoryForReuse()
        TemporaryFiles.removeOnInterrupt()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as LRPError {
            let hint = error.kind == .memoryLimit ? " (raise it with --max-memory)" : ""
            FileHandle.standardError.write(Data("lrp: error: \(error.message)\(hint)\n".utf8))
            Foundation.exit(error.kind == .parameter ? 2 : 1)
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
