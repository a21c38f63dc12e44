import Foundation
import LRP

/// Where the time of a model's weighted layers goes: each layer's forward and transposed product (the input
/// gradient, which every LRP rule computes at least once) timed alone on its recorded input, with each
/// convolution algorithm that applies measured side by side, the one the automatic policy picks, its share
/// of the weighted layers' time and its efficiency against the sgemm yardstick.
struct LayerProfile {
    let model: Model
    let batch: Int

    func report(sgemm: Double, seconds: Double) throws {
        let canonical = try model.mergingBatchNormalization()
        let input = try Tensor(shape: [batch] + canonical.sampleShape,
                               scalars: (0 ..< batch * canonical.sampleShape.reduce(1, *)).map { Float(($0 * 7919) % 1000) / 1000 })
        let trace = try canonical.forwardRecording(input)
        let summary = ModelSummary(canonical)
        var rows: [(name: String, picked: String, seconds: Double, flops: Double, alternatives: String)] = []
        for (index, node) in canonical.nodes.enumerated() {
            guard let layer = node.layer as? any LinearLayer, let number = summary.rows[index].weightedLayerNumber else { continue }
            let source = node.inputs[0]
            let layerInput = source == canonical.inputName
                ? trace.input : trace.records[canonical.nodes.firstIndex { $0.output == source }!].output
            let flops = 2 * Double(summary.rows[index].flops) * Double(batch)
            let name = "\(number) \(node.name) \(layer.summary)"
            guard let conv = layer as? Convolution2D else {
                rows.append((name, "GEMM", try time(layer, input: layerInput, seconds: seconds), flops, ""))
                continue
            }
            let forward = conv.resolvedAlgorithm(.forward, inputShape: layerInput.shape)
            let transposed = conv.resolvedAlgorithm(.transposed, inputShape: layerInput.shape)
            let inference = conv.resolvedAlgorithm(.inference, inputShape: layerInput.shape)
            let picked = try time(conv, input: layerInput, seconds: seconds)
            var alternatives: [String] = []
            for algorithm in ConvolutionAlgorithm.allCases where algorithm != .automatic && (algorithm != forward || algorithm != transposed) {
                var forced = conv
                forced.algorithm = algorithm
                guard forced.resolvedAlgorithm(.forward, inputShape: layerInput.shape) == algorithm else { continue }
                alternatives.append(String(format: "%@ %.1f", algorithm.shortName, try time(forced, input: layerInput, seconds: seconds) * 1000))
            }
            rows.append((name, [forward, transposed, inference].map(\.shortName).joined(separator: " "),
                         picked, flops, alternatives.joined(separator: ", ")))
        }
        let total = rows.reduce(0) { $0 + $1.seconds }
        print("weighted layers at batch \(batch), forward + transposed product each (GFLOP/s counts im2col's FLOPs);")
        print("algorithms of the LRP forward, the transposed product and inference alone (lrp predict):")
        let widths = [40, 22, 8, 6, 8, 8, 30]
        printRow(["layer", "algorithms", "ms", "share", "GFLOP/s", "of sgemm", "others (ms)"], widths: widths)
        for row in rows {
            let rate = row.flops / row.seconds / 1e9
            printRow([String(row.name.prefix(40)), row.picked, String(format: "%.2f", row.seconds * 1000),
                      String(format: "%.0f%%", 100 * row.seconds / total), String(format: "%.1f", rate),
                      String(format: "%.0f%%", 100 * rate / sgemm), row.alternatives], widths: widths)
        }
        print()
    }

    /// Seconds for one forward and one transposed product on `input` with the layer's own weight, as the
    /// explainer runs them (a convolution's Winograd transforms made before the timing and kept).
    private func time(_ layer: any LinearLayer, input: Tensor, seconds: Double) throws -> Double {
        let output = try layer.forward(input)
        _ = try layer.transposedProduct(output, inputShape: input.shape)
        return try Measurement(minimumSeconds: seconds, rounds: 2) {
            _ = try layer.forward(input)
            _ = try layer.transposedProduct(output, inputShape: input.shape)
        }.seconds
    }
}

extension ConvolutionAlgorithm {
    var shortName: String {
        switch self {
        case .automatic: "auto"
        case .im2col: "im2col"
        case .winograd2: "F(2,3)"
        case .winograd4: "F(4,3)"
        }
    }
}
