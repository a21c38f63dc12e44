import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct GaussianBlurTests {
    @Test func equalsScipysGaussianFilter() throws {
        // scipy.ndimage.gaussian_filter(sigma 1.5 over the image axes, mode "nearest", truncate 3)
        let images = try NPY.read(CornerTag.images).batch(0 ..< 4)
        let expected = try NPY.read(Fixtures.url("evaluation/perturbation.blurred.npy"))
        expectClose(try GaussianBlur(sigma: 1.5).apply(to: images).scalars, expected.scalars.map(Double.init), tolerance: 1e-5)
    }

    @Test func keepsConstantsAndSpreadsAnImpulseSymmetrically() throws {
        let blur = try GaussianBlur(sigma: 1)
        #expect(blur.taps.count == 7 && abs(blur.taps.reduce(0, +) - 1) < 1e-6)
        let constant = try blur.apply(to: Tensor(shape: [1, 2, 5, 6], repeating: 7))
        #expect(constant.scalars.allSatisfy { abs($0 - 7) < 1e-5 })
        var impulse = try Tensor(shape: [1, 1, 9, 9])
        impulse[4 * 9 + 4] = 1
        let spread = try blur.apply(to: impulse)
        #expect(abs(spread.scalars.reduce(0, +) - 1) < 1e-5)                       // nothing lost inside the image
        #expect(abs(spread[4 * 9 + 4] - blur.taps[3] * blur.taps[3]) < 1e-7)       // separable: g(0)²
        #expect(abs(spread[4 * 9 + 5] - spread[5 * 9 + 4]) < 1e-7 && abs(spread[3 * 9 + 4] - spread[4 * 9 + 5]) < 1e-7)
        // the center tap of a normalized Gaussian of σ = 1 is 1 / √(2π) up to the cut at 3σ
        #expect(abs(blur.taps[3] - 0.39894) < 2e-3)
        expectLRPError("sigma") { _ = try GaussianBlur(sigma: 0) }
    }
}
