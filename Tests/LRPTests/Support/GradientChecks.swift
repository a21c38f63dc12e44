import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

/// Checks a layer's input gradients against central finite differences of `L(x) = ⟨f(x), y⟩` for a random
/// `y`, coordinate by coordinate.
///
/// Tolerance: the layers under test are piecewise linear and the inputs are chosen so that a step of `h`
/// crosses no kink, so the difference quotient is exact up to float32 rounding of the forward pass:
/// about `1e-7 · Σ|f·y| / h` ≈ 1e-4 for the sizes used here with `h = 1e-2`. `1e-3` leaves room and still
/// catches any wrong index (errors of order 1).
func expectGradientMatchesFiniteDifferences(
    _ layer: any Layer, inputs: [Tensor], step: Float = 1e-2, tolerance: Double = 1e-3,
    seed: UInt64 = 7, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    var generator = SeededGenerator(seed: seed)
    let record = try layer.forward(inputs)
    let upstream = Tensor.random(record.output.shape, using: &generator)
    let gradients = try layer.inputGradients(of: upstream, inputs: inputs, record: record)
    #expect(gradients.map(\.shape) == inputs.map(\.shape), sourceLocation: sourceLocation)
    func objective(_ perturbed: [Tensor]) throws -> Double {
        try layer.forward(perturbed).output.dot(upstream)
    }
    var worst = 0.0
    for which in inputs.indices {
        for index in 0..<inputs[which].count {
            var plus = inputs, minus = inputs
            plus[which][index] += step
            minus[which][index] -= step
            let estimate = (try objective(plus) - objective(minus)) / (2 * Double(step))
            worst = max(worst, abs(estimate - Double(gradients[which][index])))
        }
    }
    #expect(worst < tolerance, "largest finite-difference error \(worst)", sourceLocation: sourceLocation)
}

/// Checks the adjoint identity `⟨J v, y⟩ = ⟨v, Jᵀ y⟩` for random `v` and `y`, where `jacobianTimes`
/// computes `J v` independently of the gradient code (for an affine layer, `f(v) − f(0)`).
func expectAdjointIdentity(
    inputShape: [Int], jacobianTimes: (Tensor) throws -> Tensor, transposeTimes: (Tensor) throws -> Tensor,
    tolerance: Double = 1e-5, seed: UInt64 = 11, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    var generator = SeededGenerator(seed: seed)
    let v = Tensor.random(inputShape, using: &generator)
    let jv = try jacobianTimes(v)
    let y = Tensor.random(jv.shape, using: &generator)
    let jty = try transposeTimes(y)
    let left = try jv.dot(y), right = try v.dot(jty)
    // both sides are sums of products of float32 values of order 1; float32 rounding in the layer is the
    // only difference, relative ~1e-6 of the magnitude of the summands
    let scale = max(1, zip(jv.scalars, y.scalars).reduce(0) { $0 + abs(Double($1.0 * $1.1)) })
    #expect(abs(left - right) <= tolerance * scale, "⟨Jv, y⟩ = \(left), ⟨v, Jᵀy⟩ = \(right)", sourceLocation: sourceLocation)
}

/// The adjoint identity for an affine unary layer: `J v = f(v) − f(0)`.
func expectAdjointIdentity(affine layer: any UnaryLayer, inputShape: [Int], sourceLocation: SourceLocation = #_sourceLocation) throws {
    let zero = try layer.forward(try Tensor(shape: inputShape))
    try expectAdjointIdentity(
        inputShape: inputShape,
        jacobianTimes: { v in
            let out = try layer.forward(v)
            return try Tensor(shape: out.shape, scalars: zip(out.scalars, zero.scalars).map(-))
        },
        transposeTimes: { y in
            try layer.inputGradient(of: y, input: try Tensor(shape: inputShape), record: try layer.recordingForward(try Tensor(shape: inputShape)))
        },
        sourceLocation: sourceLocation)
}

/// Expects `actual` to equal `expected` within `tolerance` relative to the largest magnitude in `expected`.
func expectClose(
    _ actual: [Float], _ expected: [Double], tolerance: Double = 1e-5, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    let scale = max(1, expected.map(abs).max() ?? 0)
    let worst = zip(actual, expected).map { abs(Double($0) - $1) }.max() ?? 0
    #expect(worst <= tolerance * scale, "largest difference \(worst) (scale \(scale))", sourceLocation: sourceLocation)
}

/// Expects two tensors of the same shape with the same bits in every element (NaN payloads and the sign of
/// zero included, which `==` does not tell apart).
func expectSameBits(_ actual: Tensor, _ expected: Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == expected.shape, sourceLocation: sourceLocation)
    let differing = zip(actual.scalars, expected.scalars).filter { $0.bitPattern != $1.bitPattern }.count
    #expect(differing == 0, "\(differing) elements differ in their bits", sourceLocation: sourceLocation)
}

/// Expects `body` to throw an `LRPError` whose message contains every fragment.
func expectLRPError(
    _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected an error mentioning \(fragments)", sourceLocation: sourceLocation)
    } catch let error as LRPError {
        for fragment in fragments {
            #expect(error.message.contains(fragment), "“\(error.message)” lacks “\(fragment)”", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}
