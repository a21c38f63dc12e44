import Testing
@testable import LRPCore

@Suite struct BranchQuotientsTests {
    /// Two sign-masked branches with a bias per channel and a signal both feed, on a tensor whose planes
    /// (7 elements) straddle the blocks, checked element by element against the formula in double precision.
    @Test func signalsMatchTheFormulaAcrossBlocksAndPlanes() {
        let shape = [3, 5, 7, 41]   // outputs along axis 1: 5 channels, planes of 7·41 elements; 4305 in all
        let count = shape.reduce(1, *)
        var random = SplitMix(seed: 11)
        func tensor() -> Tensor { Tensor(validShape: shape, scalars: (0..<count).map { _ in Float(random.unit() * 2 - 1) }) }
        let (relevance, output, product) = (tensor(), tensor(), tensor())
        let bias: [Float] = [0.5, -0.25, 0, 1, -1]
        let positive = BranchQuotients.Denominator(terms: [(output, 1), (product, 0.25)], bias: bias, outputSign: .positive)
        let negative = BranchQuotients.Denominator(terms: [(output, 1.25), (product, -0.25)], bias: [], outputSign: .negative)
        let quotients = BranchQuotients(denominators: [positive, negative], epsilon: 1e-6, channels: 5, planeSize: 7 * 41)
        let signals = quotients.signals([[(0, 1), (1, 1.25)], [(1, -0.25)]], relevance: relevance, output: output)

        #expect(signals.count == 2 && signals.allSatisfy { $0.shape == shape })
        func stabilized(_ z: Double) -> Double { z >= 0 ? z + 1e-6 : z - 1e-6 }
        var worst = 0.0
        for index in 0..<count {
            let (r, z, p) = (Double(relevance[index]), Double(output[index]), Double(product[index]))
            let channel = (index / (7 * 41)) % 5
            let up = z > 0 ? r / stabilized(z + 0.25 * p + Double(bias[channel])) : 0
            let down = z < 0 ? r / stabilized(1.25 * z - 0.25 * p) : 0
            for (value, expected) in [(signals[0][index], up + 1.25 * down), (signals[1][index], -0.25 * down)] {
                worst = max(worst, abs(Double(value) - expected) / max(1, abs(expected)))
            }
        }
        #expect(worst < 1e-4, "largest error relative to max(1, |expected|): \(worst)")
    }

    /// A denominator without terms or bias is zero: the quotient is `R / ε`; an empty output gives empty signals.
    @Test func edgeCases() {
        let relevance = Tensor(validShape: [1, 2], scalars: [1, -2])
        let output = Tensor(validShape: [1, 2], scalars: [3, 4])
        let quotients = BranchQuotients(denominators: [.init(outputSign: .any)], epsilon: 0.5, channels: 2, planeSize: 1)
        #expect(quotients.signals([[(0, 1)]], relevance: relevance, output: output)[0].scalars == [2, -4])
        let empty = Tensor(validShape: [0, 2], scalars: [])
        #expect(quotients.signals([[(0, 1)]], relevance: empty, output: empty)[0].shape == [0, 2])
    }
}
