import Foundation
import Testing
@testable import LRP

@Suite struct HeatmapMeasuresTests {
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
