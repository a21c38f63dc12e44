import Testing
@testable import LRP

@Suite struct RankCorrelationTests {
    @Test func handComputedValues() {
        #expect(RankCorrelation.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1)
        #expect(RankCorrelation.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
        // ties take their average rank: ranks [1, 2.5, 2.5, 4] and [1, 3, 2, 4] give 4.5 / √(4.5 · 5)
        #expect(abs(RankCorrelation.spearman([1, 2, 2, 3], [1, 3, 2, 4]) - 0.9486832980505138) < 1e-12)
        // monotone transformations do not change ranks
        #expect(abs(RankCorrelation.spearman([0.1, 5, -3, 2], [0.001, 125, -27, 8]) - 1) < 1e-12)
        #expect(RankCorrelation.spearman([1, 1, 1], [1, 2, 3]) == 0)   // a constant has no ranking
    }
}
