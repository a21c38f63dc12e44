import LRPCore
import LRPData
import LRPVisualization

/// Spectral relevance analysis, SpRAy (Lapuschkin et al. 2019): clusters many explanations of one class by
/// what they look at, to find the strategies a model uses (and the shortcuts it takes).
///
/// Heatmaps are summed over channels, sum-pooled and normalized (``prepare(_:sample:pool:)``); a symmetrized
/// k-nearest-neighbor graph joins similar heatmaps; the eigenvectors of its normalized Laplacian
/// `I − D^-½ A D^-½` (through `LAPACKE_ssyevd`) embed them; the largest gap among the smallest eigenvalues
/// suggests the number of clusters, and k-means on the row-normalized eigenvectors finds them.
///
/// ```swift
/// let maps = try (0..<relevance.batchSize).map { try SpectralRelevanceAnalysis.prepare(relevance, sample: $0, pool: 4) }
/// let analysis = try SpectralRelevanceAnalysis(heatmaps: maps, neighbors: 8, seed: 1)
/// print(analysis.suggestedClusters, analysis.assignments)
/// ```
public struct SpectralRelevanceAnalysis: Sendable {
    /// The smallest eigenvalues of the Laplacian, ascending (up to `maximumClusters + 1` of them).
    public let eigenvalues: [Float]
    /// The cluster count the eigengap suggests: the `k` before the largest gap `λ_k − λ_{k−1}`.
    public let suggestedClusters: Int
    /// The number of clusters used: the one asked for, else the suggested one.
    public let clusters: Int
    /// The cluster of each heatmap.
    public let assignments: [Int]
    /// A 2-D spectral embedding per heatmap: its entries in the eigenvectors of `λ₁` and `λ₂`.
    public let embedding: [[Float]]

    /// A heatmap as SpRAy compares it: one sample of `[N, C, H, W]` relevance summed over channels, summed
    /// over `pool × pool` blocks (edges of partial blocks kept), scaled so that its largest |value| is 1.
    /// - Throws: `LRPError` for relevance that is not `[N, C, H, W]`, a sample out of range or a pool < 1.
    public static func prepare(_ relevance: Tensor, sample: Int, pool: Int) throws -> [Float] {
        guard pool >= 1 else { throw LRPError(.parameter, "spray: the pool size must be ≥ 1, got \(pool)") }
        let map = try relevance.channelSum(sample: sample)
        let (height, width) = (relevance.shape[2], relevance.shape[3])
        let (rows, columns) = pooledSize(height: height, width: width, pool: pool)
        var pooled = [Float](repeating: 0, count: rows * columns)
        for y in 0..<height {
            for x in 0..<width { pooled[(y / pool) * columns + x / pool] += map[y * width + x] }
        }
        let largest = pooled.map(abs).max() ?? 0
        return largest > 0 ? pooled.map { $0 / largest } : pooled
    }

    /// The size of a prepared heatmap of a `height × width` input.
    public static func pooledSize(height: Int, width: Int, pool: Int) -> (height: Int, width: Int) {
        ((height + pool - 1) / pool, (width + pool - 1) / pool)
    }

