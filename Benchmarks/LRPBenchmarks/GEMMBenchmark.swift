import CBLAS
import LRP

/// The machine's sgemm rate: the yardstick the other figures are compared with.
enum GEMMBenchmark {
    /// GFLOP/s of `C = A·B` with `A` m×k and `B` k×n, OpenBLAS threading over all cores (the engine itself
    /// keeps OpenBLAS single-threaded, so the thread count is set for this measurement and restored).
    static func rate(m: Int, n: Int, k: Int) -> Double {
        openblas_set_num_threads(Int32(BLASInfo.workerCount))
        defer { openblas_set_num_threads(1) }
        let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: k * n)
        var c = [Float](repeating: 0, count: m * n)
        let measurement = Measurement {
            c.withUnsafeMutableBufferPointer { c in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                            1, a, Int32(k), b, Int32(n), 0, c.baseAddress, Int32(n))
            }
        }
        return 2 * Double(m) * Double(n) * Double(k) / measurement.seconds / 1e9
    }
}
