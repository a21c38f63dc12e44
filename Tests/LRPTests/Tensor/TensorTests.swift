import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct TensorTests {
    @Test func valueSemanticsReshapeBatchAndConcatenate() throws {
        let x = try Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        var y = x
        y[0] = 9
        #expect(x[0] == 1 && y[0] == 9)
        #expect(try x.reshaped(to: [2, 3]).shape == [2, 3])
        #expect(try x.batch(1..<3).scalars == [3, 4, 5, 6])
        let joined = try Tensor(concatenating: [x.batch(0..<1), x.batch(1..<3)])
        #expect(joined == x)
        #expect(x.elementsPerSample == 2 && x.batchSize == 3)
        #expect(try x.dot(x) == 91 && x.sum() == 21)
    }

    @Test func batchEntriesByIndex() throws {
        let tensor = try Tensor(shape: [3, 2], scalars: [0, 1, 2, 3, 4, 5])
        #expect(try tensor.batch([2, 0, 2]) == Tensor(shape: [3, 2], scalars: [4, 5, 0, 1, 4, 5]))
        #expect(try tensor.batch([Int]()).shape == [0, 2])
    }

    @Test func badShapesAreErrorsNotTraps() {
        expectLRPError("[2, 3]", "6 scalars", "got 2") { _ = try Tensor(shape: [2, 3], scalars: [1, 2]) }
        expectLRPError("negative") { _ = try Tensor(shape: [2, -1]) }
        expectLRPError("more than") { _ = try Tensor(shape: [1 << 20, 1 << 20, 1 << 20]) }
        expectLRPError("more than") { _ = try Tensor(shape: [Int.max, 2]) }
        expectLRPError("cannot view") { _ = try Tensor(shape: [2, 3]).reshaped(to: [4]) }
        expectLRPError("batch range") { _ = try Tensor(shape: [2, 3]).batch(1..<3) }
        expectLRPError("batch indices") { _ = try Tensor(shape: [2, 3]).batch([0, 2]) }
        expectLRPError("concatenate") { _ = try Tensor(concatenating: [Tensor(shape: [1, 2]), Tensor(shape: [1, 3])]) }
        expectLRPError("differ") { _ = try Tensor(shape: [2]).adding(Tensor(shape: [3])) }
    }

    @Test func sumsPerSampleInDoublePrecisionWithoutOverflowAndWithNonFiniteValuesShowing() throws {
        var generator = SeededGenerator(seed: 4)
        let values = Tensor.random([3, 2500], using: &generator)   // two full blocks of 1024 and a tail
        let sums = values.sumPerSample()
        for sample in 0..<3 {
            let exact = values.scalars[sample * 2500 ..< (sample + 1) * 2500].reduce(0.0) { $0 + Double($1) }
            #expect(abs(sums[sample] - exact) < 1e-4)
        }
        // float lanes would overflow here; the block is summed again in double precision
        let huge = try Tensor(shape: [1, 2048], repeating: 3e37)
        #expect(abs(huge.sumPerSample()[0] - 2048 * 3e37) / (2048 * 3e37) < 1e-6)
        var poisoned = try Tensor(shape: [2, 1500], repeating: 1)
        poisoned[1600] = .nan
        poisoned[10] = .infinity
        let flagged = poisoned.sumPerSample()
        #expect(flagged[0] == .infinity && flagged[1].isNaN)
        #expect(try Tensor(shape: [2, 0]).sumPerSample() == [0, 0])
    }
}