    /// - Parameters:
    ///   - heatmaps: prepared heatmaps, all of one length, at least two.
    ///   - neighbors: how many nearest neighbors each heatmap is joined to (fewer if there are fewer others).
    ///   - clusters: the number of clusters; `nil` takes the eigengap's suggestion.
    ///   - maximumClusters: the largest number of clusters the eigengap may suggest.
    ///   - seed: k-means' seed.
    /// - Throws: `LRPError` (`.parameter`) for fewer than two heatmaps, heatmaps of different lengths, fewer
    ///   than one neighbor, or more clusters than heatmaps; (`.numerical`) when LAPACK fails.
    public init(heatmaps: [[Float]], neighbors: Int, clusters: Int? = nil, maximumClusters: Int = 10, seed: UInt64 = 0) throws {
        let count = heatmaps.count
        guard count >= 2, !heatmaps[0].isEmpty, heatmaps.allSatisfy({ $0.count == heatmaps[0].count }) else {
            throw LRPError(.parameter, "spray: needs at least two heatmaps of one size, got \(count)")
        }
        guard neighbors >= 1 else { throw LRPError(.parameter, "spray: needs at least one neighbor, got \(neighbors)") }
        if let clusters, !(1...count).contains(clusters) {
            throw LRPError(.parameter, "spray: \(clusters) clusters for \(count) inputs; ask for 1 to \(count)")
        }
        let eigen = try SymmetricEigen(matrix: Self.laplacian(Self.affinity(heatmaps, neighbors: neighbors)), size: count)
        let considered = min(maximumClusters + 1, count)
        let smallest = Array(eigen.values.prefix(considered))
        let gaps = (1..<considered).map { smallest[$0] - smallest[$0 - 1] }
        eigenvalues = smallest
        suggestedClusters = (gaps.indices.max { gaps[$0] < gaps[$1] } ?? 0) + 1
        let k = clusters ?? suggestedClusters
        self.clusters = k
        let columns = (0..<k).map(eigen.vector)
        let points = (0..<count).map { row -> [Float] in
            let point = columns.map { $0[row] }
            let norm = point.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return norm > 0 ? point.map { $0 / norm } : point
        }
        assignments = try KMeans(points: points, clusters: k, seed: seed).assignments
        let (first, second) = (eigen.vector(min(1, count - 1)), count > 2 ? eigen.vector(2) : [Float](repeating: 0, count: count))
        embedding = (0..<count).map { [first[$0], second[$0]] }
    }

    /// The symmetrized k-nearest-neighbor graph: `A_ij = 1` when either is among the other's nearest
    /// (Euclidean) neighbors.
    static func affinity(_ heatmaps: [[Float]], neighbors: Int) -> [Float] {
        let distances = squaredDistances(heatmaps)
        let count = heatmaps.count
        var affinity = [Float](repeating: 0, count: count * count)
        for i in 0..<count {
            let row = distances[i * count ..< (i + 1) * count].map { $0 }
            let nearest = (0..<count).filter { $0 != i }.sorted { row[$0] < row[$1] || row[$0] == row[$1] && $0 < $1 }
            for j in nearest.prefix(neighbors) {
                affinity[i * count + j] = 1
                affinity[j * count + i] = 1
            }
        }
        return affinity
    }

    /// All pairwise squared Euclidean distances, `‖a‖² + ‖b‖² − 2 a·b` with the Gram matrix from one sgemm.
    static func squaredDistances(_ points: [[Float]]) -> [Float] {
        let (count, dimension) = (points.count, points[0].count)
        let flat = points.flatMap { $0 }
        var gram = [Float](repeating: 0, count: count * count)
        flat.withUnsafeBufferPointer { a in
            BLAS.parallelGEMM(transposeA: false, transposeB: true, m: count, n: count, k: dimension,
                              a: a.baseAddress!, lda: dimension, b: a.baseAddress!, ldb: dimension, c: &gram, ldc: count)
        }
        return (0 ..< count * count).map { index in
            let (i, j) = (index / count, index % count)
            return i == j ? 0 : max(gram[i * count + i] + gram[j * count + j] - 2 * gram[index], 0)
        }
    }

    /// `I − D^-½ A D^-½`, rows of isolated nodes left as the identity's.
    static func laplacian(_ affinity: [Float]) -> [Float] {
        let count = Int(Double(affinity.count).squareRoot())
        let scale = (0..<count).map { i -> Float in
            let degree = (0..<count).reduce(Float(0)) { $0 + affinity[i * count + $1] }
            return degree > 0 ? 1 / degree.squareRoot() : 0
        }
        return (0 ..< count * count).map { index in
            let (i, j) = (index / count, index % count)
            return (i == j ? 1 : 0) - scale[i] * affinity[index] * scale[j]
        }
    }
}
