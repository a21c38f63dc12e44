import CBLAS

/// What the linked OpenBLAS reports about itself: useful in benchmark output and bug reports.
///
/// ```swift
/// print(BLASInfo.coreName, BLASInfo.threadCount)   // "Prescott 2"
/// ```
public enum BLASInfo {
    /// The CPU kernel OpenBLAS selected (`openblas_get_corename()`), e.g. `Prescott` or `SkylakeX`.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The number of threads OpenBLAS uses inside one call at the moment.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }
}

/// Thin wrappers over the BLAS calls the engine uses, row-major, with `Int` sizes.
enum BLAS {
    /// `C = alpha · op(A) · op(B) + beta · C` (row-major `cblas_sgemm`).
    @inline(__always)
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Sets how many threads OpenBLAS may use inside one call.
    static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(count))
    }
}
