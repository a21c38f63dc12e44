import Foundation
import LRPCore
import LRPData
import LRPVisualization

/// The result of `lrp spray`: SpRAy's clusters of one class's heatmaps, written as `spray.json` (this
/// structure) and `report.html` (the eigenvalues, the 2-D spectral embedding colored by cluster, and each
/// cluster's mean heatmap with its members).
///
/// ```swift
/// let report = try SprayReport(stage, neighbors: 8, seed: 0)
/// try report.write(to: URL(fileURLWithPath: "spray"), heatmaps: stage)
/// ```
public struct SprayReport: Codable, Sendable {
    public let model: String
    public let method: String
    public let targetClass: Int
    public let pool: Int
    public let neighbors: Int
    public let seed: UInt64
    /// The analyzed inputs, in order.
    public let inputs: [String]
    public let eigenvalues: [Float]
    public let suggestedClusters: Int
    public let clusters: Int
    /// The cluster of each input.
    public let assignments: [Int]
    /// How many inputs each cluster holds.
    public let clusterSizes: [Int]
    /// Each input's coordinates in the eigenvectors of λ₁ and λ₂.
    public let embedding: [[Float]]
    /// Agreement of the clusters with known groups, when given.
    public let adjustedRandIndex: Double?

    /// How many members' heatmaps the report shows per cluster.
    static let examplesPerCluster = 8

    /// Clusters a heatmap stage; when the stage has known groups (e.g. which images carry a watermark), the
    /// adjusted Rand index of the clusters against them is reported.
    /// - Throws: `LRPError` (`.parameter`) for fewer than two heatmaps or more clusters than heatmaps.
    public init(_ stage: SprayHeatmaps, neighbors: Int, clusters: Int? = nil, maximumClusters: Int = 10, seed: UInt64 = 0) throws {
        let analysis = try SpectralRelevanceAnalysis(heatmaps: stage.heatmaps, neighbors: neighbors, clusters: clusters,
                                                     maximumClusters: maximumClusters, seed: seed)
        (model, method, targetClass, pool) = (stage.header.model, stage.header.method, stage.header.targetClass, stage.header.pool)
        (self.neighbors, self.seed, inputs) = (neighbors, seed, stage.header.names)
        (eigenvalues, suggestedClusters, self.clusters) = (analysis.eigenvalues, analysis.suggestedClusters, analysis.clusters)
        (assignments, embedding) = (analysis.assignments, analysis.embedding)
        clusterSizes = (0..<analysis.clusters).map { cluster in analysis.assignments.filter { $0 == cluster }.count }
        adjustedRandIndex = stage.header.groups.map { LRPEvaluation.adjustedRandIndex($0, analysis.assignments) }
    }

    /// Writes `spray.json` and `report.html` into `folder`, both or neither; `heatmaps` (the analyzed stage)
    /// gives the clusters' mean heatmaps.
    public func write(to folder: URL, heatmaps stage: SprayHeatmaps, colorMap: ColorMap = .bwr, zoom: Int = 4) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let staged = try StagedFolder(destination: folder)
        try staged.write(try encoder.encode(self), named: "spray.json")
        try staged.write(Data(try html(heatmaps: stage, colorMap: colorMap, zoom: zoom).utf8), named: "report.html")
        try staged.commit()
    }

    /// The page: settings, eigenvalues, embedding, and one row per cluster with its mean heatmap.
    public func html(heatmaps stage: SprayHeatmaps, colorMap: ColorMap = .bwr, zoom: Int = 4) throws -> String {
        var page = HTMLPage(title: "SwiftLRP SpRAy — class \(targetClass), \(method)")
        page.paragraph("Model \(model); \(inputs.count) inputs of class \(targetClass) explained with \(method); heatmaps summed over channels, " +
                       "pooled \(pool)×\(pool), scaled to max |R| = 1; \(neighbors)-nearest-neighbor graph; k-means seed \(seed).")
        page.paragraph("The eigengap suggests \(suggestedClusters) cluster(s); \(clusters) used." +
                       (adjustedRandIndex.map { String(format: " Adjusted Rand index against the known groups: %.3f.", $0) } ?? ""))
        let plot = Plot(width: 420, height: 280)
        try page.figure(plot.lines([eigenvalues.map(Double.init)]), caption: "The smallest eigenvalues of the normalized Laplacian (y) by index (x).")
        try page.figure(plot.scatter(points: embedding, groups: assignments),
                        caption: "Spectral embedding: each input's entries in the eigenvectors of λ₁ (x) and λ₂ (y), colored by cluster.")
        page.heading("Clusters")
        let heatmap = Heatmap(colorMap: colorMap, zoom: zoom * pool)
        let small = Heatmap(colorMap: colorMap, zoom: max(1, zoom * pool / 2))
        func picture(_ map: [Float], with renderer: Heatmap) throws -> Image8 {
            try renderer.render(try Tensor(shape: [1, 1, stage.header.height, stage.header.width], scalars: map), sample: 0)
        }
        var rows = ""
        for cluster in 0..<clusters {
            let members = assignments.indices.filter { assignments[$0] == cluster }
            let mean = stage.heatmaps[0].indices.map { pixel in members.reduce(Float(0)) { $0 + stage.heatmaps[$1][pixel] } / Float(max(members.count, 1)) }
            let examples = try members.prefix(Self.examplesPerCluster).map { member in
                "<span title=\"\(HTMLPage.escape(inputs[member]))\">\(try HTMLPage.embedded(try picture(stage.heatmaps[member], with: small), alt: inputs[member]))</span>"
            }.joined()
            let listed = members.prefix(40).map { inputs[$0] }.joined(separator: ", ") + (members.count > 40 ? ", …" : "")
            rows += "<tr><td>\(HTMLPage.swatch(Canvas.palette[cluster % Canvas.palette.count]))\(cluster)</td><td>\(members.count)</td>" +
                    "<td>\(try HTMLPage.embedded(try picture(mean, with: heatmap), alt: "mean heatmap of cluster \(cluster)"))</td>" +
                    "<td class=\"examples\">\(examples)</td><td class=\"label\">\(HTMLPage.escape(listed))</td></tr>\n"
        }
        page.raw("<table>\n<tr><th>cluster</th><th>inputs</th><th>mean heatmap</th><th>members' heatmaps (first \(Self.examplesPerCluster))</th><th>members</th></tr>\n\(rows)</table>\n")
        return page.html
    }
}
