/// NumPy (and ONNX) broadcasting of two operands: shapes are aligned at their last dimension, and a
/// dimension of size 1 stretches to the other operand's size.
///
/// ```swift
/// let broadcast = try Broadcast([2, 3, 4, 4], [1, 3, 1, 1], operation: "Mul")   // a per-channel factor
/// broadcast.forEachElement { output, first, second in /* output = first ⊙ second */ }
/// ```
package struct Broadcast {
    /// The shape of the result.
    package let outputShape: [Int]
    /// Each operand's stride along every output dimension: 0 where the operand is stretched.
    let firstStrides: [Int], secondStrides: [Int]

    /// - Throws: `LRPError` naming `operation` when the shapes do not broadcast.
    package init(_ first: [Int], _ second: [Int], operation: String) throws {
        let rank = max(first.count, second.count)
        let a = [Int](repeating: 1, count: rank - first.count) + first
        let b = [Int](repeating: 1, count: rank - second.count) + second
        var output = [Int]()
        for (x, y) in zip(a, b) {
            guard x == y || x == 1 || y == 1 else {
                throw LRPError(.shape, "\(operation): shapes \(describe(first)) and \(describe(second)) do not broadcast")
            }
            output.append(x == 1 ? y : x)
        }
        outputShape = output
        firstStrides = Broadcast.strides(of: a, over: output)
        secondStrides = Broadcast.strides(of: b, over: output)
    }

    /// The broadcast of a two-input layer's input shapes.
    /// - Throws: `LRPError` naming `operation` for other than two shapes or shapes that do not broadcast.
    init(inputs shapes: [[Int]], operation: String) throws {
        guard shapes.count == 2 else { throw LRPError(.shape, "\(operation): takes 2 inputs, got \(shapes.count)") }
        try self.init(shapes[0], shapes[1], operation: operation)
    }

    /// Row-major strides of `shape`, 0 along the dimensions where it is stretched to `output`.
    private static func strides(of shape: [Int], over output: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: shape.count)
        var step = 1
        for axis in shape.indices.reversed() {
            strides[axis] = shape[axis] == output[axis] ? step : 0
            step *= shape[axis]
        }
        return strides
    }

    /// Calls `body(output, first, second)` with the flat index of every output element and the flat indices
    /// of the operands' elements it combines, in row-major output order.
    @inline(__always)
    package func forEachElement(_ body: (Int, Int, Int) -> Void) {
        let rank = outputShape.count
        guard rank > 0 else { return body(0, 0, 0) }
        let count = outputShape.reduce(1, *)
        guard count > 0 else { return }
        let inner = outputShape[rank - 1], innerA = firstStrides[rank - 1], innerB = secondStrides[rank - 1]
        var position = [Int](repeating: 0, count: rank)
        var (baseA, baseB, output) = (0, 0, 0)
        for _ in 0 ..< count / inner {
            var (a, b) = (baseA, baseB)
            for _ in 0 ..< inner {
                body(output, a, b)
                output &+= 1
                a &+= innerA
                b &+= innerB
            }
            var axis = rank - 2
            while axis >= 0 {
                position[axis] += 1
                baseA &+= firstStrides[axis]
                baseB &+= secondStrides[axis]
                if position[axis] < outputShape[axis] { break }
                baseA &-= firstStrides[axis] &* outputShape[axis]
                baseB &-= secondStrides[axis] &* outputShape[axis]
                position[axis] = 0
                axis -= 1
            }
        }
    }

    /// `f(first, second)` element by element over the broadcast shape.
    package func combine(_ first: Tensor, _ second: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        var result = Tensor(zerosWithValidShape: outputShape)
        first.withUnsafeBufferPointer { a in
            second.withUnsafeBufferPointer { b in
                result.withUnsafeMutableBufferPointer { y in
                    forEachElement { output, i, j in y[output] = f(a[i], b[j]) }
                }
            }
        }
        return result
    }

    /// The gradient that reaches an operand of shape `shape` (`first` or `second`): `term(output, i, j)` summed
    /// over the output elements each of its elements was stretched to.
    func accumulate(into shape: [Int], forFirst: Bool, _ term: (Int, Int, Int) -> Float) -> Tensor {
        var result = Tensor(zerosWithValidShape: shape)
        result.withUnsafeMutableBufferPointer { g in
            forEachElement { output, i, j in g[forFirst ? i : j] += term(output, i, j) }
        }
        return result
    }
}
