import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct BroadcastTests {
    @Test func shapesAlignAtTheEndAndStretchOnes() throws {
        #expect(try Broadcast([2, 3, 4, 4], [3, 1, 1], operation: "Mul").outputShape == [2, 3, 4, 4])
        #expect(try Broadcast([2, 1, 4], [1, 5, 1], operation: "Add").outputShape == [2, 5, 4])
        #expect(try Broadcast([], [2, 3], operation: "Add").outputShape == [2, 3])
        expectLRPError("Sub", "[2, 3]", "[4]", "do not broadcast") { _ = try Broadcast([2, 3], [4], operation: "Sub") }
    }

    @Test func elementsPairAsNumPyPairsThem() throws {
        // a [2, 1, 3] ⊕ b [1, 2, 1] = [2, 2, 3], element (i, j, k) = a[i, 0, k] + b[0, j, 0]
        let a = try Tensor(shape: [2, 1, 3], scalars: [0, 1, 2, 10, 11, 12]), b = try Tensor(shape: [1, 2, 1], scalars: [100, 200])
        let sum = try Broadcast(a.shape, b.shape, operation: "Add").combine(a, b, +)
        #expect(sum.shape == [2, 2, 3])
        #expect(sum.scalars == [100, 101, 102, 200, 201, 202, 110, 111, 112, 210, 211, 212])
        // accumulating into a stretched operand sums over the positions it was stretched to
        let broadcast = try Broadcast(a.shape, b.shape, operation: "Add")
        let ones = sum.mapped { _ in 1 }
        let intoB = ones.withUnsafeBufferPointer { g in broadcast.accumulate(into: b.shape, forFirst: false) { output, _, _ in g[output] } }
        #expect(intoB.scalars == [6, 6])
    }
}
