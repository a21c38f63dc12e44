/// How ``Convolution2D`` computes its forward and transposed products.
///
/// ```swift
/// var conv = try Convolution2D(weight: w, bias: nil, padding: Padding2D(1))
/// conv.algorithm = .im2col                                       // force one, e.g. to compare
/// conv.resolvedAlgorithm(.forward, inputShape: [64, 64, 32, 32])     // .winograd2 under .automatic
/// conv.resolvedAlgorithm(.inference, inputShape: [64, 64, 32, 32])   // .winograd4 under .automatic
/// ```
public enum ConvolutionAlgorithm: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Per direction and layer shape, by a cost model measured on this engine: Winograd F(2×2, 3×3) for 3×3
    /// stride-1 convolutions with at least ``Convolution2D/winogradMinimumChannels`` channels on both sides
    /// where its products and data transforms cost less than im2col + GEMM (the weight's transform is made once
    /// and kept): on outputs of 2×2 and more, unless few channels or an odd size leave the data transforms too
    /// large a share; im2col otherwise. Transposed products onto inputs of at least
    /// ``Convolution2D/winograd4MinimumSide`` on a side take F(4×4, 3×3) instead: fewer multiplications, and
    /// its float32 error there (about 1e-5 of the relevance's scale on VGG-11) is not divided by anything, while in forward
    /// products, whose outputs become LRP's denominators, it reached 6e-3 against Zennit's float64 relevance on
    /// the demo network (F(2,3): below 7e-4), so forward products for LRP never take it. Inference alone
    /// (``ConvolutionProduct/inference``), whose outputs nothing divides by, takes F(4×4, 3×3) on outputs of
    /// at least ``Convolution2D/inferenceWinograd4MinimumSide`` on a side (its weight transform is kept beside
    /// the others: 4× the weight's memory). The choice does not depend on the batch,
    /// so that a batch explains to the same bits whole, in chunks or in shards.
    case automatic
    /// Unfold the receptive fields (im2col) and multiply with one GEMM per chunk of images.
    case im2col
    /// Winograd F(2×2, 3×3): 2.25× fewer multiplications; transforms with entries 0, ±1, ±½.
    case winograd2
    /// Winograd F(4×4, 3×3): 4× fewer multiplications on large outputs, but transforms with entries up to 8
    /// and 1/24 that cost float32 accuracy (in forward products too, relevance up to 6e-3 from Zennit's float64
    /// result on the demo network, against 2e-5 for im2col): automatic for transposed products and inference.
    case winograd4

    public var description: String {
        switch self {
        case .automatic: "automatic"
        case .im2col: "im2col"
        case .winograd2: "Winograd F(2,3)"
        case .winograd4: "Winograd F(4,3)"
        }
    }
}

/// Which of a convolution's products an algorithm is picked for (``Convolution2D/resolvedAlgorithm(_:inputShape:)``).
public enum ConvolutionProduct: Sendable {
    /// A forward product for LRP: the recorded forward pass and every rule's modified-weight products, whose
    /// outputs become LRP's denominators.
    case forward
    /// The transposed product: the input gradient, and LRP's redistribution.
    case transposed
    /// The forward pass of inference alone (``Model/forward(_:)``: prediction, evaluation), which nothing
    /// divides by.
    case inference
}

extension Convolution2D {
    /// The fewest channels on either side of a product for which ``ConvolutionAlgorithm/automatic`` takes
    /// Winograd: with fewer, its small GEMMs and the transforms cost more than they save (measured: the first
    /// layer of a CIFAR network, 3 → 64 channels, runs faster as im2col in both directions).
    public static let winogradMinimumChannels = 16

    /// The smallest side of a transposed product's result (the layer's input) on which
    /// ``ConvolutionAlgorithm/automatic`` takes F(4×4, 3×3): from four tiles a side on, where its kept
    /// transforms (4× the weight's memory, against 16/9 for F(2,3)) belong to layers with few channels. On
    /// VGG-11 also taking it at 8×8 measured no faster and raised γ's peak memory by 28 MiB.
    public static let winograd4MinimumSide = 16

    /// The smallest side of an inference output on which ``ConvolutionAlgorithm/automatic`` takes F(4×4, 3×3):
    /// two tiles a side. Measured forward alone on ResNet-18 and VGG-11 (batch 64, Intel Xeon with AVX-512,
    /// November 2026): 15–40% less time than F(2,3) on 8×8 to 32×32 outputs, 3× more on 2×2; with this
    /// threshold at 4, `lrp predict` was no faster and took 35–60 MiB more for the kept transforms.
    public static let inferenceWinograd4MinimumSide = 8

    /// The algorithm the layer uses for `product` on an input of `inputShape` (`NCHW`): never
    /// ``ConvolutionAlgorithm/automatic``.
    public func resolvedAlgorithm(_ product: ConvolutionProduct, inputShape: [Int]) -> ConvolutionAlgorithm {
        switch winograd(product, inputShape: inputShape)?.tile {
        case 2: .winograd2
        case 4: .winograd4
        default: .im2col
        }
    }

