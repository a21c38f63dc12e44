/// 2-D convolution (cross-correlation, as PyTorch and ONNX `Conv`) over `NCHW` batches. 3×3 stride-1
/// convolutions with enough channels run as Winograd minimal filtering, forward and transposed alike; the
/// others as im2col + GEMM on chunks of the batch in a reused workspace, with the transposed GEMM + col2im for
/// the input gradient (see ``ConvolutionAlgorithm``).
///
/// Weight shape `[outChannels, inChannels / groups, kernelHeight, kernelWidth]`; `groups` equal to the input
/// channels gives a depthwise convolution.
///
/// ```swift
/// let conv = try Convolution2D(weight: Tensor(shape: [8, 3, 3, 3], repeating: 0.1), bias: nil,
///                              padding: Padding2D(1))
/// let y = try conv.forward(Tensor(shape: [2, 3, 32, 32], repeating: 1))   // [2, 8, 32, 32]
/// ```
public struct Convolution2D: LinearLayer, UnaryInferenceLayer {
    public let weight: Tensor
    public let bias: Tensor?
    public let window: SlidingWindow
    public let groups: Int

    public var operatorName: String { "Conv" }
    public var inputChannels: Int { weight.shape[1] * groups }
    public var outputChannels: Int { weight.shape[0] }

    /// The column workspace one worker may use by default, in floats (4 MiB; larger budgets measured no faster).
    public static let defaultWorkspaceBudget = 1 << 20
    /// The column workspace one worker may use, in floats; the batch is processed in chunks that fit
    /// (at least one image per chunk), so memory does not grow with the batch.
    public var workspaceBudget = Convolution2D.defaultWorkspaceBudget
    /// How the products are computed; ``ConvolutionAlgorithm/automatic`` picks per direction and input size.
    public var algorithm = ConvolutionAlgorithm.automatic
    /// The Winograd transforms of ``weight``, kept for the products with the layer's own weight.
    let winogradWeights = WinogradWeightCache()

    /// - Throws: `LRPError` for a weight that is not 4-D, a bias of the wrong length, channels not divisible
    ///   by `groups`, or invalid window geometry.
    public init(
        weight: Tensor, bias: Tensor?, stride: Size2D = Size2D(1), padding: Padding2D = .zero,
        dilation: Size2D = Size2D(1), groups: Int = 1
    ) throws {
        guard weight.rank == 4, weight.shape.allSatisfy({ $0 > 0 }) else {
            throw LRPError(.shape, "Conv: weight must be [out, in/groups, kh, kw] with positive sizes, got \(describe(weight.shape))")
        }
        guard groups > 0, weight.shape[0] % groups == 0 else {
            throw LRPError(.parameter, "Conv: \(weight.shape[0]) output channels are not divisible into \(groups) groups")
        }
        if let bias, bias.shape != [weight.shape[0]] {
            throw LRPError(.shape, "Conv: bias of shape \(describe(bias.shape)) does not match \(weight.shape[0]) output channels")
        }
        self.window = try SlidingWindow(
            layer: "Conv", kernel: Size2D(weight.shape[2], weight.shape[3]), stride: stride,
            dilation: dilation, padding: padding)
        (self.weight, self.bias, self.groups) = (weight, bias, groups)
    }

    public var summary: String {
        "\(window.kernel), \(inputChannels)→\(outputChannels)" + window.summary
            + (groups > 1 ? ", groups \(groups)" : "") + (bias == nil ? ", no bias" : "")
    }

    public func flops(inputShapes: [[Int]], outputShape: [Int]) -> Int {
        saturatingProduct([2] + outputShape + weight.shape.dropFirst())
    }

    public func replacingParameters(weight: Tensor, bias: Tensor?) throws -> Convolution2D {
        try checkParameters(weight: weight, bias: bias)
        var layer = try Convolution2D(weight: weight, bias: bias, stride: window.stride, padding: window.padding,
                                      dilation: window.dilation, groups: groups)
        (layer.workspaceBudget, layer.algorithm) = (workspaceBudget, algorithm)
        return layer
    }

    public func stacking(_ weights: [Tensor]) throws -> (any LinearLayer)? {
        guard groups == 1 else { return nil }
        var layer = try Convolution2D(weight: try concatenatedWeights(weights), bias: nil, stride: window.stride,
                                      padding: window.padding, dilation: window.dilation)
        (layer.workspaceBudget, layer.algorithm) = (workspaceBudget, algorithm)
        return layer
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let (batch, channels, height, width) = try imageDimensions(inputShape)
        guard channels == inputChannels else {
            throw LRPError(.shape, "Conv: input \(describe(inputShape)) has \(channels) channels, the weight \(describe(weight.shape)) with \(groups) group(s) expects \(inputChannels)")
        }
        let output = try window.outputSize(layer: "Conv", height: height, width: width)
        return [batch, outputChannels, output.height, output.width]
    }

    public func forward(_ input: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        try checkParameters(weight: weight, bias: bias)
        return try forward(input, weight: weight, bias: bias, transforms: nil)
    }

