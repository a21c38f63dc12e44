import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

/// One convolution configuration of the random-shape checks.
struct ConvolutionCase: Sendable, CustomTestStringConvertible {
    var batch = 2, inChannels = 4, outChannels = 6, height = 7, width = 6
    var kernel = Size2D(3), stride = Size2D(1), padding = Padding2D.zero, dilation = Size2D(1), groups = 1
    var testDescription: String {
        "in \(inChannels) out \(outChannels) \(height)×\(width) k \(kernel) s \(stride) p \(padding) d \(dilation) g \(groups)"
    }

    func layer(using generator: inout SeededGenerator) throws -> Convolution2D {
        try Convolution2D(
            weight: .random([outChannels, inChannels / groups, kernel.height, kernel.width], using: &generator),
            bias: .random([outChannels], using: &generator),
            stride: stride, padding: padding, dilation: dilation, groups: groups)
    }

    static let all: [ConvolutionCase] = {
        var cases: [ConvolutionCase] = []
        for stride in 1...2 { for padding in 0...2 { for dilation in 1...2 {
            cases.append(ConvolutionCase(stride: Size2D(stride), padding: Padding2D(padding), dilation: Size2D(dilation)))
        } } }
        cases.append(ConvolutionCase(groups: 2))
        cases.append(ConvolutionCase(stride: Size2D(2), padding: Padding2D(1), groups: 2))
        cases.append(ConvolutionCase(inChannels: 4, outChannels: 4, padding: Padding2D(1), groups: 4))      // depthwise
        cases.append(ConvolutionCase(inChannels: 4, outChannels: 8, stride: Size2D(2), padding: Padding2D(1), groups: 4)) // depthwise ×2
        cases.append(ConvolutionCase(kernel: Size2D(2, 3), stride: Size2D(1, 2), padding: Padding2D(top: 0, left: 1, bottom: 1, right: 2)))
        cases.append(ConvolutionCase(kernel: Size2D(1), stride: Size2D(2)))
        return cases
    }()
}

