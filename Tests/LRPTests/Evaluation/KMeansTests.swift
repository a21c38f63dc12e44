import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct KMeansTests {
    @Test func separatesWellSeparatedGroupsAndIsDeterministicForASeed() throws {
        var generator = SeededGenerator(seed: 1)
        let points = (0..<30).map { index -> [Float] in
            let center: Float = index < 10 ? 0 : index < 20 ? 10 : 20
            return [center + Float.random(in: -1...1, using: &generator), Float.random(in: -1...1, using: &generator)]
        }
        let result = try KMeans(points: points, clusters: 3, seed: 4)
        for group in 0..<3 {
            let labels = Set(result.assignments[group * 10 ..< (group + 1) * 10])
            #expect(labels.count == 1, "group \(group) split into \(labels)")
        }
        #expect(Set(result.assignments).count == 3)
        let again = try KMeans(points: points, clusters: 3, seed: 4)
        #expect(again.assignments == result.assignments && again.centroids == result.centroids)
        #expect(result.inertia < 30 * 2)   // each point within about √2 of its center
    }

    @Test func badInput() {
        expectLRPError("3 clusters for 2 points") { _ = try KMeans(points: [[0], [1]], clusters: 3) }
        expectLRPError("one dimension") { _ = try KMeans(points: [[0], [1, 2]], clusters: 1) }
        expectLRPError("one dimension") { _ = try KMeans(points: [], clusters: 1) }
    }
}
