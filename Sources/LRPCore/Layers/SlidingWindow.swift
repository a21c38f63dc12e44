/// A height and a width: kernel sizes, strides and dilations of 2-D layers.
public struct Size2D: Sendable, Hashable, CustomStringConvertible {
    public var height: Int
    public var width: Int

    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }

    /// The same size in both directions.
    public init(_ both: Int) { self.init(both, both) }

    public var description: String { "\(height)×\(width)" }
}

/// Zero padding on each side of a 2-D input; may differ per side (ONNX `pads`, TensorFlow `SAME`).
public struct Padding2D: Sendable, Hashable, CustomStringConvertible {
    public var top: Int
    public var left: Int
    public var bottom: Int
    public var right: Int

    public init(top: Int, left: Int, bottom: Int, right: Int) {
        (self.top, self.left, self.bottom, self.right) = (top, left, bottom, right)
    }

    /// The same padding on all four sides.
    public init(_ all: Int) { self.init(top: all, left: all, bottom: all, right: all) }

    /// No padding.
    public static let zero = Padding2D(0)

    public var description: String { "(top \(top), left \(left), bottom \(bottom), right \(right))" }
}

/// The geometry shared by convolution and pooling: kernel, stride, dilation and padding, validated.
public struct SlidingWindow: Sendable, Hashable {
    public let kernel: Size2D
    public let stride: Size2D
    public let dilation: Size2D
    public let padding: Padding2D

    /// Validates the geometry for the layer named `layer` (used in messages).
    /// - Throws: `LRPError` for non-positive kernel, stride or dilation, negative padding, padding so
    ///   large that a window would lie entirely in the padding, or a window whose extent or number of
    ///   positions does not fit in an `Int`.
    public init(layer: String, kernel: Size2D, stride: Size2D, dilation: Size2D = Size2D(1), padding: Padding2D) throws {
        for (label, size) in [("kernel", kernel), ("stride", stride), ("dilation", dilation)] {
            guard size.height > 0, size.width > 0 else {
                throw LRPError(.parameter, "\(layer): \(label) must be positive, got \(size)")
            }
        }
        guard let extent = SlidingWindow.extent(kernel: kernel, dilation: dilation),
              !kernel.height.multipliedReportingOverflow(by: kernel.width).overflow else {
            throw LRPError(.parameter, "\(layer): kernel \(kernel) with dilation \(dilation) is too large")
        }
        guard [padding.top, padding.left, padding.bottom, padding.right].allSatisfy({ $0 >= 0 }) else {
            throw LRPError(.parameter, "\(layer): padding must not be negative, got \(padding)")
        }
        guard max(padding.top, padding.bottom) < extent.height, max(padding.left, padding.right) < extent.width else {
            throw LRPError(.parameter, "\(layer): padding \(padding) is larger than the kernel's extent \(extent) allows (at most extent − 1 per side)")
        }
        (self.kernel, self.stride, self.dilation, self.padding) = (kernel, stride, dilation, padding)
    }

    /// Stride, padding and dilation where they differ from the defaults, for summaries.
    var summary: String {
        (stride == Size2D(1) ? "" : ", stride \(stride.height == stride.width ? "\(stride.height)" : "\(stride)")")
            + (padding == .zero ? "" : ", pad " + (padding == Padding2D(padding.top) ? "\(padding.top)" : "\(padding)"))
            + (dilation == Size2D(1) ? "" : ", dilation \(dilation)")
    }

    /// The spatial extent one window covers: `dilation · (kernel − 1) + 1`.
    public var extent: Size2D { SlidingWindow.extent(kernel: kernel, dilation: dilation)! }

    /// `dilation · (kernel − 1) + 1` in each direction, or `nil` if that overflows.
    private static func extent(kernel: Size2D, dilation: Size2D) -> Size2D? {
        func one(_ kernel: Int, _ dilation: Int) -> Int? {
            let (product, overflow) = dilation.multipliedReportingOverflow(by: kernel - 1)
            return overflow || product == .max ? nil : product + 1
        }
        guard let height = one(kernel.height, dilation.height), let width = one(kernel.width, dilation.width) else { return nil }
        return Size2D(height, width)
    }

