import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct AdjustedRandIndexTests {
    @Test func handComputedValues() {
        #expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]) == 1)          // names of clusters do not matter
        // pairs together in both: 2; expected 6 · 3 / 15 = 1.2; maximum (6 + 3) / 2: (2 − 1.2) / (4.5 − 1.2)
        #expect(abs(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) - 0.8 / 3.3) < 1e-12)
        #expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]) < 0)           // worse than chance
    }
}
