/// The rectifier `max(x, 0)`. Its gradient passes where the input is positive (0 at exactly 0, as PyTorch).
///
/// ```swift
/// let y = try ReLU().forward(Tensor(shape: [1, 2], scalars: [-1, 2]))   // [0, 2]
/// ```
public struct ReLU: UnaryLayer {
    public init() {}

    public var operatorName: String { "Relu" }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    public func forward(_ input: Tensor) throws -> Tensor {
        let scalars = input.withUnsafeBufferPointer { x in
            [Float](unsafeUninitializedCapacity: x.count) { y, initialized in
                Parallel.forEachRange(of: x.count) { range in
                    for index in range { y[index] = max(x[index], 0) }
                }
                initialized = x.count
            }
        }
        return Tensor(validShape: input.shape, scalars: scalars)
    }

    public func inputGradient(of gradOutput: Tensor, input: Tensor, record: LayerRecord) throws -> Tensor {
        var gradInput = gradOutput
        input.withUnsafeBufferPointer { x in
            gradInput.withUnsafeMutableBufferPointer { g in
                for index in g.indices where !(x[index] > 0) { g[index] = 0 }
            }
        }
        return gradInput
    }
}