    /// The output's spatial size for an input of `height × width`.
    /// - Throws: `LRPError` if the padded input is smaller than one window or its size overflows.
    public func outputSize(layer: String, height: Int, width: Int) throws -> Size2D {
        func padded(_ size: Int, _ before: Int, _ after: Int) throws -> Int {
            let (first, overflow) = size.addingReportingOverflow(before)
            let (total, overflowAgain) = first.addingReportingOverflow(after)
            guard !overflow, !overflowAgain else { throw LRPError(.shape, "\(layer): input of \(height)×\(width) padded by \(padding) is too large") }
            return total
        }
        let paddedHeight = try padded(height, padding.top, padding.bottom)
        let paddedWidth = try padded(width, padding.left, padding.right)
        guard paddedHeight >= extent.height, paddedWidth >= extent.width else {
            throw LRPError(.shape, "\(layer): input of \(height)×\(width) padded by \(padding) is smaller than the window \(extent)")
        }
        return Size2D((paddedHeight - extent.height) / stride.height + 1, (paddedWidth - extent.width) / stride.width + 1)
    }

    /// The output positions `o` in `0..<outputSize` whose input position `o · stride + offset` lies in
    /// `0..<inputSize`. Lets inner loops run without bounds tests.
    @inline(__always)
    static func validOutputRange(offset: Int, stride: Int, inputSize: Int, outputSize: Int) -> Range<Int> {
        // smallest o with o·stride + offset ≥ 0, and smallest o with o·stride + offset ≥ inputSize
        let lower = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let limit = inputSize - offset
        let upper = limit <= 0 ? 0 : (limit + stride - 1) / stride
        let clampedLower = min(lower, outputSize)
        return clampedLower ..< max(clampedLower, min(upper, outputSize))
    }

    /// The input rows of output row `outputRow`'s window that lie inside an image of `height` rows (padding
    /// excluded): the first, and how many, `dilation.height` apart.
    func taps(outputRow: Int, height: Int) -> (first: Int, count: Int) {
        let offset = outputRow &* stride.height &- padding.top
        let valid = Self.validOutputRange(offset: offset, stride: dilation.height, inputSize: height, outputSize: kernel.height)
        return (offset &+ valid.lowerBound &* dilation.height, valid.count)
    }

    /// For kernel column `kernelColumn`, the output columns whose window has that column inside an image `width`
    /// wide, and where output column 0's would be: output column `o` reads input column `first + o · stride.width`.
    func outputColumns(kernelColumn: Int, width: Int, outputWidth: Int) -> (outputs: Range<Int>, first: Int) {
        let offset = kernelColumn &* dilation.width &- padding.left
        return (Self.validOutputRange(offset: offset, stride: stride.width, inputSize: width, outputSize: outputWidth), offset)
    }

    /// Calls `body` with the input row and column of every position of one output's window that lies
    /// inside a `height × width` image (padding excluded), in row-major window order. Only those positions
    /// are visited, so the work is bounded by the image, not the kernel (a hostile kernel may be huge).
    @inline(__always)
    func forEachInput(_ outRow: Int, _ outColumn: Int, _ height: Int, _ width: Int, _ body: (Int, Int) -> Void) {
        let top = outRow &* stride.height &- padding.top, left = outColumn &* stride.width &- padding.left
        let rows = SlidingWindow.validOutputRange(offset: top, stride: dilation.height, inputSize: height, outputSize: kernel.height)
        let columns = SlidingWindow.validOutputRange(offset: left, stride: dilation.width, inputSize: width, outputSize: kernel.width)
        for i in rows {
            let row = top &+ i &* dilation.height
            for j in columns { body(row, left &+ j &* dilation.width) }
        }
    }
}
