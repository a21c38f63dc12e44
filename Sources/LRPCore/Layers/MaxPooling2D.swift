/// 2-D max pooling over `NCHW` batches. Padded positions never win; among equal values the first in
/// row-major window order wins (as PyTorch). The forward pass records each output's arg-max, and the
/// gradient routes to it.
///
/// ```swift
/// let pool = try MaxPooling2D(kernel: Size2D(2), stride: Size2D(2))
/// let y = try pool.forward(Tensor(shape: [1, 1, 2, 2], scalars: [1, 4, 3, 2]))   // [[[[4]]]]
/// ```
public struct MaxPooling2D: UnaryLayer {
    public let window: SlidingWindow

    public var operatorName: String { "MaxPool" }
    public var summary: String { "\(window.kernel)" + window.summary }

    public func flops(inputShapes: [[Int]], outputShape: [Int]) -> Int {
        saturatingProduct(outputShape + [window.kernel.height, window.kernel.width])
    }

    /// - Throws: `LRPError` for invalid window geometry.
    public init(kernel: Size2D, stride: Size2D, padding: Padding2D = .zero, dilation: Size2D = Size2D(1)) throws {
        window = try SlidingWindow(layer: "MaxPool", kernel: kernel, stride: stride, dilation: dilation, padding: padding)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let (batch, channels, height, width) = try imageDimensions(inputShape)
        let output = try window.outputSize(layer: operatorName, height: height, width: width)
        return [batch, channels, output.height, output.width]
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        try recordingForward(input).output
    }

