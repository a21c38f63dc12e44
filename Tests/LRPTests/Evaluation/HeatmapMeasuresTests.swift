import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct HeatmapMeasuresTests {
    @Test func equalNumpysFormulas() throws {
        let relevance = try NPY.read(Fixtures.url("evaluation/perturbation.relevance.npy"))
        let expected = try NPY.read(Fixtures.url("evaluation/perturbation.measures.npy"))   // rows: spearman, gini, entropy
        for sample in 0..<4 {
            let map = try relevance.channelSum(sample: sample)
            #expect(abs(HeatmapMeasures.gini(map) - Double(expected[4 + sample])) < 1e-5)
            #expect(abs(HeatmapMeasures.entropy(map) - Double(expected[8 + sample])) < 1e-4)
        }
    }

    @Test func giniAndEntropyOnHandComputedCases() {
        #expect(abs(HeatmapMeasures.gini([0, 0, 0, 1]) - 0.75) < 1e-12)
        #expect(abs(HeatmapMeasures.gini([1, 1, 1, 1])) < 1e-12)
        #expect(abs(HeatmapMeasures.gini([-2, 2, 2, -2])) < 1e-12)       // magnitudes
        #expect(abs(HeatmapMeasures.gini([1, 2, 3, 4]) - 0.25) < 1e-12)  // Σ(2i−n−1)x / (nΣx) = 10 / 40
        #expect(abs(HeatmapMeasures.entropy([1, 1, 1, 1]) - log(4)) < 1e-12)
        #expect(HeatmapMeasures.entropy([0, 0, 5, 0]) == 0)
        #expect(HeatmapMeasures.gini([0, 0]) == 0 && HeatmapMeasures.entropy([]) == 0)
    }
}
