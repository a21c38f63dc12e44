@testable import LRP

/// A small seeded generator (SplitMix64) so that every test run sees the same "random" tensors.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

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
