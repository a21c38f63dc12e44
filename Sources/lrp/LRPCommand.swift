import ArgumentParser
import LRP

/// The `lrp` command: subcommands are added as the library grows.
@main
struct LRPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lrp",
        abstract: "Explain the predictions of convolutional networks with Layer-wise Relevance Propagation.",
        version: "0.1.0",
        subcommands: [])
}
