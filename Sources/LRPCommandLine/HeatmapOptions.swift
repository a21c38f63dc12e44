import ArgumentParser
import LRP

/// How heatmaps are drawn, shared by `explain --heatmaps` and `compare`.
struct HeatmapOptions: ParsableArguments {
    @Option(help: "Color map: bwr, coldnhot, seismic, gray, hot, wred, wblue, cold, france, coolio, coleus (default: bwr).",
            transform: ColorMap.init(named:))
    var colormap: ColorMap = .bwr

    @Option(help: "Enlarge each relevance pixel to a zoom × zoom block.")
    var zoom: Int = 8

    @Option(help: "Normalize by this percentile (0–100) of |relevance| instead of the maximum; larger values are clipped.")
    var percentile: Double?

    @Option(help: "Blend the heatmap over the gray input with this weight (0–1).")
    var overlay: Float?

    func validate() throws {
        _ = try heatmap()
    }

    func heatmap() throws -> Heatmap {
        guard (1...64).contains(zoom) else { throw ValidationError("--zoom must be 1–64, got \(zoom)") }
        if let percentile, !(0...100).contains(percentile) { throw ValidationError("--percentile must be 0–100, got \(percentile)") }
        if let overlay, !(0...1).contains(overlay) { throw ValidationError("--overlay must be 0–1, got \(overlay)") }
        return Heatmap(colorMap: colormap, normalization: percentile.map { .symmetricPercentile($0) } ?? .symmetricMax,
                       zoom: zoom, overlay: overlay)
    }
}

/// A file name for a sample's picture: its input name made safe, unique within `taken`.
func pictureName(for sample: String, taken: inout Set<String>) -> String {
    let stem = sample.replacingOccurrences(of: ".png", with: "").map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "-" }
    var name = String(stem) + ".heatmap.png"
    var counter = 2
    while taken.contains(name) {
        name = String(stem) + "-\(counter).heatmap.png"
        counter += 1
    }
    taken.insert(name)
    return name
}
