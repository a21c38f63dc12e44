import LRPCore
import LRPData

/// Turns relevance into pictures: channels summed, normalized symmetrically around zero (as Zennit's
/// `imgify(..., symmetric=True)`), mapped through a color map, enlarged by nearest neighbor, optionally
/// laid over the input.
///
/// ```swift
/// let heatmap = Heatmap(colorMap: .bwr, zoom: 8)
/// let image = try heatmap.render(explanation.relevance, sample: 0)      // 256×256 RGB
/// try PNG.write(image, to: URL(fileURLWithPath: "cat.png"))
/// ```
public struct Heatmap: Sendable {
    /// How relevance values become palette positions.
    public enum Normalization: Sendable, Hashable {
        /// ±max |R| of each image map to the palette's ends (the default).
        case symmetricMax
        /// ±the given percentile (0–100) of |R| of each image; larger values are clipped.
        case symmetricPercentile(Double)
    }

    public var colorMap: ColorMap {
        didSet { palette = colorMap.palette() }
    }
    public var normalization: Normalization
    /// Each relevance pixel becomes a `zoom × zoom` block.
    public var zoom: Int
    /// When set, the heatmap is blended over the gray input with this weight of the heatmap (0–1).
    public var overlay: Float?
    /// The color map's 256 entries, computed once.
    private var palette: [[UInt8]]

    public init(colorMap: ColorMap = .bwr, normalization: Normalization = .symmetricMax, zoom: Int = 8, overlay: Float? = nil) {
        (self.colorMap, self.normalization, self.zoom, self.overlay) = (colorMap, normalization, zoom, overlay)
        palette = colorMap.palette()
    }

    /// The heatmap of one sample of `[N, C, H, W]` relevance; `input` (same layout) is needed for overlays.
    /// - Throws: `LRPError` for relevance that is not `[N, C, H, W]`, a sample out of range, or a zoom that is
    ///   not positive or too large.
    public func render(_ relevance: Tensor, sample: Int, input: Tensor? = nil) throws -> Image8 {
        guard relevance.rank == 4, (0..<relevance.batchSize).contains(sample) else {
            throw LRPError(.shape, "heatmap: needs [N, C, H, W] relevance and a sample in range, got \(describe(relevance.shape)) and \(sample)")
        }
        let (height, width) = (relevance.shape[2], relevance.shape[3])
        guard (1...64).contains(zoom), height * width * zoom * zoom <= PNG.maximumPixels else {
            throw LRPError(.parameter, "heatmap: zoom must be 1–64 and the picture at most \(PNG.maximumPixels) pixels, got zoom \(zoom)")
        }
        let summed = try relevance.channelSum(sample: sample)
        let bound = self.bound(summed)
        let background = try overlay.flatMap { _ in try input.map { try Image8.display($0, sample: sample).grayscale() } }
        var pixels = [UInt8](repeating: 0, count: height * zoom * width * zoom * 3)
        for row in 0 ..< height * zoom {
            for column in 0 ..< width * zoom {
                let source = (row / zoom) * width + column / zoom
                // Zennit: (R − vmin) / (vmax − vmin) · 255, clipped, truncated to uint8
                let position = bound > 0 ? (Double(summed[source]) + bound) / (2 * bound) * 255 : 127.5
                var color = palette[Int(min(max(position, 0), 255))].map(Float.init)
                if let overlay, let background {
                    let gray = Float(background.pixels[source])
                    color = color.map { overlay * $0 + (1 - overlay) * gray }
                }
                let offset = (row * width * zoom + column) * 3
                for channel in 0..<3 { pixels[offset + channel] = UInt8(min(max(color[channel].rounded(), 0), 255)) }
            }
        }
        return try Image8(width: width * zoom, height: height * zoom, channels: 3, pixels: pixels)
    }

    /// The value mapped to the palette's top (and its negative to the bottom).
    private func bound(_ values: [Float]) -> Double {
        let magnitudes = values.map { abs(Double($0)) }
        switch normalization {
        case .symmetricMax:
            return magnitudes.max() ?? 0
        case .symmetricPercentile(let percentile):
            let sorted = magnitudes.sorted()
            let rank = min(max(percentile / 100, 0), 1) * Double(sorted.count - 1)
            let (low, high) = (Int(rank.rounded(.down)), Int(rank.rounded(.up)))
            return sorted[low] + (sorted[high] - sorted[low]) * (rank - Double(low))   // linear, as numpy
        }
    }
}

extension Image8 {
    /// A sample of an `[N, C, H, W]` input as a picture: values already in 0–255 are shown as they are,
    /// anything else (normalized input) is stretched from its minimum to its maximum. One channel is gray,
    /// three are RGB.
    public static func display(_ input: Tensor, sample: Int) throws -> Image8 {
        guard input.rank == 4, (0..<input.batchSize).contains(sample), [1, 3].contains(input.shape[1]) else {
            throw LRPError(.shape, "image: cannot show \(describe(input.shape)) as a picture (needs 1 or 3 channels)")
        }
        let (channels, height, width) = (input.shape[1], input.shape[2], input.shape[3])
        let plane = height * width
        let values = Array(input.scalars[sample * channels * plane ..< (sample + 1) * channels * plane])
        let (low, high) = (values.min() ?? 0, values.max() ?? 0)
        let raw = low >= 0 && high <= 255 && high > 1
        let scale: Float = raw ? 1 : (high > low ? 255 / (high - low) : 0)
        let offset: Float = raw ? 0 : low
        var pixels = [UInt8](repeating: 0, count: plane * channels)
        for pixel in 0..<plane {
            for channel in 0..<channels {
                pixels[pixel * channels + channel] = UInt8(min(max(((values[channel * plane + pixel] - offset) * scale).rounded(), 0), 255))
            }
        }
        return try Image8(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// The image as one gray channel (ITU-R 601 luma for RGB, as Pillow's `convert("L")`).
    public func grayscale() -> Image8 {
        guard channels >= 3 else { return self }
        let gray = (0 ..< width * height).map { pixel -> UInt8 in
            let (r, g, b) = (Int(pixels[pixel * channels]), Int(pixels[pixel * channels + 1]), Int(pixels[pixel * channels + 2]))
            return UInt8((r * 299 + g * 587 + b * 114 + 500) / 1000)
        }
        return Image8(validWidth: width, height: height, channels: 1, pixels: gray)
    }

    /// The image enlarged by nearest neighbor, with three channels.
    public func enlarged(by zoom: Int) -> Image8 {
        var rgb = [UInt8](repeating: 0, count: width * zoom * height * zoom * 3)
        for row in 0 ..< height * zoom {
            for column in 0 ..< width * zoom {
                let source = ((row / zoom) * width + column / zoom) * channels
                for channel in 0..<3 {
                    rgb[(row * width * zoom + column) * 3 + channel] = pixels[source + (channels >= 3 ? channel : 0)]
                }
            }
        }
        return Image8(validWidth: width * zoom, height: height * zoom, channels: 3, pixels: rgb)
    }
}
