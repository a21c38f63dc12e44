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
        var output = Tensor(zerosWithValidShape: shape)
        var indices = [Int32](repeating: 0, count: output.count)
        let planes = shape[0] * shape[1]
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                indices.withUnsafeMutableBufferPointer { arg in
                    Parallel.forEachRange(of: planes) { range in
                        for plane in range {
                            let inBase = plane &* height &* width
                            var outIndex = plane &* outHeight &* outWidth
                            for outRow in 0..<outHeight {
                                for outColumn in 0..<outWidth {
                                    var best = -Float.infinity
                                    var bestIndex = -1
                                    window.forEachInput(outRow, outColumn, height, width) { row, column in
                                        let index = inBase &+ row &* width &+ column
                                        // strict `>` keeps the first maximum; NaN wins so it is not hidden
                                        if bestIndex < 0 || x[index] > best || (x[index].isNaN && !best.isNaN) {
                                            best = x[index]
                                            bestIndex = index
                                        }
                                    }
                                    y[outIndex] = best
                                    arg[outIndex] = Int32(truncatingIfNeeded: bestIndex)
                                    outIndex &+= 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return LayerRecord(output: output, indices: indices)
    }

    public func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor {
        guard record.indices.count == record.output.count else {
            throw LRPError(.shape, "MaxPool: the forward record holds no arg-max indices")
        }
        var gradInput = Tensor(zerosWithValidShape: input.shape)
        gradOutput.withUnsafeBufferPointer { g in
            gradInput.withUnsafeMutableBufferPointer { dx in
                for (outIndex, inIndex) in record.indices.enumerated() {
                    dx[Int(inIndex)] += g[outIndex]
                }
            }
        }
        return gradInput
    }
}
