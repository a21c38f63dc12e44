import Foundation
import LRP

/// `make bench`: the engine's throughput on CIFAR-sized work, with the machine's sgemm rate measured in the
/// same run as the yardstick. Figures are the fastest of three rounds of at least one second each.
@main
struct LRPBenchmarks {
    static func main() throws {
        print("SwiftLRP benchmarks — \(Date())")
        print("CPU: \(cpuModel()), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("OpenBLAS core: \(BLASInfo.coreName); engine: \(BLASInfo.workerCount) workers × 1 OpenBLAS thread; sgemm yardstick: OpenBLAS on \(BLASInfo.workerCount) threads"
              + (ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { " (OPENBLAS_CORETYPE=\($0))" } ?? " (OPENBLAS_CORETYPE not set)"))
        print()

        let sgemm = GEMMBenchmark.rate(m: 1024, n: 1024, k: 1024)
        let convShaped = GEMMBenchmark.rate(m: 64, n: 4 * 1024, k: 576)
        print(String(format: "sgemm 1024³:                 %7.1f GFLOP/s", sgemm))
        print(String(format: "sgemm 64×4096×576 (conv):    %7.1f GFLOP/s", convShaped))
        print()

        let benchmark = ConvolutionBenchmark(batch: 64, channels: 64, size: 32)
        let result = try benchmark.run()
        let widths = [34, 10, 9, 12]
        printRow(["conv 3×3 64→64, 32×32, batch 64", "images/s", "GFLOP/s", "of sgemm"], widths: widths)
        for (label, rate) in [("forward", result.forwardImagesPerSecond), ("input gradient", result.gradientImagesPerSecond)] {
            let gflops = rate / Double(benchmark.batch) * result.gigaflopsPerPass
            printRow([label, String(format: "%.0f", rate), String(format: "%.1f", gflops),
                      String(format: "%.0f%%", 100 * gflops / sgemm)], widths: widths)
        }
        if let peak = peakResidentMiB() { print(String(format: "\npeak resident memory: %.0f MiB", peak)) }
    }
}
