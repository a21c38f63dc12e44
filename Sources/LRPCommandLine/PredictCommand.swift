import ArgumentParser
import Foundation
import LRP

/// `lrp predict`: logits for a batch, with a top-k summary.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Run a model on inputs and show the top classes.")

    @OptionGroup var options: ModelInputOptions

    @Option(help: "Write the logits as float32 (N, classes) .npy to this file.")
    var output: String?

    @Option(help: "How many classes to show per input.")
    var top: Int = 3

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top must be positive, got \(top)") }
    }

    func run() throws {
        let imported = try options.loadModel()
        let batch = try options.loadInput(for: imported.model)
        // in blocks, so that large .npy inputs stream and the activations stay within --max-memory
        let block = options.memory.limit.samplesAtOnce(for: imported.model, requested: 256)
        let logits = try Tensor(concatenating: stride(from: 0, to: batch.count, by: block).map { start in
            try imported.model.forward(try batch.images(start ..< min(start + block, batch.count)))
        })
        if let output { try NPY.write(logits, to: URL(fileURLWithPath: output)) }
        let classes = logits.elementsPerSample
        var rows: [[String]] = []
        for ((sample, name), best) in zip(batch.names.enumerated(), try logits.topClasses(top)) {
            var row = [name]
            if let labels = batch.labels { row.append("label: \(options.className(labels[sample], of: classes))") }
            row += best.map { String(format: "%@ (%d) %.3f", options.className($0.index, of: classes), $0.index, $0.logit) }
            rows.append(row)
        }
        print(table(rows))
        if let output { print("logits written to \(output)") }
    }
}
