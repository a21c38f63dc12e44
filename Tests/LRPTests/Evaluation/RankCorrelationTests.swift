import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct RankCorrelationTests {
    @Test func equalsScipysSpearman() throws {
        let relevance = try NPY.read(Fixtures.url("evaluation/perturbation.relevance.npy"))
        let other = try NPY.read(Fixtures.url("evaluation/perturbation.other.npy"))
        let expected = try NPY.read(Fixtures.url("evaluation/perturbation.measures.npy"))   // rows: spearman, gini, entropy
        for sample in 0..<4 {
            let ours = RankCorrelation.spearman(try relevance.channelSum(sample: sample), Array(other.scalars[sample * 1024 ..< (sample + 1) * 1024]))
            #expect(abs(ours - Double(expected[sample])) < 1e-5, "sample \(sample): \(ours) against scipy's \(expected[sample])")
        }
    }

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
