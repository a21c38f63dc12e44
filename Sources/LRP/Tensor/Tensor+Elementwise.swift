/// Element-wise maps used by the relevance computations.
extension Tensor {
    /// Applies `transform` to every element.
    @inlinable
    func mapped(_ transform: (Float) -> Float) -> Tensor {
        var result = self
        result.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] = transform(values[index]) }
        }
        return result
    }

    /// Combines two tensors of the same shape element by element (shapes are the caller's responsibility).
    @inlinable
    func combined(with other: Tensor, _ combine: (Float, Float) -> Float) -> Tensor {
        var result = self
        other.withUnsafeBufferPointer { b in
            result.withUnsafeMutableBufferPointer { a in
                for index in a.indices { a[index] = combine(a[index], b[index]) }
            }
        }
        return result
    }

    /// `self += scale · a ⊙ b`, all of the same shape.
    mutating func addProduct(_ a: Tensor, _ b: Tensor, scale: Float) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                withUnsafeMutableBufferPointer { out in
                    for index in out.indices { out[index] += scale * a[index] * b[index] }
                }
            }
        }
    }

    /// The sum of each batch entry, in double precision: an explanation's total relevance per input.
    public func sumPerSample() -> [Double] {
        let perSample = sampleCount
        return withUnsafeBufferPointer { values in
            (0..<batchSize).map { sample in
                var sum = 0.0
                for index in sample * perSample ..< (sample + 1) * perSample { sum += Double(values[index]) }
                return sum
            }
        }
    }

    /// The flat index of the first element that is NaN or infinite.
    func firstNonFiniteIndex() -> Int? {
        withUnsafeBufferPointer { values in values.firstIndex { !$0.isFinite } }
    }
}

/// `z + ε·sign(z)` with `sign(0) = +1`: the stabiliser of every LRP denominator.
@inline(__always)
func stabilized(_ z: Float, _ epsilon: Float) -> Float {
    z >= 0 ? z + epsilon : z - epsilon
}
