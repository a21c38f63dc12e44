import CWinograd
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

/// Winograd's method against the direct definition (float64), both tile sizes, every padding it takes.
@Suite struct Convolution2DWinogradTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let algorithm: ConvolutionAlgorithm
        let padding: Padding2D
        let height: Int, width: Int
        var testDescription: String { "\(algorithm) \(height)×\(width) p \(padding)" }
    }

    static let cases: [Case] = [ConvolutionAlgorithm.winograd2, .winograd4].flatMap { algorithm in
        [Padding2D(0), Padding2D(1), Padding2D(2), Padding2D(top: 0, left: 1, bottom: 2, right: 1)].flatMap { padding in
            [(7, 6), (5, 9), (3, 3), (17, 18)].map { Case(algorithm: algorithm, padding: padding, height: $0.0, width: $0.1) }
        }
    }

    static func layer(_ setup: Case, seed: UInt64) throws -> (Convolution2D, SeededGenerator) {
        var generator = SeededGenerator(seed: seed)
        var conv = try Convolution2D(weight: .random([6, 4, 3, 3], using: &generator), bias: .random([6], using: &generator),
                                     padding: setup.padding)
        conv.algorithm = setup.algorithm
        return (conv, generator)
    }

    @Test(arguments: cases)
    func forwardMatchesDirectDefinition(_ setup: Case) throws {
        var (conv, generator) = try Self.layer(setup, seed: 21)
        let x = Tensor.random([3, 4, setup.height, setup.width], using: &generator)
        #expect(conv.resolvedAlgorithm(.forward, inputShape: x.shape) == setup.algorithm)
        let expected = NaiveReference.convolution(x, weight: conv.weight, bias: conv.bias, stride: Size2D(1),
                                                  padding: setup.padding, dilation: Size2D(1), groups: 1)
        let y = try conv.forward(x)
        #expect(y.shape == expected.shape)
        expectClose(y.scalars, expected.values, tolerance: 1e-5)
        // chunks of one image give the same sums
        conv.workspaceBudget = 1
        expectClose(try conv.forward(x).scalars, y.scalars.map(Double.init), tolerance: 1e-6)
    }

    @Test(arguments: cases)
    func transposedEqualsIm2col(_ setup: Case) throws {
        var (conv, generator) = try Self.layer(setup, seed: 22)
        let inputShape = [3, 4, setup.height, setup.width]
        let output = try conv.outputShape(for: inputShape)
        let gradient = Tensor.random(output, using: &generator)
        let winograd = try conv.transposed(gradient, weight: conv.weight, inputShape: inputShape)
        conv.algorithm = .im2col
        let reference = try conv.transposed(gradient, weight: conv.weight, inputShape: inputShape)
        expectClose(winograd.scalars, reference.scalars.map(Double.init), tolerance: 1e-5)
    }

    @Test(arguments: cases)
    func transposedIsTheAdjoint(_ setup: Case) throws {
        let (conv, _) = try Self.layer(setup, seed: 23)
        try expectAdjointIdentity(affine: conv, inputShape: [2, 4, setup.height, setup.width])
    }

    /// Inference alone computes the forward pass, with ReLU applied in the output transform when asked: the same
    /// bits as the forward pass and a separate ReLU, NaN kept as ReLU keeps it.
    @Test(arguments: cases)
    func inferenceOutputIsTheForwardRectifiedOnRequest(_ setup: Case) throws {
        let (conv, seeded) = try Self.layer(setup, seed: 28)
        var generator = seeded
        var x = Tensor.random([3, 4, setup.height, setup.width], using: &generator)
        x[5] = .nan
        #expect(conv.resolvedAlgorithm(.inference, inputShape: x.shape) == setup.algorithm)
        let forward = try conv.forward(x)
        let (plain, rectified) = (try conv.inferenceOutput(x, rectified: false), try conv.inferenceOutput(x, rectified: true))
        let relu = try ReLU().forward(forward)
        expectSameBits(plain, forward)
        expectSameBits(rectified, relu)
        #expect(rectified.scalars.contains { $0.isNaN } && rectified.scalars.contains(0) && rectified.scalars.allSatisfy { !($0 < 0) })
        // without a bias, the output transform's `+ 0` and the rectification together still give ReLU's bits
        let unbiased = try Convolution2D(weight: conv.weight, bias: nil, padding: setup.padding)
        var forced = unbiased
        forced.algorithm = setup.algorithm
        expectSameBits(try forced.inferenceOutput(x, rectified: true), try ReLU().forward(forced.forward(x)))
    }

    @Test func substituteWeightsAreTransformedPerCall() throws {
        var generator = SeededGenerator(seed: 24)
        var conv = try Convolution2D(weight: .random([6, 4, 3, 3], using: &generator), bias: nil, padding: Padding2D(1))
        conv.algorithm = .winograd4
        let x = Tensor.random([2, 4, 8, 8], using: &generator)
        let plain = try conv.forward(x)   // caches the transform of the layer's own weight
        let doubled = try Tensor(shape: conv.weight.shape, scalars: conv.weight.scalars.map { 2 * $0 })
        expectClose(try conv.forward(x, weight: doubled, bias: nil).scalars, plain.scalars.map { 2 * Double($0) })
        let g = Tensor.random(plain.shape, using: &generator)
        let gradient = try conv.transposed(g, weight: conv.weight, inputShape: x.shape)
        expectClose(try conv.transposed(g, weight: doubled, inputShape: x.shape).scalars, gradient.scalars.map { 2 * Double($0) })
    }

    @Test func flippingPermutesTheF2TransformExactly() throws {
        var generator = SeededGenerator(seed: 25)
        let weight = Tensor.random([5, 3, 3, 3], using: &generator)
        func transform(_ winograd: Winograd, flipped: Bool) -> [Float] {
            weight.withUnsafeBufferPointer { winograd.transformedWeights($0.baseAddress!, outputs: 5, inputs: 3, flipped: flipped) }
        }
        let (plain, flipped) = (transform(.f2, flipped: false), transform(.f2, flipped: true))
        let matrix = 5 * 3
        for element in 0..<16 {
            let source = Winograd.f2.unflippedElement(element)
            #expect(Array(flipped[element * matrix ..< (element + 1) * matrix]) == Array(plain[source * matrix ..< (source + 1) * matrix]))
        }
        #expect([0, 3, 5, 15].map(Winograd.f2.unflippedElement) == [15, 12, 5, 0])
    }

    @Test(arguments: [ConvolutionAlgorithm.winograd2, .winograd4])
    func keptTransformsGiveTheProductsOfTheWeight(_ algorithm: ConvolutionAlgorithm) throws {
        var generator = SeededGenerator(seed: 26)
        var conv = try Convolution2D(weight: .random([6, 4, 3, 3], using: &generator), bias: .random([6], using: &generator),
                                     padding: Padding2D(1))
        conv.algorithm = algorithm
        let x = Tensor.random([2, 4, 9, 7], using: &generator)
        let g = Tensor.random(try conv.outputShape(for: x.shape), using: &generator)
        let product = try conv.forward(x, weight: conv.weight, bias: nil)
        let transposed = try conv.transposed(g, weight: conv.weight, inputShape: x.shape)
        for _ in 0..<2 {   // the first call makes the transforms, the second reuses them
            #expect(try conv.product(x).scalars == product.scalars)
            #expect(try conv.transposedProduct(g, inputShape: x.shape).scalars == transposed.scalars)
            #expect(try conv.forward(x).scalars == conv.forward(x, weight: conv.weight, bias: conv.bias).scalars)
        }
    }

    @Test func copiesWithAnotherAlgorithmShareTheTransformsCorrectly() throws {
        var generator = SeededGenerator(seed: 27)
        var conv = try Convolution2D(weight: .random([6, 4, 3, 3], using: &generator), bias: nil, padding: Padding2D(1))
        let x = Tensor.random([2, 4, 9, 7], using: &generator)
        let g = Tensor.random(try conv.outputShape(for: x.shape), using: &generator)
        var reference = conv
        reference.algorithm = .im2col
        let (product, transposed) = (try reference.product(x), try reference.transposedProduct(g, inputShape: x.shape))
        for algorithm in [ConvolutionAlgorithm.winograd2, .winograd4, .winograd2] {   // each copy finds the other's transforms kept
            conv.algorithm = algorithm
            expectClose(try conv.product(x).scalars, product.scalars.map(Double.init), tolerance: 1e-5)
            expectClose(try conv.transposedProduct(g, inputShape: x.shape).scalars, transposed.scalars.map(Double.init), tolerance: 1e-5)
        }
    }

    @Test(arguments: [Winograd.f2, .f4])
    func chunksKeepThePaddedPlanesWithin32BitOffsets(_ winograd: Winograd) {
        let problem = Winograd.Problem(inputChannels: 8, outputChannels: 8, inputHeight: 1000, inputWidth: 999, padTop: 1,
                                       padLeft: 1, outputHeight: 1000, outputWidth: 999)
        let most = winograd.maximumImages(problem)
        func fits(_ images: Int) -> Bool {
            var tiling = TileLayout(winograd: winograd, problem: problem, images: images).inputTiling
            let count = 16
            var offsets = [Int32](repeating: 0, count: count)
            return lrp_winograd_tile_offsets(Int32(winograd.tile), &tiling, count, &offsets) != 0
        }
        #expect(most > 0 && fits(most) && !fits(most + 1))
    }

    @Test func automaticPicksByShape() throws {
        func conv(_ inputs: Int, _ outputs: Int, stride: Int = 1, kernel: Int = 3) throws -> Convolution2D {
            try Convolution2D(weight: Tensor(shape: [outputs, inputs, kernel, kernel]), bias: nil,
                              stride: Size2D(stride), padding: Padding2D(kernel / 2))
        }
        // F(2,3) forward, whatever the batch, from 16 channels on outputs of 2×2 and more; transposed products onto
        // inputs of 16×16 and more take F(4,3), smaller ones F(2,3)
        #expect(try conv(256, 256).resolvedAlgorithm(.forward, inputShape: [32, 256, 8, 8]) == .winograd2)
        #expect(try conv(256, 256).resolvedAlgorithm(.transposed, inputShape: [1, 256, 8, 8]) == .winograd2)
        #expect(try conv(64, 128).resolvedAlgorithm(.transposed, inputShape: [32, 64, 16, 16]) == .winograd4)
        #expect(try conv(64, 128).resolvedAlgorithm(.forward, inputShape: [256, 64, 16, 16]) == .winograd2)
        #expect(try conv(64, 64).resolvedAlgorithm(.forward, inputShape: [32, 64, 4, 4]) == .winograd2)
        #expect(try conv(16, 16).resolvedAlgorithm(.forward, inputShape: [32, 16, 32, 32]) == .winograd2)
        #expect(try conv(3, 64).resolvedAlgorithm(.transposed, inputShape: [32, 3, 32, 32]) == .im2col)
        // a 2×2 output is one tile: with the weight's transform kept, F(2,3) measured about half of im2col's time
        // from 512→512 to 1024→1024
        #expect(try conv(512, 512).resolvedAlgorithm(.forward, inputShape: [32, 512, 2, 2]) == .winograd2)
        #expect(try conv(1024, 1024).resolvedAlgorithm(.transposed, inputShape: [32, 1024, 2, 2]) == .winograd2)
        // few channels on a 3×3 output: the data transforms outweigh the products saved
        #expect(try conv(16, 16).resolvedAlgorithm(.forward, inputShape: [32, 16, 3, 3]) == .im2col)
        // few channels, other geometry, or an output too small to tile
        #expect(try conv(3, 64).resolvedAlgorithm(.forward, inputShape: [32, 3, 32, 32]) == .im2col)
        #expect(try conv(8, 16).resolvedAlgorithm(.forward, inputShape: [32, 8, 32, 32]) == .im2col)
        #expect(try conv(64, 64, stride: 2).resolvedAlgorithm(.forward, inputShape: [32, 64, 32, 32]) == .im2col)
        #expect(try conv(64, 64, kernel: 1).resolvedAlgorithm(.forward, inputShape: [32, 64, 32, 32]) == .im2col)
        #expect(try conv(64, 64).resolvedAlgorithm(.forward, inputShape: [32, 64, 1, 1]) == .im2col)
        // inference alone (no LRP denominators) takes F(4,3) on outputs of 8×8 and more, F(2,3) below
        #expect(try conv(64, 64).resolvedAlgorithm(.inference, inputShape: [32, 64, 32, 32]) == .winograd4)
        #expect(try conv(256, 256).resolvedAlgorithm(.inference, inputShape: [32, 256, 8, 8]) == .winograd4)
        #expect(try conv(512, 512).resolvedAlgorithm(.inference, inputShape: [32, 512, 4, 4]) == .winograd2)
        #expect(try conv(512, 512).resolvedAlgorithm(.inference, inputShape: [32, 512, 2, 2]) == .winograd2)
        #expect(try conv(3, 64).resolvedAlgorithm(.inference, inputShape: [32, 3, 32, 32]) == .im2col)
        #expect(try conv(64, 64, stride: 2).resolvedAlgorithm(.inference, inputShape: [32, 64, 32, 32]) == .im2col)
    }
}