    /// The forward pass with the layer's own parameters; the weight's Winograd transforms are kept for the
    /// next call.
    public func forward(_ input: Tensor) throws -> Tensor {
        try forward(input, weight: weight, bias: bias, transforms: winogradWeights)
    }

    func inferenceOutput(_ input: Tensor, rectified: Bool) throws -> Tensor {
        try forward(input, weight: weight, bias: bias, transforms: winogradWeights, product: .inference, rectified: rectified)
    }

    public func product(_ input: Tensor) throws -> Tensor {
        try forward(input, weight: weight, bias: nil, transforms: winogradWeights)
    }

    public func transposed(_ gradOutput: Tensor, weight: Tensor, inputShape: [Int]) throws -> Tensor {
        try checkParameters(weight: weight, bias: nil)
        return try transposed(gradOutput, weight: weight, inputShape: inputShape, transforms: nil)
    }

    public func transposedProduct(_ gradOutput: Tensor, inputShape: [Int]) throws -> Tensor {
        try transposed(gradOutput, weight: weight, inputShape: inputShape, transforms: winogradWeights)
    }

    /// The forward product for LRP (`product` `.forward`) or inference alone (`.inference`), with the Winograd
    /// transforms of `weight` from `transforms` when given, rectified as ReLU's `max(·, 0)` with `rectified`.
    private func forward(
        _ input: Tensor, weight: Tensor, bias: Tensor?, transforms: WinogradWeightCache?,
        product: ConvolutionProduct = .forward, rectified: Bool = false
    ) throws -> Tensor {
        let problem = try Problem(layer: self, inputShape: input.shape)
        if let winograd = winograd(product, inputShape: input.shape) {
            return winogradProduct(input, weight: weight, bias: bias, rectified: rectified, winograd: winograd, transposed: false,
                                   outputShape: problem.outputShape, transforms: transforms)
        }
        // every chunk's GEMM or scatter writes all of its outputs, so the output needs no zeroing first
        let count = problem.outputShape.reduce(1, *)
        let scalars = [Float](unsafeUninitializedCapacity: count) { y, initialized in
            input.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    problem.forEachChunk { chunk, columns, staging in
                        for group in 0..<groups {
                            Im2col.unfold(
                                x.baseAddress! + (chunk.lowerBound &* problem.inputImageSize &+ group &* problem.groupInputSize),
                                imageStride: problem.inputImageSize, images: chunk.count,
                                channels: problem.groupInChannels, geometry: problem.geometry, into: columns)
                            problem.multiply(
                                weight: w.baseAddress! + group &* problem.groupOutChannels &* problem.kernelSize,
                                columns: columns, images: chunk.count, staging: staging,
                                output: y.baseAddress! + (chunk.lowerBound &* problem.outputImageSize
                                    &+ group &* problem.groupOutputSize))
                        }
                    }
                }
            }
            initialized = count
        }
        var output = Tensor(validShape: problem.outputShape, scalars: scalars)
        addBias(bias, rectifying: rectified, to: &output, planeSize: problem.geometry.planeSize)
        return output
    }

    /// The transposed product, with the Winograd transforms of `weight` from `transforms` when given.
    private func transposed(
        _ gradOutput: Tensor, weight: Tensor, inputShape: [Int], transforms: WinogradWeightCache?
    ) throws -> Tensor {
        let problem = try Problem(layer: self, inputShape: inputShape)
        guard gradOutput.shape == problem.outputShape else {
            throw LRPError(.shape, "Conv: gradient of shape \(describe(gradOutput.shape)) does not match the output shape \(describe(problem.outputShape)) for input \(describe(inputShape))")
        }
        if let winograd = winograd(.transposed, inputShape: inputShape) {
            return winogradProduct(gradOutput, weight: weight, winograd: winograd, transposed: true, outputShape: inputShape,
                                   transforms: transforms)
        }
        var gradInput = Tensor(zerosWithValidShape: inputShape)
        gradOutput.withUnsafeBufferPointer { g in
            weight.withUnsafeBufferPointer { w in
                gradInput.withUnsafeMutableBufferPointer { dx in
                    problem.forEachChunk { chunk, columns, staging in
                        for group in 0..<groups {
                            problem.multiplyTransposed(
                                weight: w.baseAddress! + group &* problem.groupOutChannels &* problem.kernelSize,
                                gradient: g.baseAddress! + (chunk.lowerBound &* problem.outputImageSize
                                    &+ group &* problem.groupOutputSize),
                                images: chunk.count, staging: staging, columns: columns)
                            Im2col.fold(
                                columns, images: chunk.count, channels: problem.groupInChannels,
                                geometry: problem.geometry,
                                into: dx.baseAddress! + (chunk.lowerBound &* problem.inputImageSize
                                    &+ group &* problem.groupInputSize),
                                imageStride: problem.inputImageSize)
                        }
                    }
                }
            }
        }
        return gradInput
    }
}

