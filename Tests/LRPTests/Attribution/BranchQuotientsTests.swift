import Testing
@testable import LRPCore

@Suite struct BranchQuotientsTests {
    /// Two sign-masked branches with a bias per channel and a signal both feed, on a tensor whose planes
    /// (7·41 elements) straddle the blocks and whose 34 blocks are split across the workers, checked element by
    /// element against the formula in double precision.
    @Test func signalsMatchTheFormulaAcrossBlocksAndPlanes() {
        let shape = [48, 5, 7, 41]   // outputs along axis 1: 5 channels, planes of 7·41 elements; 68880 in all
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
        // float32's error bound, unit roundoff u: a denominator summed from terms of total magnitude m is off by
        // at most a few u·m, so its quotient r/d by a few u·(|r/d| + |r|·m/d²); a signal adds its scaled quotients
        let u = Double(Float.ulpOfOne) / 2
        var worst = 0.0   // the largest error in units of its bound
        for index in 0..<count {
            let (r, z, p) = (Double(relevance[index]), Double(output[index]), Double(product[index]))
            let b = Double(bias[(index / (7 * 41)) % 5])
            let (upDenominator, downDenominator) = (stabilized(z + 0.25 * p + b), stabilized(1.25 * z - 0.25 * p))
            let up = z > 0 ? r / upDenominator : 0
            let down = z < 0 ? r / downDenominator : 0
            func bound(_ quotient: Double, _ denominator: Double, magnitude: Double) -> Double {
                quotient == 0 ? 0 : 4 * u * (abs(quotient) + abs(r) * magnitude / (denominator * denominator))
            }
            let upBound = bound(up, upDenominator, magnitude: abs(z) + 0.25 * abs(p) + abs(b))
            let downBound = bound(down, downDenominator, magnitude: 1.25 * abs(z) + 0.25 * abs(p))
            for (value, expected, allowed) in [(signals[0][index], up + 1.25 * down, upBound + 1.25 * downBound),
                                               (signals[1][index], -0.25 * down, 0.25 * downBound)] {
                worst = max(worst, abs(Double(value) - expected) / (allowed + 1e-30))
            }
        }
        #expect(worst <= 1, "largest error in units of float32's bound: \(worst)")
    }

    /// A denominator without terms or bias is zero: the quotient is `R / ε`; an empty output gives empty signals.
    @Test func edgeCases() {
        let relevance = Tensor(validShape: [1, 2], scalars: [1, -2])
        let output = Tensor(validShape: [1, 2], scalars: [3, 4])
        let quotients = BranchQuotients(denominators: [.init(outputSign: .any)], epsilon: 0.5, channels: 2, planeSize: 1)
        #expect(quotients.signals([[(0, 1)]], relevance: relevance, output: output)[0].scalars == [2, -4])
        let empty = Tensor(validShape: [0, 2], scalars: [])
        #expect(quotients.signals([[(0, 1)]], relevance: empty, output: empty)[0].shape == [0, 2])
        // a dense layer's planes of one element: a bias-only denominator, channel by channel across 3 blocks
        let ones = Tensor(validShape: [1000, 5], scalars: [Float](repeating: 1, count: 5000))
        let biased = BranchQuotients(denominators: [.init(bias: [1, 2, 4, 8, 16], outputSign: .any)], epsilon: 0,
                                     channels: 5, planeSize: 1)
        #expect(biased.signals([[(0, 1)]], relevance: ones, output: ones)[0].scalars
                == (0..<5000).map { 1 / Float(1 << ($0 % 5)) })
    }
}
