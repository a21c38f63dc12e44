import Foundation

/// Times a piece of work: after a warm-up call, repeats it until at least `minimumSeconds` have passed, over
/// `rounds` rounds, and keeps the fastest round (the machine is shared; the minimum is the least disturbed
/// figure).
struct Measurement {
    let secondsPerCall: Double

    init(minimumSeconds: Double = 1, rounds: Int = 3, _ work: () throws -> Void) rethrows {
        try work()
        var best = Double.infinity
        for _ in 0..<rounds {
            var calls = 0
            let clock = ContinuousClock()
            let start = clock.now
            var elapsed = 0.0
            repeat {
                try work()
                calls += 1
                elapsed = (clock.now - start).seconds
            } while elapsed < minimumSeconds
            best = min(best, elapsed / Double(calls))
        }
        secondsPerCall = best
    }
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
