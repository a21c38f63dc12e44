import CLAPACKE
import LRPCore
import LRPData
import LRPVisualization

/// Eigenvalues and eigenvectors of a real symmetric matrix, through LAPACK's divide-and-conquer solver
/// (`LAPACKE_ssyevd`): what spectral relevance analysis needs of its graph Laplacian.
///
/// ```swift
/// let eigen = try SymmetricEigen(matrix: [2, 1, 1, 2], size: 2)
/// eigen.values        // [1, 3], ascending
/// eigen.vector(1)     // ≈ [0.707, 0.707]
/// ```
public struct SymmetricEigen: Sendable {
    /// The eigenvalues in ascending order.
    public let values: [Float]
    /// Row-major `size × size`: column `k` is the eigenvector of `values[k]`.
    public let vectors: [Float]
    public let size: Int

    /// - Parameters:
    ///   - matrix: row-major `size × size`; only the upper triangle is read.
    ///   - size: the number of rows (and columns).
    /// - Throws: `LRPError` for a matrix of the wrong length or when LAPACK reports a failure.
    public init(matrix: [Float], size: Int) throws {
        guard size > 0, matrix.count == size * size else {
            throw LRPError(.shape, "eigen: a \(size)×\(size) matrix needs \(size * size) values, got \(matrix.count)")
        }
        var a = matrix
        var w = [Float](repeating: 0, count: size)
        let status = LAPACKE_ssyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")),
                                    Int32(size), &a, Int32(size), &w)
        guard status == 0 else {
            throw LRPError(.numerical, "eigen: LAPACKE_ssyevd failed (info \(status)) on a \(size)×\(size) matrix")
        }
        (values, vectors, self.size) = (w, a, size)
    }

    /// The eigenvector of `values[index]`.
    public func vector(_ index: Int) -> [Float] {
        (0..<size).map { vectors[$0 * size + index] }
    }
}
