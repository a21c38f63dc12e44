import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct HeatmapTests {
    @Test func paletteIndicesEqualZennitsImgify() throws {
        // the gray palette maps index i to (i, i, i), so the red channel is the palette index
        #expect(ColorMap.gray.palette().enumerated().allSatisfy { $0.element == [UInt8($0.offset), UInt8($0.offset), UInt8($0.offset)] })
        let relevance = try NPY.read(Fixtures.url("lrp/vgg.gamma.npy"))
        let expected = try NPY.read(Fixtures.url("visual/heatmap_indices.npy"))
        let heatmap = Heatmap(colorMap: .gray, zoom: 1)
        for sample in 0..<relevance.batchSize {
            let image = try heatmap.render(relevance, sample: sample)
            let indices = stride(from: 0, to: image.pixels.count, by: 3).map { Float(image.pixels[$0]) }
            #expect(indices == Array(expected.scalars[sample * 1024 ..< (sample + 1) * 1024]))
        }
    }

    @Test func zoomPercentileOverlayAndZero() throws {
        let relevance = try Tensor(shape: [1, 1, 1, 3], scalars: [-1, 0, 10])
        let plain = try Heatmap(colorMap: .gray, zoom: 2).render(relevance, sample: 0)
        #expect(plain.width == 6 && plain.height == 2)
        // symmetric max: −1 → (−1 + 10) / 20 · 255 = 114, 0 → 127, 10 → 255
        #expect(Array(plain.pixels.prefix(18)).enumerated().filter { $0.offset % 6 == 0 }.map(\.element) == [114, 127, 255])
        let clipped = try Heatmap(colorMap: .gray, normalization: .symmetricPercentile(50), zoom: 1).render(relevance, sample: 0)
        #expect(clipped.pixels[0] == 0 && clipped.pixels[6] == 255)   // ±1 (the median of |R|) are the ends
        let zero = try Heatmap(colorMap: .gray, zoom: 1).render(Tensor(shape: [1, 1, 1, 1]), sample: 0)
        #expect(zero.pixels == [127, 127, 127])
        let input = try Tensor(shape: [1, 1, 1, 3], scalars: [0, 100, 200])
        let blended = try Heatmap(colorMap: .gray, zoom: 1, overlay: 0.5).render(relevance, sample: 0, input: input)
        #expect(blended.pixels[3] == UInt8((0.5 * 127 + 0.5 * 100 as Float).rounded()))
        expectLRPError("zoom") { _ = try Heatmap(zoom: 0).render(relevance, sample: 0) }
        expectLRPError("sample") { _ = try Heatmap().render(relevance, sample: 1) }
    }

    @Test func theDemoCatsRelevanceConcentratesOnItsFace() throws {
        // a hand-drawn box around eyes, nose and mouth: rows 8–28, columns 2–29 of the 32×32 photo (57% of it)
        let model = try ONNXModel.load(Demo.model).model
        let cat = try InputDataset.load([Demo.photos.appendingPathComponent("cat.png")]).images
        for spec in ["gamma:0.25", "1-4=gamma:0.25;5-8=epsilon:0.25;9=zero"] {
            let relevance = try Explainer(model: model, method: AttributionMethod(spec: spec)).explain(cat).relevance
            var inside = 0.0, total = 0.0
            for row in 0..<32 { for column in 0..<32 {
                let value = max(0, (0..<3).reduce(0.0) { $0 + Double(relevance[($1 * 32 + row) * 32 + column]) })
                total += value
                if (8...28).contains(row) && (2...29).contains(column) { inside += value }
            } }
            #expect(inside / total > 0.8, "\(spec): \(inside / total) of the positive relevance in a box of 57% of the image")
        }
    }
}
