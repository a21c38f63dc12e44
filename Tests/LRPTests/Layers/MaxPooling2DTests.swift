import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct MaxPooling2DTests {
    @Test func handComputedWithPaddingAndTies() throws {
        // 1×1×3×3: [[1, 5, 5], [2, 0, 1], [7, 3, 7]], kernel 2, stride 2, padding 1
        let pool = try MaxPooling2D(kernel: Size2D(2), stride: Size2D(2), padding: Padding2D(1))
        let x = try Tensor(shape: [1, 1, 3, 3], scalars: [1, 5, 5, 2, 0, 1, 7, 3, 7])
        let record = try pool.recordingForward(x)
        #expect(record.output.scalars == [1, 5, 7, 7])
        // ties: window {5, 5} routes to the first (index 1); window {3, 7} … {7} picks 6 and 8
        #expect(record.indices == [0, 1, 6, 8])
        let g = try pool.inputGradient(of: Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4]), input: x, record: record)
        #expect(g.scalars == [1, 2, 0, 0, 0, 0, 3, 0, 4])
    }

    @Test func plainHalvingKeepsTheFirstMaximumAndLetsNaNWin() throws {
        // 2×2 windows, stride 2, no padding (the path that compares each window in registers), odd height:
        // [[3, NaN, 5, 5, -1, -2], [3, 1, 5, 2, -1, -1], [9, 9, 9, 9, 9, 9]] → the last row is left out
        let pool = try MaxPooling2D(kernel: Size2D(2), stride: Size2D(2))
        let x = try Tensor(shape: [1, 1, 3, 6], scalars: [3, .nan, 5, 5, -1, -2, 3, 1, 5, 2, -1, -1, 9, 9, 9, 9, 9, 9])
        let record = try pool.recordingForward(x)
        #expect(record.output.shape == [1, 1, 1, 3])
        #expect(record.output[0].isNaN && record.output[1] == 5 && record.output[2] == -1)
        #expect(record.indices == [1, 2, 4])
    }

    @Test func negativeValuesNextToPaddingStayNegative() throws {
        // padding never wins: a window of padding and −3 gives −3, not 0
        let pool = try MaxPooling2D(kernel: Size2D(2), stride: Size2D(1), padding: Padding2D(1))
        let y = try pool.forward(Tensor(shape: [1, 1, 1, 1], scalars: [-3]))
        #expect(y.scalars == [-3, -3, -3, -3])
    }

    @Test(arguments: [(2, 2, 0), (3, 2, 1), (3, 1, 1), (2, 1, 0)])
    func matchesDirectDefinitionAndFiniteDifferences(kernel: Int, stride: Int, padding: Int) throws {
        var generator = SeededGenerator(seed: 41)
        let pool = try MaxPooling2D(kernel: Size2D(kernel), stride: Size2D(stride), padding: Padding2D(padding))
        let x = Tensor.distinctValues([2, 3, 5, 6], spacing: 0.05, using: &generator)
        let expected = NaiveReference.pooling(x, kernel: Size2D(kernel), stride: Size2D(stride), padding: Padding2D(padding), max: true)
        let y = try pool.forward(x)
        #expect(y.shape == expected.shape)
        expectClose(y.scalars, expected.values)
        try expectGradientMatchesFiniteDifferences(pool, inputs: [x])
        // adjoint of the linearization at x: (J v)[o] = v[argmax of window o], the arg max found by a plain loop
        let record = try pool.recordingForward(x)
        let (height, width) = (x.shape[2], x.shape[3])
        let (outHeight, outWidth) = (record.output.shape[2], record.output.shape[3])
        var winners: [Int] = []
        for plane in 0..<(x.shape[0] * x.shape[1]) { for i in 0..<outHeight { for j in 0..<outWidth {
            var best = (value: -Float.infinity, index: -1)
            for ki in 0..<kernel { for kj in 0..<kernel {
                let (row, column) = (i * stride - padding + ki, j * stride - padding + kj)
                guard row >= 0, row < height, column >= 0, column < width else { continue }
                let index = (plane * height + row) * width + column
                if x[index] > best.value { best = (x[index], index) }
            } }
            winners.append(best.index)
        } } }
        try expectAdjointIdentity(
            inputShape: x.shape,
            jacobianTimes: { v in try Tensor(shape: record.output.shape, scalars: winners.map { v[$0] }) },
            transposeTimes: { y in try pool.inputGradient(of: y, input: x, record: record) })
    }

    @Test func badInput() throws {
        expectLRPError("MaxPool", "kernel") { _ = try MaxPooling2D(kernel: Size2D(0), stride: Size2D(1)) }
        expectLRPError("MaxPool", "padding") { _ = try MaxPooling2D(kernel: Size2D(2), stride: Size2D(2), padding: Padding2D(2)) }
        let pool = try MaxPooling2D(kernel: Size2D(2), stride: Size2D(2))
        expectLRPError("MaxPool", "[1, 4]") { _ = try pool.forward(Tensor(shape: [1, 4])) }
        let record = try pool.recordingForward(Tensor(shape: [1, 1, 4, 4]))
        for wrong in [[1, 2, 4, 4], [1, 1, 2, 2]] {   // each window's plane, and where in it, follow the input
            expectLRPError("MaxPool", describe(wrong), "does not match") {
                _ = try pool.inputGradient(of: record.output, input: Tensor(shape: wrong), record: record)
            }
        }
        expectLRPError("MaxPool", "gradient of shape [1, 1, 4, 4]") {
            _ = try pool.inputGradient(of: Tensor(shape: [1, 1, 4, 4]), input: Tensor(shape: [1, 1, 4, 4]), record: record)
        }
    }
}
