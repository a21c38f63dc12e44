import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct PointwiseActivationTests {
    static let functions: [PointwiseActivation.Function] = [
        .clip(min: 0, max: 6), .sigmoid, .hardSigmoid(alpha: 1 / 6, beta: 0.5), .hardSwish, .tanh, .erf, .gelu, .leakyReLU(alpha: 0.1),
    ]

    @Test func valuesAtChosenPoints() throws {
        let x = try Tensor(shape: [1, 4], scalars: [-4, -1, 0.5, 7])
        func values(_ function: PointwiseActivation.Function) throws -> [Float] { try PointwiseActivation(function).forward(x).scalars }
        #expect(try values(.clip(min: 0, max: 6)) == [0, 0, 0.5, 6])
        expectClose(try values(.hardSwish), [0, -1 * (2.0 / 6), 0.5 * (3.5 / 6), 7])
        expectClose(try values(.hardSigmoid(alpha: 0.2, beta: 0.5)), [0, 0.3, 0.6, 1])
        expectClose(try values(.leakyReLU(alpha: 0.1)), [-0.4, -0.1, 0.5, 7])
        expectClose(try values(.sigmoid), [-4, -1, 0.5, 7].map { 1 / (1 + exp(-$0)) })
        expectClose(try values(.gelu), [-4, -1, 0.5, 7].map { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot())) })
    }

    /// Inputs away from every function's kinks (0, ±3, the clip bounds, ±2.5 where the hard sigmoid saturates).
    @Test(arguments: functions)
    func gradientMatchesFiniteDifferences(_ function: PointwiseActivation.Function) throws {
        let values: [Float] = [-3.6, -2.8, -1.7, -0.6, 0.4, 1.3, 2.2, 3.4, 4.7, 6.5, -5.2, 0.9]
        try expectGradientMatchesFiniteDifferences(PointwiseActivation(function), inputs: [try Tensor(shape: [2, 6], scalars: values)])
    }

    @Test func relevancePassesUnchanged() throws {
        let layer = PointwiseActivation(.hardSwish)
        #expect(WeightlessRule.standard(for: layer) == .pass && layer.operatorName == "HardSwish")
        #expect(PointwiseActivation(.sigmoid).isGate && !PointwiseActivation(.gelu).isGate)
    }
}
