/// A dense, contiguous Float32 tensor in row-major order (`NCHW` for images) with value semantics.
///
/// Copies share storage until one of them is written (copy on write), so passing tensors around is cheap.
///
/// ```swift
/// var x = try Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4])
/// x[0] = 5                  // only this copy changes
/// let y = try x.reshaped(to: [1, 4])
/// print(y.shape)            // [1, 4]
/// ```
public struct Tensor: Sendable, Equatable {
    /// The size of each dimension, outermost first.
    public let shape: [Int]
    /// The elements in row-major order; always exactly `shape.reduce(1, *)` of them.
    public private(set) var scalars: [Float]

    /// The largest number of elements a tensor may hold (2³¹ − 1, so that flat indices fit in 32 bits).
    public static let maximumElementCount = Int(Int32.max)

    /// Creates a tensor from its shape and its elements in row-major order.
    /// - Throws: `LRPError` if a dimension is negative or the element count does not match the shape.
    public init(shape: [Int], scalars: [Float]) throws {
        let count = try Tensor.elementCount(of: shape)
        guard scalars.count == count else {
            throw LRPError(.shape, "tensor: shape \(describe(shape)) needs \(count) scalars, got \(scalars.count)")
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor of the given shape filled with `value` (zeros by default).
    /// - Throws: `LRPError` if a dimension is negative or the tensor would be too large.
    public init(shape: [Int], repeating value: Float = 0) throws {
        let count = try Tensor.elementCount(of: shape)
        self.shape = shape
        self.scalars = [Float](repeating: value, count: count)
    }

    /// Internal initializer for shapes the caller has already validated.
    @usableFromInline
    package init(validShape shape: [Int], scalars: [Float]) {
        assert(shape.reduce(1, *) == scalars.count)
        self.shape = shape
        self.scalars = scalars
    }

    /// Internal zero tensor for shapes the caller has already validated.
    package init(zerosWithValidShape shape: [Int]) {
        self.shape = shape
        self.scalars = [Float](repeating: 0, count: shape.reduce(1, *))
    }

    /// The number of elements.
    public var count: Int { scalars.count }
    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// The size of the first dimension (the batch), or 1 for a scalar.
    public var batchSize: Int { shape.first ?? 1 }
    /// The number of elements per batch entry.
    public var elementsPerSample: Int { shape.count > 1 ? shape.dropFirst().reduce(1, *) : 1 }

    /// The same elements with another shape of equal element count.
    public func reshaped(to newShape: [Int]) throws -> Tensor {
        let count = try Tensor.elementCount(of: newShape)
        guard count == self.count else {
            throw LRPError(.shape, "reshape: cannot view \(describe(shape)) (\(self.count) elements) as \(describe(newShape)) (\(count) elements)")
        }
        return Tensor(validShape: newShape, scalars: scalars)
    }

    /// The batch entries `range` along the first dimension.
    public func batch(_ range: Range<Int>) throws -> Tensor {
        guard rank >= 1, range.lowerBound >= 0, range.upperBound <= batchSize else {
            throw LRPError(.shape, "tensor: batch range \(range) is outside a tensor of shape \(describe(shape))")
        }
        let n = elementsPerSample
        return Tensor(validShape: [range.count] + shape.dropFirst(),
                      scalars: Array(scalars[range.lowerBound * n ..< range.upperBound * n]))
    }

    /// The batch entries at `indices`, in that order.
    ///
    /// ```swift
    /// let picked = try images.batch([0, 5, 7])      // [3, C, H, W]
    /// ```
    public func batch(_ indices: [Int]) throws -> Tensor {
        guard rank >= 1, indices.allSatisfy({ (0..<batchSize).contains($0) }) else {
            throw LRPError(.shape, "tensor: batch indices \(indices) are outside a tensor of shape \(describe(shape))")
        }
        let n = elementsPerSample
        var picked: [Float] = []
        picked.reserveCapacity(indices.count * n)
        for index in indices { picked += scalars[index * n ..< (index + 1) * n] }
        return Tensor(validShape: [indices.count] + shape.dropFirst(), scalars: picked)
    }

    /// Concatenates tensors along the first (batch) dimension; all must agree in the other dimensions.
    public init(concatenating parts: [Tensor]) throws {
        guard let first = parts.first else {
            throw LRPError(.shape, "tensor: cannot concatenate an empty list of tensors")
        }
        let tail = Array(first.shape.dropFirst())
        var scalars: [Float] = []
        scalars.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts {
            guard part.rank == first.rank, Array(part.shape.dropFirst()) == tail else {
                throw LRPError(.shape, "tensor: cannot concatenate \(describe(part.shape)) to tensors of shape \(describe(first.shape))")
            }
            scalars += part.scalars
        }
        self.init(validShape: [parts.reduce(0) { $0 + $1.batchSize }] + tail, scalars: scalars)
    }

    /// The element at a flat (row-major) index.
    public subscript(index: Int) -> Float {
        get { scalars[index] }
        set { scalars[index] = newValue }
    }

    /// Calls `body` with the elements' storage for reading.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the elements' storage for writing; the count cannot change.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer { buffer in try body(buffer) }
    }

    /// Validates a shape and returns its element count.
    /// - Throws: `LRPError` for a negative dimension or more than `maximumElementCount` elements.
    public static func elementCount(of shape: [Int]) throws -> Int {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else {
                throw LRPError(.shape, "tensor: shape \(describe(shape)) has a negative dimension")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= maximumElementCount else {
                throw LRPError(.shape, "tensor: shape \(describe(shape)) has more than \(maximumElementCount) elements")
            }
            count = product
        }
        return count
    }
}