@Suite struct Convolution2DTests {
    @Test func handComputedStridedPaddedSum() throws {
        // 3×3 image 1…9, a 2×2 kernel of ones, padding 1, stride 2: windows hold {1}, {2,3}, {4,7}, {5,6,8,9}
        let conv = try Convolution2D(weight: Tensor(shape: [1, 1, 2, 2], repeating: 1), bias: Tensor(shape: [1], scalars: [0.5]),
                                     stride: Size2D(2), padding: Padding2D(1))
        let y = try conv.forward(Tensor(shape: [1, 1, 3, 3], scalars: (1...9).map(Float.init)))
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.scalars == [1.5, 5.5, 11.5, 28.5])
    }

    @Test func handComputedDilationAndGradient() throws {
        // kernel [1, −1] dilated by 2 along the width: y = x[:, j] − x[:, j + 2]
        let conv = try Convolution2D(weight: Tensor(shape: [1, 1, 1, 2], scalars: [1, -1]), bias: nil, dilation: Size2D(1, 2))
        let x = try Tensor(shape: [1, 1, 1, 4], scalars: [1, 2, 4, 8])
        #expect(try conv.forward(x).scalars == [-3, -6])
        let dx = try conv.inputGradient(of: Tensor(shape: [1, 1, 1, 2], scalars: [1, 10]), input: x, record: conv.recordingForward(x))
        #expect(dx.scalars == [1, 10, -1, -10])
    }

    @Test(arguments: ConvolutionCase.all)
    func forwardMatchesDirectDefinition(_ setup: ConvolutionCase) throws {
        var generator = SeededGenerator(seed: 1)
        let conv = try setup.layer(using: &generator)
        let x = Tensor.random([setup.batch, setup.inChannels, setup.height, setup.width], using: &generator)
        let expected = NaiveReference.convolution(x, weight: conv.weight, bias: conv.bias, stride: setup.stride,
                                                  padding: setup.padding, dilation: setup.dilation, groups: setup.groups)
        let y = try conv.forward(x)
        #expect(y.shape == expected.shape)
        expectClose(y.scalars, expected.values)
    }

    /// Inference alone (im2col on these shapes) is the forward pass, with ReLU applied in the bias pass when
    /// asked: the same bits as a separate ReLU.
    @Test(arguments: ConvolutionCase.all)
    func inferenceOutputIsTheForwardRectifiedOnRequest(_ setup: ConvolutionCase) throws {
        var generator = SeededGenerator(seed: 5)
        let conv = try setup.layer(using: &generator)
        let x = Tensor.random([setup.batch, setup.inChannels, setup.height, setup.width], using: &generator)
        let forward = try conv.forward(x)
        expectSameBits(try conv.inferenceOutput(x, rectified: false), forward)
        expectSameBits(try conv.inferenceOutput(x, rectified: true), try ReLU().forward(forward))
    }

    @Test(arguments: ConvolutionCase.all)
    func inputGradientMatchesFiniteDifferences(_ setup: ConvolutionCase) throws {
        var generator = SeededGenerator(seed: 2)
        let conv = try setup.layer(using: &generator)
        let x = Tensor.random([1, setup.inChannels, setup.height, setup.width], using: &generator)
        try expectGradientMatchesFiniteDifferences(conv, inputs: [x])
    }

    @Test(arguments: ConvolutionCase.all)
    func transposedIsTheAdjoint(_ setup: ConvolutionCase) throws {
        var generator = SeededGenerator(seed: 3)
        try expectAdjointIdentity(affine: setup.layer(using: &generator),
                                  inputShape: [3, setup.inChannels, setup.height, setup.width])
    }

    @Test func chunkedBatchesGiveTheSameResult() throws {
        var generator = SeededGenerator(seed: 4)
        var conv = try ConvolutionCase(groups: 2).layer(using: &generator)
        let x = Tensor.random([7, 4, 7, 6], using: &generator)
        let gradient = Tensor.random([7, 6, 5, 4], using: &generator)
        let whole = (try conv.forward(x), try conv.transposed(gradient, weight: conv.weight, inputShape: x.shape))
        for budget in [1, 2 * 18 * 20, 3 * 18 * 20] {   // chunks of 1, 2 and 3 images (18 rows × 20 columns each)
            conv.workspaceBudget = budget
            // the same sums, possibly in another order inside OpenBLAS's edge tiles
            expectClose(try conv.forward(x).scalars, whole.0.scalars.map(Double.init), tolerance: 1e-6)
            expectClose(try conv.transposed(gradient, weight: conv.weight, inputShape: x.shape).scalars,
                        whole.1.scalars.map(Double.init), tolerance: 1e-6)
        }
    }

    @Test func substituteWeightsAreUsed() throws {
        var generator = SeededGenerator(seed: 5)
        let conv = try ConvolutionCase().layer(using: &generator)
        let doubled = try Tensor(shape: conv.weight.shape, scalars: conv.weight.scalars.map { 2 * $0 })
        let x = Tensor.random([1, 4, 7, 6], using: &generator)
        let plain = try conv.forward(x, weight: conv.weight, bias: nil)
        let twice = try conv.forward(x, weight: doubled, bias: nil)
        expectClose(twice.scalars, plain.scalars.map { 2 * Double($0) })
    }

    @Test func badInputIsAThrownErrorNamingTheLayerAndShapes() throws {
        let weight = try Tensor(shape: [2, 3, 3, 3])
        expectLRPError("Conv", "stride") { _ = try Convolution2D(weight: weight, bias: nil, stride: Size2D(0)) }
        expectLRPError("Conv", "padding", "larger") { _ = try Convolution2D(weight: weight, bias: nil, padding: Padding2D(3)) }
        expectLRPError("Conv", "negative") { _ = try Convolution2D(weight: weight, bias: nil, padding: Padding2D(-1)) }
        expectLRPError("Conv", "groups") { _ = try Convolution2D(weight: weight, bias: nil, groups: 3) }
        expectLRPError("Conv", "bias", "[3]") { _ = try Convolution2D(weight: weight, bias: Tensor(shape: [3])) }
        expectLRPError("Conv", "weight") { _ = try Convolution2D(weight: Tensor(shape: [2, 3, 3]), bias: nil) }
        let conv = try Convolution2D(weight: weight, bias: nil)
        expectLRPError("Conv", "[1, 4, 8, 8]", "4 channels") { _ = try conv.forward(Tensor(shape: [1, 4, 8, 8])) }
        expectLRPError("Conv", "smaller than the window") { _ = try conv.forward(Tensor(shape: [1, 3, 2, 8])) }
        expectLRPError("Conv", "[0, 3, 8, 8]") { _ = try conv.forward(Tensor(shape: [0, 3, 8, 8])) }
        expectLRPError("Conv", "[3, 8, 8]") { _ = try conv.forward(Tensor(shape: [3, 8, 8])) }
        expectLRPError("Conv", "gradient") {
            _ = try conv.transposed(Tensor(shape: [1, 2, 5, 5]), weight: weight, inputShape: [1, 3, 8, 8])
        }
        expectLRPError("Conv", "weight of shape") {
            _ = try conv.forward(Tensor(shape: [1, 3, 8, 8]), weight: Tensor(shape: [2, 3, 2, 2]), bias: nil)
        }
    }
}