/// Adds a per-channel bias (when given) to an `NCHW` (or `[N, C]` with `planeSize` 1) tensor, and with
/// `rectifying` applies ReLU's `max(·, 0)`, in one pass with the planes split across the workers.
func addBias(_ bias: Tensor?, rectifying: Bool, to tensor: inout Tensor, planeSize: Int) {
    guard bias != nil || rectifying else { return }
    let channels = bias?.count ?? 1
    (bias?.scalars ?? [0]).withUnsafeBufferPointer { b in
        tensor.withUnsafeMutableBufferPointer { y in
            Parallel.forEachRange(of: y.count / planeSize) { planes in
                for plane in planes {
                    let value = b[plane % channels]
                    let elements = plane &* planeSize ..< (plane &+ 1) &* planeSize
                    if rectifying {
                        for index in elements { y[index] = max(y[index] + value, 0) }
                    } else {
                        for index in elements { y[index] += value }
                    }
                }
            }
        }
    }
}

extension Convolution2D {
    /// The sizes of one convolution call and the chunked GEMMs that compute it.
    struct Problem {
        let geometry: Im2col.Geometry
        let outputShape: [Int]
        let batch: Int
        let groupInChannels: Int
        let groupOutChannels: Int
        let kernelSize: Int          // rows of the column matrix: inChannels/groups · kh · kw
        let inputImageSize: Int
        let outputImageSize: Int
        let groupInputSize: Int
        let groupOutputSize: Int
        let chunkSize: Int

        init(layer: Convolution2D, inputShape: [Int]) throws {
            outputShape = try layer.outputShape(for: inputShape)
            geometry = Im2col.Geometry(
                window: layer.window, inputHeight: inputShape[2], inputWidth: inputShape[3],
                output: Size2D(outputShape[2], outputShape[3]))
            batch = inputShape[0]
            groupInChannels = layer.weight.shape[1]
            groupOutChannels = layer.outputChannels / layer.groups
            kernelSize = groupInChannels * layer.window.kernel.height * layer.window.kernel.width
            inputImageSize = inputShape[1] * geometry.inputPlaneSize
            outputImageSize = layer.outputChannels * geometry.planeSize
            groupInputSize = groupInChannels * geometry.inputPlaneSize
            groupOutputSize = groupOutChannels * geometry.planeSize
            chunkSize = max(1, layer.workspaceBudget / max(1, kernelSize * geometry.planeSize))
        }

        /// Splits the batch into one range per worker and each range into chunks, giving each range its own
        /// column workspace and staging buffer (for the chunk layout), allocated once per call.
        func forEachChunk(_ body: (Range<Int>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
            Parallel.forEachRange(of: batch) { share in
                let images = min(chunkSize, share.count)
                let columns = UnsafeMutablePointer<Float>.allocate(capacity: kernelSize * images * geometry.planeSize)
                let staging = UnsafeMutablePointer<Float>.allocate(
                    capacity: images > 1 ? groupOutChannels * images * geometry.planeSize : 0)
                defer { columns.deallocate(); staging.deallocate() }
                for start in stride(from: share.lowerBound, to: share.upperBound, by: images) {
                    body(start ..< min(start + images, share.upperBound), columns, staging)
                }
            }
        }

        /// `output[group] = W[group] · columns` for a chunk; one image writes straight into `NCHW`.
        func multiply(
            weight: UnsafePointer<Float>, columns: UnsafePointer<Float>, images: Int,
            staging: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
        ) {
            let width = images * geometry.planeSize
            let target = images == 1 ? output : staging
            product(transposeA: false, m: groupOutChannels, n: width, k: kernelSize,
                    a: weight, lda: kernelSize, b: columns, ldb: width, c: target, ldc: width)
            if images > 1 {
                Im2col.scatter(staging, images: images, rows: groupOutChannels, planeSize: geometry.planeSize,
                               into: output, imageStride: outputImageSize)
            }
        }

        /// `columns = W[group]ᵀ · gradient[group]` for a chunk.
        func multiplyTransposed(
            weight: UnsafePointer<Float>, gradient: UnsafePointer<Float>, images: Int,
            staging: UnsafeMutablePointer<Float>, columns: UnsafeMutablePointer<Float>
        ) {
            let width = images * geometry.planeSize
            var source = gradient
            if images > 1 {
                Im2col.gather(gradient, imageStride: outputImageSize, images: images, rows: groupOutChannels,
                              planeSize: geometry.planeSize, into: staging)
                source = UnsafePointer(staging)
            }
            product(transposeA: true, m: kernelSize, n: width, k: groupOutChannels,
                    a: weight, lda: kernelSize, b: source, ldb: width, c: columns, ldc: width)
        }

        /// One GEMM: on this worker when the batch is split across workers, else split by columns.
        private func product(
            transposeA: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
            b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int
        ) {
            if batch == 1 {
                BLAS.parallelGEMM(transposeA: transposeA, transposeB: false, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
            } else {
                BLAS.gemm(transposeA: transposeA, transposeB: false, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
            }
        }
    }
}
