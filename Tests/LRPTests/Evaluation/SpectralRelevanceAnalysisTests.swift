import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct SpectralRelevanceAnalysisTests {
    @Test func preparePoolsSumsOverChannelsAndScales() throws {
        // two channels of a 3×3 map, pooled 2×2 (the last row and column form partial blocks)
        let relevance = try Tensor(shape: [1, 2, 3, 3], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9] + Array(repeating: 1, count: 9))
        let prepared = try SpectralRelevanceAnalysis.prepare(relevance, sample: 0, pool: 2)
        // sums: (1+2+4+5)+4, (3+6)+2, (7+8)+2, 9+1 → 16, 11, 17, 10; divided by 17
        expectClose(prepared, [16, 11, 17, 10].map { $0 / 17.0 }, tolerance: 1e-6)
        expectLRPError("pool size") { _ = try SpectralRelevanceAnalysis.prepare(relevance, sample: 0, pool: 0) }
    }

    /// numpy's SpRAy of the same maps: pooling, normalization, 5-NN graph, Laplacian, eigh
    /// (scripts/make_evaluation_fixtures.py).
    @Test func eigenvaluesEqualAnIndependentImplementation() throws {
        let relevance = try NPY.read(Fixtures.url("evaluation/spray.relevance.npy"))
        let expected = try NPY.read(Fixtures.url("evaluation/spray.eigenvalues.npy"))
        let maps = try (0..<24).map { try SpectralRelevanceAnalysis.prepare(relevance, sample: $0, pool: 2) }
        let analysis = try SpectralRelevanceAnalysis(heatmaps: maps, neighbors: 5, maximumClusters: 10)
        expectClose(analysis.eigenvalues, Array(expected.scalars.prefix(11)).map(Double.init), tolerance: 1e-5)
        #expect(analysis.suggestedClusters == 2 && adjustedRandIndex(analysis.assignments, (0..<24).map { $0 < 14 ? 0 : 1 }) == 1)
    }

    @Test func findsTwoStrategiesAndTheirNumber() throws {
        // 12 maps lit in the top-left corner, 8 lit in the center, with noise: two strategies
        var generator = SeededGenerator(seed: 9)
        let maps = (0..<20).map { index -> [Float] in
            (0..<64).map { pixel in
                let (y, x) = (pixel / 8, pixel % 8)
                let lit = index < 12 ? y < 2 && x < 2 : (3...4).contains(y) && (3...4).contains(x)
                return (lit ? 1 : 0) + Float.random(in: 0...0.2, using: &generator)
            }
        }
        let analysis = try SpectralRelevanceAnalysis(heatmaps: maps, neighbors: 4, seed: 2)
        #expect(analysis.suggestedClusters == 2)
        #expect(adjustedRandIndex(analysis.assignments, (0..<20).map { $0 < 12 ? 0 : 1 }) == 1)
        #expect(analysis.eigenvalues.count == 11 && abs(analysis.eigenvalues[0]) < 1e-4 && abs(analysis.eigenvalues[1]) < 1e-4)
        #expect(analysis.embedding.count == 20 && analysis.embedding.allSatisfy { $0.count == 2 })
        let again = try SpectralRelevanceAnalysis(heatmaps: maps, neighbors: 4, seed: 2)
        #expect(again.assignments == analysis.assignments)
        let forced = try SpectralRelevanceAnalysis(heatmaps: maps, neighbors: 4, clusters: 3, seed: 2)
        #expect(forced.clusters == 3 && Set(forced.assignments).count == 3)
    }

    @Test func distancesFromTheGramMatrixEqualDirectOnes() {
        let points: [[Float]] = [[0, 0, 1], [3, 4, 1], [1, -1, 2]]
        let distances = SpectralRelevanceAnalysis.squaredDistances(points)
        expectClose(distances, [0, 25, 3, 25, 0, 30, 3, 30, 0].map(Double.init), tolerance: 1e-6)
    }

    @Test func badInput() {
        expectLRPError("5 clusters for 3 inputs") {
            _ = try SpectralRelevanceAnalysis(heatmaps: [[0, 1], [1, 0], [1, 1]], neighbors: 1, clusters: 5)
        }
        expectLRPError("at least two heatmaps") { _ = try SpectralRelevanceAnalysis(heatmaps: [[1]], neighbors: 1) }
        expectLRPError("at least two heatmaps") { _ = try SpectralRelevanceAnalysis(heatmaps: [[1], [1, 2]], neighbors: 1) }
        expectLRPError("neighbor") { _ = try SpectralRelevanceAnalysis(heatmaps: [[1], [2]], neighbors: 0) }
    }
}
