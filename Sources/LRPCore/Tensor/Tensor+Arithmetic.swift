/// Element-wise arithmetic used by backward walks and by checks.
extension Tensor {
    /// The element-wise sum with a tensor of the same shape.
    public func adding(_ other: Tensor) throws -> Tensor {
        guard shape == other.shape else {
            throw LRPError(.shape, "add: shapes \(describe(shape)) and \(describe(other.shape)) differ")
        }
        return adding(sameShape: other, scaledBy: 1)
    }

    /// The sum of all elements, accumulated in double precision.
    public func sum() -> Double {
        scalars.reduce(0) { $0 + Double($1) }
    }

    /// The inner product with a tensor of the same shape, accumulated in double precision.
    public func dot(_ other: Tensor) throws -> Double {
        guard shape == other.shape else {
            throw LRPError(.shape, "dot: shapes \(describe(shape)) and \(describe(other.shape)) differ")
        }
        return zip(scalars, other.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
}
