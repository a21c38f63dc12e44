import Testing
@testable import LRPCore

@Suite struct WeightedLayerPlanTests {
    /// The sign scan behind `x⁺`/`x⁻`: a single negative or positive element anywhere (in a vector, at a block
    /// boundary, in the tail past the last vector, in the other worker's half) counts; zeros of either sign and
    /// NaN do not.
    @Test func theSignScanFindsASingleElementAnywhere() throws {
        let count = 2 * 4096 + 7
        func signs(_ values: [Float]) -> (negative: Bool, positive: Bool) {
            values.withUnsafeBufferPointer { InputParts.signs($0, 0 ..< $0.count) }
        }
        let quiet: [Float] = (0..<count).map { $0 % 3 == 0 ? -0.0 : ($0 % 5 == 0 ? .nan : 0) }
        #expect(signs(quiet) == (false, false))
        for position in [0, 3, 4095, 4096, 2 * 4096 + 3, count - 1] {
            for value: Float in [-1e-30, 2] {
                var values = quiet
                values[position] = value
                #expect(signs(values) == (value < 0, value > 0), "\(value) at \(position)")
                // through the layer's input parts, the input split across the workers
                let parts = InputParts(input: try Tensor(shape: [1, count], scalars: values), rule: .gamma(0.25),
                                       operatorName: "Gemm", usesSigns: true)
                #expect(parts.isInput(.positive) == (value > 0) && parts.isInput(.negative) == (value < 0))
            }
        }
        #expect(signs([-1, 2, 0, 0, 0]) == (true, true) && signs([]) == (false, false))
        // a range is scanned alone
        #expect([Float](repeating: -1, count: 9).withUnsafeBufferPointer { InputParts.signs($0, 9 ..< 9) } == (false, false))
    }
}
