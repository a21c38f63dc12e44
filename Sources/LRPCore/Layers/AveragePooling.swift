/// 2-D average pooling over `NCHW` batches. With `countIncludePad` the divisor is the full window
/// (ONNX `count_include_pad = 1`); without, only the positions inside the image count.
/// Linear in its input: the gradient spreads each output's gradient evenly over its window.
///
/// ```swift
/// let pool = try AveragePooling2D(kernel: Size2D(2), stride: Size2D(2))
/// let y = try pool.forward(Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 6]))   // [[[[3]]]]
/// ```
public struct AveragePooling2D: UnaryLayer {
    public let window: SlidingWindow
    public let countIncludePad: Bool

    public var operatorName: String { "AveragePool" }
    public var summary: String { "\(window.kernel)" + window.summary + (countIncludePad ? ", padding counted" : "") }

    public func flops(inputShapes: [[Int]], outputShape: [Int]) -> Int {
        saturatingProduct(outputShape + [window.kernel.height, window.kernel.width])
    }

    /// - Throws: `LRPError` for invalid window geometry.
    public init(
        kernel: Size2D, stride: Size2D, padding: Padding2D = .zero, dilation: Size2D = Size2D(1),
        countIncludePad: Bool = false
    ) throws {
        window = try SlidingWindow(layer: "AveragePool", kernel: kernel, stride: stride, dilation: dilation, padding: padding)
        self.countIncludePad = countIncludePad
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let (batch, channels, height, width) = try imageDimensions(inputShape)
        let output = try window.outputSize(layer: operatorName, height: height, width: width)
        return [batch, channels, output.height, output.width]
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        let shape = try outputShape(for: input.shape)
        var output = Tensor(zerosWithValidShape: shape)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                forEachWindow(inputShape: input.shape, outputShape: shape) { outIndex, inIndex, weight in
                    y[outIndex] += weight * x[inIndex]
                }
            }
        }
        return output
    }

    public func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor {
        var gradInput = Tensor(zerosWithValidShape: input.shape)
        gradOutput.withUnsafeBufferPointer { g in
            gradInput.withUnsafeMutableBufferPointer { dx in
                forEachWindow(inputShape: input.shape, outputShape: gradOutput.shape) { outIndex, inIndex, weight in
                    dx[inIndex] += weight * g[outIndex]
                }
            }
        }
        return gradInput
    }

    /// Visits every (output, input inside its window) pair with the averaging weight `1 / divisor`,
    /// image planes split across workers (each plane's indices are written by one worker only).
    private func forEachWindow(inputShape: [Int], outputShape: [Int], _ body: (Int, Int, Float) -> Void) {
        let (height, width) = (inputShape[2], inputShape[3])
        let (outHeight, outWidth) = (outputShape[2], outputShape[3])
        let fullWindow = window.kernel.height * window.kernel.width
        Parallel.forEachRange(of: outputShape[0] * outputShape[1]) { planes in
            for plane in planes {
                let inBase = plane &* height &* width
                var outIndex = plane &* outHeight &* outWidth
                for outRow in 0..<outHeight {
                    for outColumn in 0..<outWidth {
                        var inside = 0
                        window.forEachInput(outRow, outColumn, height, width) { _, _ in inside &+= 1 }
                        let weight = 1 / Float(countIncludePad ? fullWindow : inside)
                        window.forEachInput(outRow, outColumn, height, width) { row, column in
                            body(outIndex, inBase &+ row &* width &+ column, weight)
                        }
                        outIndex &+= 1
                    }
                }
            }
        }
    }
}

/// The mean over height and width of an `NCHW` batch (ONNX `GlobalAveragePool`, or `ReduceMean` over axes
/// 2 and 3). Output `[N, C, 1, 1]`, or `[N, C]` without `keepDimensions`.
///
/// ```swift
/// let y = try GlobalAveragePooling(keepDimensions: false).forward(Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 6]))  // [[3]]
/// ```
public struct GlobalAveragePooling: UnaryLayer {
    public let keepDimensions: Bool

    public init(keepDimensions: Bool = true) { self.keepDimensions = keepDimensions }

    public var operatorName: String { keepDimensions ? "GlobalAveragePool" : "ReduceMean" }

    public func flops(inputShapes: [[Int]], outputShape: [Int]) -> Int { inputShapes.first.map(saturatingProduct) ?? 0 }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let (batch, channels, _, _) = try imageDimensions(inputShape)
        return keepDimensions ? [batch, channels, 1, 1] : [batch, channels]
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        let shape = try outputShape(for: input.shape)
        let plane = input.shape[2] * input.shape[3]
        let means = input.withUnsafeBufferPointer { x in
            (0 ..< shape[0] * shape[1]).map { channel in
                var sum: Float = 0
                for index in channel &* plane ..< (channel &+ 1) &* plane { sum += x[index] }
                return sum / Float(plane)
            }
        }
        return Tensor(validShape: shape, scalars: means)
    }

    public func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor {
        let plane = input.shape[2] * input.shape[3]
        let scale = 1 / Float(plane)
        var scalars = [Float]()
        scalars.reserveCapacity(input.count)
        for value in gradOutput.scalars {
            scalars.append(contentsOf: repeatElement(value * scale, count: plane))
        }
        return Tensor(validShape: input.shape, scalars: scalars)
    }
}
