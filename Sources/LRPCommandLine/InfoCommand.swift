import ArgumentParser
import Foundation
import LRP

/// `lrp info MODEL.onnx`: the nodes in order with shapes, parameters and FLOPs, and the weighted-layer
/// numbers composites use.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show a model's layers, shapes, FLOPs and weighted-layer numbers.")

    @Argument(help: "The ONNX model file.")
    var model: String

    @OptionGroup var memory: MemoryOptions

    func run() throws {
        let imported = try ONNXModel.load(URL(fileURLWithPath: model), memoryLimit: memory.limit)
        let network = imported.model
        let summary = ModelSummary(network)
        print("model:    \(model)")
        print("producer: \(imported.producer), opset \(imported.opsetVersion)")
        print("input:    '\(network.inputName)' [N, \(network.sampleShape.map(String.init).joined(separator: ", "))]")
        for note in imported.notes { print("note:     \(note)") }
        print()
        var rows = [["#", "node", "op", "output", "parameters", "FLOPs", "layer", "details"]]
        for (index, row) in summary.rows.enumerated() {
            rows.append([String(index + 1), row.name, row.operatorName,
                         "[" + row.outputShape.dropFirst().map(String.init).joined(separator: ", ") + "]",
                         row.parameterCount > 0 ? abbreviated(row.parameterCount) : "",
                         abbreviated(row.flops), row.weightedLayerNumber.map(String.init) ?? "", row.details])
        }
        print(table(rows))
        let weighted = summary.rows.compactMap(\.weightedLayerNumber).count
        print()
        print("total: \(abbreviated(summary.totalParameters)) parameters, \(abbreviated(summary.totalFLOPs))FLOPs per image, \(weighted) weighted layers (numbered 1–\(weighted) from the input for composites)")
    }
}
