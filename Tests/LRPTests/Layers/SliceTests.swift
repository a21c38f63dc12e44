import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct SliceTests {
    @Test func stridedAndReversedRangesByHand() throws {
        // a [1, 2, 4] sample: channel 1 reversed in steps of 2 → elements 3 and 1 of row 1
        let x = try Tensor(shape: [1, 2, 4], scalars: [0, 1, 2, 3, 10, 11, 12, 13])
        let slice = try Slice(inputSampleShape: [2, 4], ranges: [.init(start: 1, step: 1, count: 1), .init(start: 3, step: -2, count: 2)])
        #expect(try slice.forward(x).scalars == [13, 11])
        let gradient = try slice.inputGradient(of: Tensor(shape: [1, 1, 2], scalars: [5, 7]), input: x, record: LayerRecord(output: x))
        #expect(gradient.scalars == [0, 0, 0, 0, 0, 7, 0, 5])
        var generator = SeededGenerator(seed: 86)
        let subsample = try Slice(inputSampleShape: [3, 5, 5], ranges: [.init(start: 0, step: 1, count: 3), .init(start: 0, step: 2, count: 3), .init(start: 1, step: 2, count: 2)])
        try expectGradientMatchesFiniteDifferences(subsample, inputs: [Tensor.random([2, 3, 5, 5], using: &generator)])
        expectLRPError("Slice", "axis 2 of size 4") { _ = try Slice(inputSampleShape: [2, 4], ranges: [.init(start: 0, step: 1, count: 2), .init(start: 0, step: 2, count: 3)]) }
    }

    @Test func constantPadWidensChannelsAndCropsTheGradient() throws {
        let x = try Tensor(shape: [1, 1, 1, 2], scalars: [1, 2])
        let pad = try ConstantPad(before: [1, 0, 1], after: [0, 0, 0], value: -1)
        let y = try pad.forward(x)
        #expect(y.shape == [1, 2, 1, 3] && y.scalars == [-1, -1, -1, -1, 1, 2])
        #expect(try pad.inputGradient(of: y, input: x, record: LayerRecord(output: y)).scalars == [1, 2])
        var generator = SeededGenerator(seed: 87)
        try expectGradientMatchesFiniteDifferences(try ConstantPad(before: [2, 0, 0], after: [2, 1, 0]), inputs: [Tensor.random([2, 2, 3, 3], using: &generator)])
        expectLRPError("Pad", "non-negative") { _ = try ConstantPad(before: [-1], after: [0]) }
    }
}
