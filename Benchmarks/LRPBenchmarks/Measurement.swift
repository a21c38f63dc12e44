import Foundation
import LRP

/// Times a piece of work: after a warm-up call, repeats it until at least `minimumSeconds` have passed, over
/// `rounds` rounds, and keeps the fastest round (the machine is shared; the minimum is the least disturbed
/// figure). Besides wall time it records the process's CPU time per call, which other processes on a busy
/// machine disturb much less: `LRPBenchmarks --cpu-time` reports it divided by the worker count.
struct Measurement {
    let secondsPerCall: Double
    let cpuSecondsPerCall: Double

    /// Seconds per call in the chosen clock: CPU time shared out over the workers, or wall time.
    nonisolated(unsafe) static var usesCPUTime = false   // set once, before any measurement
    var seconds: Double { Self.usesCPUTime ? cpuSecondsPerCall / Double(BLASInfo.workerCount) : secondsPerCall }

    init(minimumSeconds: Double = 1, rounds: Int = 3, _ work: () throws -> Void) rethrows {
        try work()
        var (best, bestCPU) = (Double.infinity, Double.infinity)
        for _ in 0..<rounds {
            var calls = 0
            let clock = ContinuousClock()
            let start = clock.now, startCPU = processCPUSeconds()
            var elapsed = 0.0
            repeat {
                try work()
                calls += 1
                elapsed = (clock.now - start).seconds
            } while elapsed < minimumSeconds
            best = min(best, elapsed / Double(calls))
            bestCPU = min(bestCPU, (processCPUSeconds() - startCPU) / Double(calls))
        }
        (secondsPerCall, cpuSecondsPerCall) = (best, bestCPU)
    }
}

/// The CPU time the process has used, all threads together.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) * 1e-18
    }
}

/// Peak resident memory and its reset, from /proc (Linux).
enum ResidentMemory {
    /// Peak resident memory since the last reset (`VmHWM`), in MiB.
    static func peakMiB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kib / 1024
    }

    /// Resets the peak to the current resident size (writing 5 to /proc/self/clear_refs).
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }
}

/// The CPU model from /proc/cpuinfo.
func cpuModel() -> String {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }) else { return "unknown" }
    return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
}

/// Prints a row of right-aligned columns.
func printRow(_ columns: [String], widths: [Int]) {
    print(zip(columns, widths).map { text, width in
        String(repeating: " ", count: max(0, width - text.count)) + text
    }.joined(separator: "  "))
}
