import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct SymmetricEigenTests {
    @Test func agreesWithNumpysEigh() throws {
        let matrix = try NPY.read(Fixtures.url("evaluation/laplacian.npy"))
        let values = try NPY.read(Fixtures.url("evaluation/laplacian.eigenvalues.npy"))
        let vectors = try NPY.read(Fixtures.url("evaluation/laplacian.eigenvectors.npy"))
        let size = matrix.shape[0]
        let eigen = try SymmetricEigen(matrix: matrix.scalars, size: size)
        expectClose(eigen.values, values.scalars.map(Double.init), tolerance: 1e-5)
        for k in 0..<size {
            // eigenvectors are defined up to sign: |⟨ours, numpy's⟩| = 1
            let ours = eigen.vector(k), theirs = (0..<size).map { vectors[$0 * size + k] }
            let dot = zip(ours, theirs).reduce(0.0) { $0 + Double($1.0 * $1.1) }
            #expect(abs(abs(dot) - 1) < 1e-4, "eigenvector \(k): |⟨v, v_numpy⟩| = \(abs(dot))")
        }
    }

    @Test func handComputedAndBadInput() throws {
        let eigen = try SymmetricEigen(matrix: [2, 1, 1, 2], size: 2)
        expectClose(eigen.values, [1, 3])
        expectClose(eigen.vector(1).map(abs), [Double(0.5).squareRoot(), Double(0.5).squareRoot()])
        expectLRPError("3×3", "9 values") { _ = try SymmetricEigen(matrix: [1, 2], size: 3) }
    }
}