    public func recordingForward(_ input: Tensor) throws -> LayerRecord {
        let shape = try outputShape(for: input.shape)
        let (height, width) = (input.shape[2], input.shape[3])
        let (outHeight, outWidth) = (shape[2], shape[3])
        // found once per call: each output row's window rows inside the image, and for each kernel column the
        // output columns whose window has that column inside the image
        let rowTaps = (0..<outHeight).map { window.taps(outputRow: $0, height: height) }
        let columnTaps = (0..<window.kernel.width).map { window.outputColumns(kernelColumn: $0, width: width, outputWidth: outWidth) }
        let (rowDilation, columnStride) = (window.dilation.height, window.stride.width)
        let count = shape.reduce(1, *)
        let planes = shape[0] * shape[1]
        // VGG's pooling: 2×2 windows, stride 2, every window inside the image
        let isPlainHalving = window.kernel == Size2D(2) && window.stride == Size2D(2) && window.dilation == Size2D(1)
            && window.padding == .zero && 2 * outHeight <= height && 2 * outWidth <= width
        var indices = [Int32]()
        let scalars = [Float](unsafeUninitializedCapacity: count) { y, initialized in
            indices = [Int32](unsafeUninitializedCapacity: count) { arg, initializedIndices in
                input.withUnsafeBufferPointer { x in
                    Parallel.forEachRange(of: planes) { range in
                        for plane in range where isPlainHalving {
                            Self.halve(x, plane: plane, height: height, width: width, outHeight: outHeight, outWidth: outWidth, y, arg)
                        }
                        for plane in range where !isPlainHalving {
                            for (outRow, rows) in rowTaps.enumerated() {
                                let outStart = (plane &* outHeight &+ outRow) &* outWidth
                                for column in 0..<outWidth { (y[outStart &+ column], arg[outStart &+ column]) = (-.infinity, -1) }
                                // tap by tap across the row (row-major window order for each output), so that
                                // the outputs' comparisons are independent of each other
                                for i in 0..<rows.count {
                                    let rowStart = (plane &* height &+ rows.first &+ i &* rowDilation) &* width
                                    for columns in columnTaps {
                                        for column in columns.outputs {
                                            let index = rowStart &+ columns.first &+ column &* columnStride
                                            Self.keepMaximum(x[index], at: index, in: &y[outStart &+ column], &arg[outStart &+ column])
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                initializedIndices = count
            }
            initialized = count
        }
        return LayerRecord(output: Tensor(validShape: shape, scalars: scalars), indices: indices)
    }

    /// One plane of a 2×2, stride-2 pooling whose windows all lie inside the image: each output's four values
    /// compared in registers, in the window's row-major order as the general path compares them, and stored once.
    /// Only this shape, unrolled: the same in-register loop over any window lying inside the image measured no
    /// faster than the general path (`lrp predict`, VGG-11, 512 images: 1.45 s CPU against 1.44 s; this one 1.24 s).
    @inline(__always)
    private static func halve(
        _ x: UnsafeBufferPointer<Float>, plane: Int, height: Int, width: Int, outHeight: Int, outWidth: Int,
        _ y: UnsafeMutableBufferPointer<Float>, _ arg: UnsafeMutableBufferPointer<Int32>
    ) {
        for outRow in 0..<outHeight {
            let top = (plane &* height &+ 2 &* outRow) &* width
            let outStart = (plane &* outHeight &+ outRow) &* outWidth
            for column in 0..<outWidth {
                var (best, bestIndex): (Float, Int32) = (-.infinity, -1)
                let (upper, lower) = (top &+ 2 &* column, top &+ width &+ 2 &* column)
                keepMaximum(x[upper], at: upper, in: &best, &bestIndex)
                keepMaximum(x[upper &+ 1], at: upper &+ 1, in: &best, &bestIndex)
                keepMaximum(x[lower], at: lower, in: &best, &bestIndex)
                keepMaximum(x[lower &+ 1], at: lower &+ 1, in: &best, &bestIndex)
                (y[outStart &+ column], arg[outStart &+ column]) = (best, bestIndex)
            }
        }
    }

    /// Replaces `best` and `bestIndex` by `value` and `index` for the first value seen (`bestIndex < 0`) or one
    /// above `best`; strict `>` keeps the first maximum; NaN wins so it is not hidden, and stays. Masks, not
    /// branches: the comparisons are unpredictable.
    @inline(__always)
    private static func keepMaximum(_ value: Float, at index: Int, in best: inout Float, _ bestIndex: inout Int32) {
        let wins = bit(bestIndex < 0) | (bit(!(value <= best)) & bit(!best.isNaN))
        let mask = 0 &- UInt32(wins)
        bestIndex = Int32(bitPattern: (UInt32(truncatingIfNeeded: index) & mask) | (UInt32(bitPattern: bestIndex) & ~mask))
        best = Float(bitPattern: (value.bitPattern & mask) | (best.bitPattern & ~mask))
    }

    /// 1 for `true`, 0 for `false`, without a branch.
    @inline(__always)
    private static func bit(_ condition: Bool) -> UInt8 { unsafeBitCast(condition, to: UInt8.self) }

    public func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor {
        guard record.indices.count == record.output.count else {
            throw LRPError(.shape, "MaxPool: the forward record holds no arg-max indices")
        }
        try checkGradientShape(gradOutput, record: record)
        guard try outputShape(for: input.shape) == record.output.shape else {
            throw LRPError(.shape, "MaxPool: input \(describe(input.shape)) does not match the recorded output \(describe(record.output.shape))")
        }
        // each window lies in one plane: the workers take whole planes, zero them and add their outputs' gradients
        let planes = input.shape[0] * input.shape[1]
        let (inputPlane, outputPlane) = (input.count / max(planes, 1), record.output.count / max(planes, 1))
        let scalars = gradOutput.withUnsafeBufferPointer { g in
            record.indices.withUnsafeBufferPointer { indices in
                [Float](unsafeUninitializedCapacity: input.count) { dx, initialized in
                    Parallel.forEachRange(of: planes) { range in
                        let inputs = range.lowerBound &* inputPlane ..< range.upperBound &* inputPlane
                        UnsafeMutableBufferPointer(rebasing: dx[inputs]).initialize(repeating: 0)
                        for outIndex in range.lowerBound &* outputPlane ..< range.upperBound &* outputPlane {
                            dx[Int(indices[outIndex])] += g[outIndex]
                        }
                    }
                    initialized = input.count
                }
            }
        }
        return Tensor(validShape: input.shape, scalars: scalars)
    }
}
