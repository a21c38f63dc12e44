import ArgumentParser
import Foundation
import LRP

/// `lrp compare`: heatmaps of several methods side by side, as a PNG grid and an HTML report.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare rules, composites and gradient methods side by side: DIR/grid.png and DIR/report.html.")

    /// More columns than this do not fit a page.
    static let maximumMethods = 8
    /// More rows than this make a report nobody scrolls through.
    static let maximumInputs = 64

    @OptionGroup var options: ModelInputOptions
    @OptionGroup var explanation: ExplanationOptions
    @OptionGroup var pictures: HeatmapOptions

    @OptionGroup var chosen: MethodOptions

    @Option(help: "The folder for grid.png and report.html (created if needed).")
    var report: String

    func validate() throws {
        guard chosen.methods.count <= Self.maximumMethods else {
            throw ValidationError("\(chosen.methods.count) methods do not fit a page; compare at most \(Self.maximumMethods) at once (run compare again for the rest)")
        }
    }

    func run() throws {
        let imported = try options.loadModel()
        let batch = try options.loadInput(for: imported.model)
        guard batch.count <= Self.maximumInputs else {
            throw ValidationError("\(batch.count) inputs make too long a report; compare at most \(Self.maximumInputs) (pick a few)")
        }
        let explainers = try chosen.methods.map { try Explainer(model: imported.model, method: $0, memoryLimit: options.memory.limit) }
        let heatmap = try pictures.heatmap()
        var comparison = ComparisonReport(title: "SwiftLRP comparison — \(URL(fileURLWithPath: options.model).lastPathComponent)", methods: chosen.methods.map(\.description))
        let colors = ["bwr": "; red positive, blue negative relevance", "seismic": "; red positive, blue negative relevance",
                       "coldnhot": "; bright positive, cyan negative relevance"][pictures.colormap.name] ?? ""
        comparison.notes = ["model: \(options.model); color map \(pictures.colormap.name); heatmaps normalized per image by " +
                            (pictures.percentile.map { "the \($0)th percentile of |R|" } ?? "max |R|") + colors]
        var printed: [[String]] = []
        try explanation.explainInBatches(batch, with: explainers, label: "comparing") { range, explanations in
            let images = try batch.images(range)
            let first = explanations[0]
            let predicted = try first.logits.topClasses(1).map { $0[0].index }
            for offset in range.indices {
                let local = offset - range.lowerBound
                let name = batch.names[offset]
                let label = describeClasses(of: first, sample: local, predicted: predicted[local], truth: batch.labels?[offset])
                let heatmaps = try explanations.map { try heatmap.render($0.relevance, sample: local, input: images) }
                let sums = explanations.map { $0.relevance.sumPerSample()[local] }
                comparison.rows.append(.init(name: name, input: try Image8.display(images, sample: local).enlarged(by: heatmap.zoom),
                                             label: label, heatmaps: heatmaps, sums: sums))
                printed.append([name, label])
            }
        }
        try comparison.write(to: URL(fileURLWithPath: report))
        print(table(printed))
        print("report: \(URL(fileURLWithPath: report).appendingPathComponent("report.html").path)")
    }

    /// "true cat (3) · predicted dog (5), score 7.2": the known label, the prediction, and the class explained
    /// when it is not the prediction.
    private func describeClasses(of explanation: Explanation, sample: Int, predicted: Int, truth: Int?) -> String {
        let classes = explanation.logits.elementsPerSample
        func name(_ index: Int) -> String { "\(options.className(index, of: classes)) (\(index))" }
        let target = explanation.targets[sample]
        return (truth.map { "true \(name($0)) · " } ?? "") + "predicted \(name(predicted))"
            + (target == predicted ? "" : " · explaining \(name(target))") + ", score \(String(format: "%.3f", explanation.targetScores[sample]))"
    }
}
