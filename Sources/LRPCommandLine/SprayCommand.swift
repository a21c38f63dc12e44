import ArgumentParser
import Foundation
import LRP

/// The clustering options of SpRAy, shared by `spray` and `merge`.
struct ClusteringOptions: ParsableArguments {
    @Option(help: "Nearest neighbors each heatmap is joined to in the affinity graph.")
    var neighbors: Int = 10

    @Option(help: "The number of clusters (default: the eigengap's suggestion).")
    var clusters: Int?

    @Option(help: "The largest number of clusters the eigengap may suggest.")
    var maxClusters: Int = 10

    @Option(help: "Seed of k-means.")
    var seed: UInt64 = 0

    func validate() throws {
        guard neighbors >= 1 else { throw ValidationError("--neighbors must be at least 1, got \(neighbors)") }
        if let clusters, clusters < 1 { throw ValidationError("--clusters must be at least 1, got \(clusters)") }
        guard maxClusters >= 1 else { throw ValidationError("--max-clusters must be at least 1, got \(maxClusters)") }
    }

    /// Clusters `stage` and writes the SpRAy report to `folder`; prints the clusters.
    func analyze(_ stage: SprayHeatmaps, writingTo folder: String) throws {
        guard stage.heatmaps.count >= 2 else {
            throw LRPError(.input, "spray: class \(stage.header.targetClass) has \(stage.heatmaps.count) input(s); SpRAy needs at least 2")
        }
        let report = try SprayReport(stage, neighbors: neighbors, clusters: clusters, maximumClusters: maxClusters, seed: seed)
        try report.write(to: URL(fileURLWithPath: folder), heatmaps: stage)
        print("\(stage.heatmaps.count) inputs of class \(stage.header.targetClass); eigengap suggests \(report.suggestedClusters) cluster(s), \(report.clusters) used")
        print(table([["cluster", "inputs"]] + report.clusterSizes.enumerated().map { [String($0.offset), String($0.element)] }))
        if let index = report.adjustedRandIndex { print(String(format: "adjusted Rand index against the known groups: %.3f", index)) }
        print("report: \(URL(fileURLWithPath: folder).appendingPathComponent("report.html").path)")
    }
}

/// `lrp spray`: spectral relevance analysis of one class's explanations.
struct SprayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spray",
        abstract: "Cluster one class's explanations by what they look at (SpRAy): DIR/spray.json and DIR/report.html.",
        discussion: """
            The inputs of --class are those whose label (--labels, or a CIFAR-10 batch's) is the class, or else those \
            predicted as the class. With --shard K/N only the heatmap stage runs: DIR/heatmaps.npy and \
            DIR/heatmaps.json, which 'lrp merge' joins and clusters.
            """)

    @OptionGroup var options: ModelInputOptions

    @OptionGroup var rules: RuleOptions

    @Option(name: .customLong("class"), help: "The class whose inputs are analyzed and explained.")
    var targetClass: Int

    @Option(help: "A .npy file of one class number per input (else the CIFAR-10 labels or the prediction select the inputs).")
    var labels: String?

    @Option(help: "Relevance of all inputs for the class, as 'lrp explain --target K --output' writes it.")
    var relevance: String?

    @Option(help: "A .npy file of one known group per input (e.g. watermarked or not), to report the adjusted Rand index.")
    var groups: String?

    @Option(help: "Heatmaps are summed over POOL × POOL blocks before comparing.")
    var pool: Int = 2

    @Option(help: "The folder for the report (or, with --shard, the heatmap stage).")
    var report: String

    @OptionGroup var clustering: ClusteringOptions
    @OptionGroup var batching: BatchOptions
    @OptionGroup var sharding: ShardOptions

    func validate() throws {
        _ = try composite()
        guard targetClass >= 0 else { throw ValidationError("--class must be a class number ≥ 0, got \(targetClass)") }
        guard pool >= 1 else { throw ValidationError("--pool must be at least 1, got \(pool)") }
    }

    func composite() throws -> Composite {
        guard let composite = try rules.chosen() else { throw ValidationError("give one of --rule or --composite") }
        return composite
    }

    func run() throws {
        let imported = try options.loadModel()
        let batch = try options.loadInput(for: imported.model)
        let (count, shape) = (batch.count, [batch.count] + batch.sampleShape)
        let range = try sharding.range(of: count)
        let explainer = try Explainer(model: imported.model, composite: try composite(), memoryLimit: options.memory.limit)
        let classes = imported.model.outputShape.dropFirst().reduce(1, *)
        guard targetClass < classes else {
            throw LRPError(.parameter, "--class \(targetClass) is outside the model's \(classes) classes (0…\(classes - 1))")
        }
        let labels = try self.labels.map { try loadClassNumbers($0, count: count, what: "labels") } ?? batch.labels
        let knownGroups = try groups.map { try loadClassNumbers($0, count: count, what: "groups") }
        let stored = try relevance.map { try openRelevance($0, matching: shape) }
        let pooled = SpectralRelevanceAnalysis.pooledSize(height: shape[2], width: shape[3], pool: pool)
        var stage = SprayHeatmaps(model: options.model, method: explainer.method.description, targetClass: targetClass,
                                  pool: pool, height: pooled.height, width: pooled.width, knownGroups: knownGroups != nil,
                                  shard: sharding.record(of: count))
        try batching.forEachBatch(in: range, label: "explaining") { range in
            var images: Tensor?
            func inputs() throws -> Tensor {   // read once, and only when needed
                let read = try images ?? batch.images(range)
                images = read
                return read
            }
            // the inputs of the class, by label or else by the model's prediction; only they are explained
            let chosen = try labels.map { labels in range.filter { labels[$0] == targetClass } }
                ?? zip(range, try Target.predicted.classes(for: explainer.model.forward(inputs()))).filter { $0.1 == targetClass }.map(\.0)
            guard !chosen.isEmpty else { return }
            let offsets = chosen.map { $0 - range.lowerBound }
            let relevance = try stored.map { try $0.rows(range).batch(offsets) }
                ?? explainer.explain(try inputs().batch(offsets), target: .fixed(targetClass)).relevance
            for (row, index) in chosen.enumerated() {
                try stage.append(name: batch.names[index], heatmap: try SpectralRelevanceAnalysis.prepare(relevance, sample: row, pool: pool),
                                 group: knownGroups?[index])
            }
        }
        let selection = labels == nil ? "by the model's prediction" : "by the labels"
        if sharding.shard != nil {
            // one shard may hold none of the class; the merge checks the whole
            try stage.write(to: URL(fileURLWithPath: report))
            print("heatmap stage of shard \(sharding.parsed): \(stage.heatmaps.count) inputs of class \(targetClass) (\(selection)) written to \(report); join the shards with lrp merge")
        } else {
            guard !stage.heatmaps.isEmpty else { throw LRPError(.input, "no input is of class \(targetClass) (\(selection))") }
            try clustering.analyze(stage, writingTo: report)
        }
    }
}
