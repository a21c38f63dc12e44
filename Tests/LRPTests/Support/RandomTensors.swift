@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

/// The library's seeded generator, so that every test run sees the same "random" tensors.
typealias SeededGenerator = SplitMix

extension Tensor {
    /// Uniform values in `range`.
    static func random(_ shape: [Int], in range: ClosedRange<Float> = -1...1, using generator: inout SeededGenerator) -> Tensor {
        let count = shape.reduce(1, *)
        return try! Tensor(shape: shape, scalars: (0..<count).map { _ in Float.random(in: range, using: &generator) })
    }

    /// Values whose magnitude is at least `gap` away from zero, so that a finite-difference step below
    /// `gap` never crosses a ReLU kink.
    static func randomAwayFromZero(_ shape: [Int], gap: Float, using generator: inout SeededGenerator) -> Tensor {
        let count = shape.reduce(1, *)
        return try! Tensor(shape: shape, scalars: (0..<count).map { _ in
            let magnitude = Float.random(in: gap...1, using: &generator)
            return Bool.random(using: &generator) ? magnitude : -magnitude
        })
    }

    /// A random permutation of the distinct values `0, spacing, 2·spacing, …`, so that a max never ties and a
    /// finite-difference step below `spacing / 2` never changes the winner.
    static func distinctValues(_ shape: [Int], spacing: Float, using generator: inout SeededGenerator) -> Tensor {
        let count = shape.reduce(1, *)
        return try! Tensor(shape: shape, scalars: (0..<count).map { Float($0) * spacing }.shuffled(using: &generator))
    }
}