    /// Whether Winograd's method computes this layer's product at all: 3×3, stride 1, no dilation, no groups,
    /// padding at most 2 on each side (so that the transposed product is a convolution with padding `2 − p`).
    var supportsWinograd: Bool {
        window.kernel == Size2D(3) && window.stride == Size2D(1) && window.dilation == Size2D(1) && groups == 1
            && [window.padding.top, window.padding.left, window.padding.bottom, window.padding.right].allSatisfy { (0...2).contains($0) }
    }

    /// The Winograd variant for a product, or `nil` for im2col (also for planes of 16384 or more on a side, whose
    /// padded copies would outgrow the input transform's 32-bit offsets).
    func winograd(_ product: ConvolutionProduct, inputShape: [Int]) -> Winograd? {
        guard supportsWinograd, inputShape.count == 4, inputShape[2] < 1 << 14, inputShape[3] < 1 << 14 else { return nil }
        switch algorithm {
        case .im2col: return nil
        case .winograd2: return .f2
        case .winograd4: return .f4
        case .automatic:
            guard min(inputChannels, outputChannels) >= Self.winogradMinimumChannels,
                  let output = try? window.outputSize(layer: "Conv", height: inputShape[2], width: inputShape[3])
            else { return nil }
            // the transposed product's output is the layer's input
            let (height, width) = product == .transposed ? (inputShape[2], inputShape[3]) : (output.height, output.width)
            switch product {
            case .transposed where min(height, width) >= Self.winograd4MinimumSide: return .f4
            case .inference where min(height, width) >= Self.inferenceWinograd4MinimumSide: return .f4
            default: break
            }
            let cost = Winograd.f2.relativeCost(height: height, width: width, inputs: inputChannels, outputs: outputChannels)
            return cost < Winograd.im2colCost ? .f2 : nil
        }
    }

    /// The forward product (`transposed == false`, plus `bias` when given, rectified as ReLU's `max(·, 0)` with
    /// `rectified`) or the transposed product by Winograd's method, on the batch in chunks that fit the workers' workspace budgets. The weight's
    /// transform comes from `transforms` when given (the layer's own weight, kept between calls), else is made
    /// for this call.
    func winogradProduct(
        _ source: Tensor, weight: Tensor, bias: Tensor? = nil, rectified: Bool = false, winograd: Winograd, transposed: Bool,
        outputShape: [Int], transforms: WinogradWeightCache?
    ) -> Tensor {
        precondition(!transposed || (bias == nil && !rectified), "a transposed product has no bias and no ReLU")
        let (height, width) = (source.shape[2], source.shape[3])
        let padding = window.padding
        let problem = transposed
            ? Winograd.Problem(inputChannels: outputChannels, outputChannels: inputChannels, inputHeight: height,
                               inputWidth: width, padTop: 2 - padding.top, padLeft: 2 - padding.left,
                               outputHeight: outputShape[2], outputWidth: outputShape[3])
            : Winograd.Problem(inputChannels: inputChannels, outputChannels: outputChannels, inputHeight: height,
                               inputWidth: width, padTop: padding.top, padLeft: padding.left,
                               outputHeight: outputShape[2], outputWidth: outputShape[3])
        let flipped = transposed && !winograd.flipsByPermutation
        let make = {
            weight.withUnsafeBufferPointer {
                winograd.transformedWeights($0.baseAddress!, outputs: outputChannels, inputs: inputChannels, flipped: flipped)
            }
        }
        let transform = transforms?.transform(tile: winograd.tile, flipped: flipped, make: make) ?? make()
        let batch = source.shape[0]
        // the workers share each chunk (see `Winograd.convolve`), so a chunk may use all their budgets
        let chunkSize = min(batch, winograd.maximumImages(problem),
                            max(1, workspaceBudget * Parallel.workerCount / winograd.workspacePerImage(problem)))
        let size = winograd.workspaceSize(problem, images: chunkSize)
        let workspace = UnsafeMutablePointer<Float>.allocate(capacity: size)
        defer { workspace.deallocate() }
        // the tiles cover every output element, so the output needs no zeroing first
        let count = outputShape.reduce(1, *)
        let scalars = [Float](unsafeUninitializedCapacity: count) { y, initialized in
            source.withUnsafeBufferPointer { x in
                transform.withUnsafeBufferPointer { u in
                    (bias?.scalars ?? []).withUnsafeBufferPointer { b in
                        for start in stride(from: 0, to: batch, by: chunkSize) {
                            winograd.convolve(
                                x.baseAddress! + start &* problem.inputImageSize, images: min(chunkSize, batch - start),
                                problem: problem, weights: u.baseAddress!, transposedWeights: transposed, flippedWeights: flipped,
                                bias: bias == nil ? nil : b.baseAddress, rectified: rectified, workspace: workspace,
                                output: y.baseAddress! + start &* problem.outputImageSize)
                        }
                    }
                }
            }
            initialized = count
        }
        return Tensor(validShape: outputShape, scalars: scalars)
    }
}
