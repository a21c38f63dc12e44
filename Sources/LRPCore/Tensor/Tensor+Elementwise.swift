/// Element-wise maps used by the relevance computations.
extension Tensor {
    /// Applies `transform` to every element.
    @inlinable
    package func mapped(_ transform: (Float) -> Float) -> Tensor {
        let scalars = withUnsafeBufferPointer { values in
            [Float](unsafeUninitializedCapacity: values.count) { result, initialized in
                for index in values.indices { result[index] = transform(values[index]) }
                initialized = values.count
            }
        }
        return Tensor(validShape: shape, scalars: scalars)
    }

    /// Combines two tensors of the same shape element by element (shapes are the caller's responsibility).
    @inlinable
    func combined(with other: Tensor, _ combine: (Float, Float) -> Float) -> Tensor {
        let scalars = withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                [Float](unsafeUninitializedCapacity: a.count) { result, initialized in
                    for index in a.indices { result[index] = combine(a[index], b[index]) }
                    initialized = a.count
                }
            }
        }
        return Tensor(validShape: shape, scalars: scalars)
    }

    /// Elements per worker below which the element-wise passes below stay on one thread.
    private static let parallelMinimum = 1 << 15

    /// `self ⊙ other`, both of the same shape (the caller's responsibility).
    func multiplied(sameShape other: Tensor) -> Tensor {
        zipped(sameShape: other, .multiply)
    }

    /// `self / stab(other)` with the stabilizer `z + ε·sign(z)`, both of the same shape (the caller's
    /// responsibility).
    func divided(sameShapeStabilized other: Tensor, epsilon: Float) -> Tensor {
        zipped(sameShape: other, .divideStabilized(epsilon: epsilon))
    }

    /// `self + scale · other`, both of the same shape (the caller's responsibility), with `rectified` as
    /// ReLU's `max(·, 0)`.
    func adding(sameShape other: Tensor, scaledBy scale: Float, rectified: Bool = false) -> Tensor {
        zipped(sameShape: other, rectified ? .addScaledRectified(scale) : .addScaled(scale))
    }

    /// The element-wise operations of ``zipped(sameShape:_:)``: each its own loop, inlined (a closure passed
    /// into the workers' ranges would be called once per element).
    private enum ZipOperation {
        case multiply
        case divideStabilized(epsilon: Float)
        case addScaled(Float)
        case addScaledRectified(Float)
    }

    /// `operation(self[i], other[i])` for every element, split across the workers for large tensors.
    private func zipped(sameShape other: Tensor, _ operation: ZipOperation) -> Tensor {
        let scalars = withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                [Float](unsafeUninitializedCapacity: a.count) { result, initialized in
                    Parallel.forEachRange(of: a.count, minimumPerRange: Tensor.parallelMinimum) { range in
                        switch operation {
                        case .multiply:
                            for index in range { result[index] = a[index] * b[index] }
                        case .divideStabilized(let epsilon):
                            for index in range { result[index] = a[index] / stabilized(b[index], epsilon) }
                        case .addScaled(let scale):
                            for index in range { result[index] = a[index] + scale * b[index] }
                        case .addScaledRectified(let scale):
                            for index in range { result[index] = max(a[index] + scale * b[index], 0) }
                        }
                    }
                    initialized = a.count
                }
            }
        }
        return Tensor(validShape: shape, scalars: scalars)
    }

    /// `self += scale · a ⊙ b`, all of the same shape.
    mutating func addProduct(_ a: Tensor, _ b: Tensor, scale: Float) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                withUnsafeMutableBufferPointer { out in
                    Parallel.forEachRange(of: out.count, minimumPerRange: Tensor.parallelMinimum) { range in
                        for index in range { out[index] += scale * a[index] * b[index] }
                    }
                }
            }
        }
    }

    /// `self += scale · a`, both of the same shape.
    mutating func add(_ a: Tensor, scaledBy scale: Float) {
        a.withUnsafeBufferPointer { a in
            withUnsafeMutableBufferPointer { out in
                Parallel.forEachRange(of: out.count, minimumPerRange: Tensor.parallelMinimum) { range in
                    for index in range { out[index] += scale * a[index] }
                }
            }
        }
    }

    /// `transform(value, channel)` for every element, the channel its index along dimension 1 (0 for tensors
    /// of rank 1 or less).
    package func mappedByChannel(_ transform: (Float, Int) -> Float) -> Tensor {
        let channels = rank >= 2 ? shape[1] : 1
        let plane = shape.dropFirst(2).reduce(1, *)
        var result = self
        result.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] = transform(values[index], (index / plane) % channels) }
        }
        return result
    }

    /// Splits `axis` into `parts` equal blocks: `[N, k·C, …]` → k tensors `[N, C, …]` for axis 1.
    func split(along axis: Int, into parts: Int) throws -> [Tensor] {
        guard axis < rank, shape[axis] % parts == 0 else {
            throw LRPError(.shape, "split: cannot split dimension \(axis) of \(describe(shape)) into \(parts)")
        }
        let outer = shape.prefix(axis).reduce(1, *)
        let block = count / outer / parts
        var partShape = shape
        partShape[axis] /= parts
        return (0..<parts).map { part in
            var values = [Float]()
            values.reserveCapacity(count / parts)
            for row in 0..<outer {
                let start = (row * parts + part) * block
                values.append(contentsOf: scalars[start ..< start + block])
            }
            return Tensor(validShape: partShape, scalars: values)
        }
    }

    /// Joins tensors of one shape along `axis`: k tensors `[N, C, …]` → `[N, k·C, …]` for axis 1.
    init(joining parts: [Tensor], along axis: Int) throws {
        guard let first = parts.first, axis < first.rank, parts.allSatisfy({ $0.shape == first.shape }) else {
            throw LRPError(.shape, "join: needs tensors of one shape with more than \(axis) dimensions")
        }
        let outer = first.shape.prefix(axis).reduce(1, *)
        let block = first.count / outer
        var values = [Float]()
        values.reserveCapacity(first.count * parts.count)
        for row in 0..<outer {
            for part in parts { values.append(contentsOf: part.scalars[row * block ..< (row + 1) * block]) }
        }
        var newShape = first.shape
        newShape[axis] *= parts.count
        self.init(validShape: newShape, scalars: values)
    }

    /// The sum of each batch entry, in double precision: an explanation's total relevance per input. A NaN
    /// or infinity anywhere makes its entry's sum non-finite (finite values never do).
    public func sumPerSample() -> [Double] {
        let perSample = elementsPerSample
        var sums = [Double](repeating: 0, count: batchSize)
        withUnsafeBufferPointer { values in
            sums.withUnsafeMutableBufferPointer { output in
                Parallel.forEachRange(of: batchSize) { samples in
                    for sample in samples {
                        output[sample] = Tensor.sum(values, from: sample * perSample, count: perSample)
                    }
                }
            }
        }
        return sums
    }

    /// `Σ values[start ..< start + count]`: blocks of 1024 summed in eight float lanes (vectorized), the block
    /// sums in double precision. A block whose float sum overflows is summed again in double precision.
    private static func sum(_ values: UnsafeBufferPointer<Float>, from start: Int, count: Int) -> Double {
        guard count > 0, let base = values.baseAddress else { return 0 }
        let block = 1024
        var total = 0.0
        var index = start
        let end = start + count
        let raw = UnsafeRawPointer(base)
        while index + block <= end {
            var lanes = SIMD8<Float>()
            for offset in stride(from: index, to: index + block, by: 8) {
                lanes += raw.loadUnaligned(fromByteOffset: offset * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
            }
            let blockSum = lanes.sum()
            total += blockSum.isFinite ? Double(blockSum) : (index ..< index + block).reduce(0.0) { $0 + Double(values[$1]) }
            index += block
        }
        while index < end {
            total += Double(values[index])
            index += 1
        }
        return total
    }

    /// One sample of an `[N, C, H, W]` tensor summed over its channels: the `H × W` map a heatmap shows.
    ///
    /// ```swift
    /// let map = try explanation.relevance.channelSum(sample: 0)     // 32 × 32 = 1024 values, row-major
    /// ```
    /// - Throws: `LRPError` (`.shape`) for a tensor that is not `[N, C, H, W]` or a sample out of range.
    public func channelSum(sample: Int) throws -> [Float] {
        guard rank == 4, (0..<batchSize).contains(sample) else {
            throw LRPError(.shape, "channel sum: needs [N, C, H, W] and a sample in range, got \(describe(shape)) and sample \(sample)")
        }
        let (channels, plane) = (shape[1], shape[2] * shape[3])
        let base = sample * channels * plane
        return withUnsafeBufferPointer { values in
            (0..<plane).map { pixel in (0..<channels).reduce(Float(0)) { $0 + values[base + $1 * plane + pixel] } }
        }
    }

    /// The flat index of the first element that is NaN or infinite.
    package func firstNonFiniteIndex() -> Int? {
        withUnsafeBufferPointer { values in values.firstIndex { !$0.isFinite } }
    }
}

/// `z + ε·sign(z)` with `sign(0) = +1`: the stabilizer of every LRP denominator.
@inline(__always)
func stabilized(_ z: Float, _ epsilon: Float) -> Float {
    z >= 0 ? z + epsilon : z - epsilon
}
