import LRPCore
import LRPData
import LRPVisualization

/// k-means clustering (Lloyd's algorithm with k-means++ seeding), deterministic for a seed.
///
/// ```swift
/// let result = try KMeans(points: [[0, 0], [0, 1], [9, 9], [9, 8]], clusters: 2, seed: 1)
/// result.assignments   // [0, 0, 1, 1] (up to the clusters' order)
/// ```
public struct KMeans: Sendable {
    /// The cluster of each point.
    public let assignments: [Int]
    /// The cluster centers.
    public let centroids: [[Float]]
    /// The sum of squared distances of the points to their centers.
    public let inertia: Double

    /// - Throws: `LRPError` (`.parameter`) for no points, points of different dimensions, or more clusters
    ///   than points.
    public init(points: [[Float]], clusters: Int, seed: UInt64 = 0, maximumIterations: Int = 300) throws {
        guard let dimension = points.first?.count, points.allSatisfy({ $0.count == dimension }) else {
            throw LRPError(.parameter, "k-means: needs points of one dimension")
        }
        guard clusters >= 1, clusters <= points.count else {
            throw LRPError(.parameter, "k-means: \(clusters) clusters for \(points.count) points; at most one cluster per point")
        }
        var random = SplitMix(seed: seed)
        func distance(_ a: [Float], _ b: [Float]) -> Double {
            zip(a, b).reduce(0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
        }
        // k-means++: each further center drawn with probability proportional to the squared distance
        var centers = [points[Int(random.next() % UInt64(points.count))]]
        while centers.count < clusters {
            let weights = points.map { point in centers.map { distance(point, $0) }.min()! }
            let total = weights.reduce(0, +)
            var pick = random.unit() * total
            var chosen = weights.count - 1
            for (index, weight) in weights.enumerated() where weight > 0 {
                pick -= weight
                if pick <= 0 { chosen = index; break }
            }
            centers.append(points[chosen])
        }
        var assignments = [Int](repeating: -1, count: points.count)
        for _ in 0..<maximumIterations {
            let next = points.map { point in centers.indices.min { distance(point, centers[$0]) < distance(point, centers[$1]) }! }
            if next == assignments { break }
            assignments = next
            for cluster in centers.indices {
                let members = points.indices.filter { assignments[$0] == cluster }
                guard !members.isEmpty else { continue }   // an empty cluster keeps its center
                centers[cluster] = (0..<dimension).map { d in members.reduce(Float(0)) { $0 + points[$1][d] } / Float(members.count) }
            }
        }
        self.assignments = assignments
        centroids = centers
        inertia = points.indices.reduce(0) { $0 + distance(points[$1], centers[assignments[$1]]) }
    }
}
