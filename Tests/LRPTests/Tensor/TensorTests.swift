import Testing
@testable import LRP

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
        #expect(x.sampleCount == 2 && x.batchSize == 3)
        #expect(try x.dot(x) == 91 && x.sum() == 21)
    }

    @Test func badShapesAreErrorsNotTraps() {
        expectLRPError("[2, 3]", "6 scalars", "got 2") { _ = try Tensor(shape: [2, 3], scalars: [1, 2]) }
        expectLRPError("negative") { _ = try Tensor(shape: [2, -1]) }
        expectLRPError("more than") { _ = try Tensor(shape: [1 << 20, 1 << 20, 1 << 20]) }
        expectLRPError("more than") { _ = try Tensor(shape: [Int.max, 2]) }
        expectLRPError("cannot view") { _ = try Tensor(shape: [2, 3]).reshaped(to: [4]) }
        expectLRPError("batch range") { _ = try Tensor(shape: [2, 3]).batch(1..<3) }
        expectLRPError("concatenate") { _ = try Tensor(concatenating: [Tensor(shape: [1, 2]), Tensor(shape: [1, 3])]) }
        expectLRPError("differ") { _ = try Tensor(shape: [2]).adding(Tensor(shape: [3])) }
    }
}
