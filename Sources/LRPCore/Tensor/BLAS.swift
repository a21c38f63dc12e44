import CBLAS

/// What the linked OpenBLAS reports about itself: useful in benchmark output and bug reports.
///
/// ```swift
/// print(BLASInfo.coreName, BLASInfo.workerCount)   // "Zen 2"
/// ```
public enum BLASInfo {
    /// The CPU kernel OpenBLAS selected (`openblas_get_corename()`), e.g. `Prescott`, `Zen` or `SkylakeX`.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The number of threads OpenBLAS uses inside one call: 1 once the engine has run (it parallelizes itself).
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// The number of workers the engine splits work across (the active processor count).
    public static var workerCount: Int { Parallel.workerCount }
}

/// Thin wrappers over the BLAS calls the engine uses, row-major, with `Int` sizes.
///
/// OpenBLAS runs single-threaded inside every call: the engine parallelizes above it (batch entries, or
/// column blocks of one large product), so the two kinds of threading never stack and no global OpenBLAS
/// state changes while other threads compute.
package enum BLAS {
    /// Set once, before the first product.
    private static let singleThreaded: Void = openblas_set_num_threads(1)

    /// `C = alpha · op(A) · op(B) + beta · C` (row-major `cblas_sgemm`) on the calling thread.
    @inline(__always)
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        _ = singleThreaded
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The same product with the columns of `C` split across the workers when it is large enough to pay
    /// (each worker multiplies `op(A)` by its block of `op(B)`'s columns). For calls not already inside a
    /// parallel region.
    package static func parallelGEMM(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let worthSplitting = 2 * m * n * k >= 1 << 22 && n >= 64 * Parallel.workerCount
        guard worthSplitting else {
            gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
            return
        }
        Parallel.forEachRange(of: n) { columns in
            // column j of op(B) starts at b + j (B as stored) or at row j of B (B transposed)
            let block = transposeB ? b + columns.lowerBound * ldb : b + columns.lowerBound
            gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: columns.count, k: k,
                 a: a, lda: lda, b: block, ldb: ldb, c: c + columns.lowerBound, ldc: ldc)
        }
    }
}
